import { assertEquals, assertThrows } from "../testing/assert.ts";
import { argmax, argmin, max, min, tensor, zeros } from "../mod.ts";
import { check, leaf } from "./test_helpers.ts";

Deno.test("max and min pass gradcheck over all axes, one axis, keepdim and several axes", () => {
  check((a) => a.max(), [3, 4]);
  check((a) => a.max(1), [3, 4]);
  check((a) => a.max(0, true), [3, 4]);
  check((a) => a.max([0, 2]), [2, 3, 4]);
  check((a) => a.min(), [3, 4]);
  check((a) => a.min(-1, true), [2, 3, 4]);
  check((a) => min(a, [1, 2]), [2, 3, 4]);
});

Deno.test("max() sends the gradient of a tie to the first maximal element", () => {
  const x = leaf([[3, 1, 3], [2, 2, 0]]);
  x.max(1).sum().backward();
  assertEquals(x.grad!.toArray(), [[1, 0, 0], [1, 0, 0]]);
  const y = leaf([5, 5]);
  y.max().backward();
  assertEquals(y.grad!.toArray(), [1, 0]);
});

Deno.test("max() propagates NaN like PyTorch", () => {
  assertEquals(Number.isNaN(max(tensor([1, NaN, 3])).item()), true);
});

Deno.test("argmax and argmin return first indices along an axis or of the flattened tensor", () => {
  const x = tensor([[1, 5, 5], [7, 2, 7]]);
  assertEquals(argmax(x, 1).toArray(), [1, 0]);
  assertEquals(argmax(x, 0, true).toArray(), [[1, 0, 1]]);
  assertEquals(argmax(x).item(), 3);
  assertEquals(argmin(x, 1).toArray(), [0, 1]);
  assertEquals(argmin(x).shape, []);
  assertEquals(x.argmax(-1).requiresGrad, false);
});

Deno.test("max and argmax name the op, the axis and the shape on bad input", () => {
  assertThrows(
    () => max(zeros([2, 3]), 2),
    RangeError,
    "max: axis 2 is out of range for a tensor of rank 2",
  );
  assertThrows(
    () => argmax(zeros([2, 0]), 1),
    RangeError,
    "argmax: cannot reduce axis 1 of size 0 (input shape [2, 0])",
  );
  assertThrows(() => min(zeros([0])), RangeError, "min: cannot reduce axis 0 of size 0");
});
