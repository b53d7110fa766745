import { assertEquals, assertThrows } from "../testing/assert.ts";
import { clamp, maskedFill, tensor, where, zeros } from "../mod.ts";
import { check, leaf } from "./test_helpers.ts";

Deno.test("comparisons return 0/1 tensors with broadcasting and record no gradient", () => {
  const x = leaf([[1, 2, 3], [4, 5, 6]]);
  const y = tensor([2, 5, 3], { dtype: "float64" });
  assertEquals(x.gt(y).toArray(), [[0, 0, 0], [1, 0, 1]]);
  assertEquals(x.lt(y).toArray(), [[1, 1, 0], [0, 0, 0]]);
  assertEquals(x.ge(y).toArray(), [[0, 0, 1], [1, 1, 1]]);
  assertEquals(x.le(y).toArray(), [[1, 1, 1], [0, 1, 0]]);
  assertEquals(x.eq(y).toArray(), [[0, 0, 1], [0, 1, 0]]);
  assertEquals(x.ne(3).toArray(), [[1, 1, 0], [1, 1, 1]]);
  assertEquals(x.gt(0).requiresGrad, false);
});

Deno.test("clamp, maximum and minimum pass gradcheck (with broadcasting)", () => {
  check((a) => a.clamp(-0.5, 0.5), [3, 4]);
  check((a) => a.clamp(0), [3, 4]);
  check((a) => clamp(a, undefined, 0.2), [3, 4]);
  check((a, b) => a.maximum(b!), [2, 3], [3]);
  check((a, b) => a.minimum(b!), [2, 1, 3], [4, 1]);
});

Deno.test("maximum() splits the gradient evenly at ties, like PyTorch", () => {
  const a = leaf([1, 2]);
  const b = leaf([1, 0]);
  a.maximum(b).sum().backward();
  assertEquals(a.grad!.toArray(), [0.5, 1]);
  assertEquals(b.grad!.toArray(), [0.5, 0]);
});

Deno.test("clamp() passes the gradient at the bounds themselves, like PyTorch", () => {
  const x = leaf([-1, 0, 1, 2]);
  x.clamp(-1, 1).sum().backward();
  assertEquals(x.grad!.toArray(), [1, 1, 1, 0]);
});

Deno.test("where and maskedFill pass gradcheck with broadcast conditions", () => {
  const cond = tensor([[1], [0]], { dtype: "float64" });
  check((a, b) => where(cond, a, b!), [2, 3], [3]);
  check((a) => where(cond, a, 0), [2, 3]);
  check((a) => a.where(tensor([1, 0, 1], { dtype: "float64" }), 2), [2, 3]);
  check((a) => maskedFill(a, tensor([0, 1, 0], { dtype: "float64" }), -5), [2, 3]);
});

Deno.test("maskedFill() with -Infinity before softmax gives zero weight", () => {
  const scores = tensor([[1, 2, 3]]).maskedFill(tensor([0, 0, 1]), -Infinity).softmax();
  assertEquals(scores.data[2], 0);
});

Deno.test("where and maskedFill name the op and the shapes on mismatch", () => {
  assertThrows(
    () => maskedFill(zeros([2, 4]), zeros([3]), 0),
    RangeError,
    "maskedFill: cannot broadcast [3] with [2, 4]",
  );
  assertThrows(
    () => maskedFill(zeros([4]), zeros([2, 4]), 0),
    RangeError,
    "maskedFill: mask shape [2, 4] cannot broadcast to tensor shape [4]",
  );
  assertThrows(
    () => where(zeros([2]), zeros([3]), 0),
    RangeError,
    "where: cannot broadcast [2] with [3]",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => where([1, 0] as any, zeros([2]), 0),
    TypeError,
    "where: expected condition to be a Tensor, got an array",
  );
  assertThrows(
    () => zeros([2]).maximum(zeros([2], { dtype: "float64" })),
    TypeError,
    "maximum: dtype mismatch: float32 and float64",
  );
  // deno-lint-ignore no-explicit-any
  assertThrows(() => clamp(zeros([2]), "0" as any), TypeError, "clamp: min must be a number");
});
