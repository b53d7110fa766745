import { assertEquals, assertThrows } from "../testing/assert.ts";
import { cat, concat, stack, tensor, zeros } from "../mod.ts";
import { check } from "./test_helpers.ts";

Deno.test("cat and stack pass gradcheck along first, middle and last axes", () => {
  check((a, b) => cat([a, b!], 1), [2, 3], [2, 1]);
  check((a, b, c) => cat([a, b!, c!]), [1, 3], [2, 3], [1, 3]);
  check((a, b) => cat([a, b!], -1), [2, 2, 3], [2, 2, 1]);
  check((a, b) => stack([a, b!]), [2, 3], [2, 3]);
  check((a, b) => stack([a, b!], 1), [2, 3], [2, 3]);
  check((a, b) => stack([a, b!], -1), [2, 3], [2, 3]);
});

Deno.test("cat() gives gradients only to inputs that require them", () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3]);
  cat([a, b]).mul(tensor([1, 2, 3])).sum().backward();
  assertEquals(a.grad!.toArray(), [1, 2]);
  assertEquals(b.grad, null);
  assertEquals(concat([a, b]).toArray(), [1, 2, 3]);
});

Deno.test("cat and stack name both shapes when they do not match", () => {
  assertThrows(
    () => cat([zeros([2, 3]), zeros([3, 2])], 1),
    RangeError,
    "cat: tensor 1 has shape [3, 2] but tensor 0 has shape [2, 3]; sizes must match except along axis 1",
  );
  assertThrows(
    () => stack([zeros([2]), zeros([3])]),
    RangeError,
    "stack: tensor 1 has shape [3] but tensor 0 has shape [2]",
  );
  assertThrows(() => cat([]), RangeError, "cat: expected a non-empty array of tensors");
  assertThrows(
    () => cat([zeros([2]), zeros([2], { dtype: "float64" })]),
    TypeError,
    "cat: dtype mismatch: tensor 0 is float32 but tensor 1 is float64",
  );
});
