import { assertEquals, assertThrows } from "../testing/assert.ts";
import { gradcheck, log1p, reciprocal, square, tensor, zeros } from "../mod.ts";
import { check, leaf } from "./test_helpers.ts";

Deno.test("add, sub, mul and div pass gradcheck with broadcasting on both sides", () => {
  check((a, b) => a.add(b!), [2, 3], [3]);
  check((a, b) => a.sub(b!), [2, 1, 3], [4, 1]);
  check((a, b) => a.mul(b!), [3, 1], [1, 4]);
  check((a, b) => a.div(b!.abs().add(0.5)), [2, 3], [2, 1]);
  check((a) => a.add(1).mul(2).sub(3).div(4), [2, 2]);
});

Deno.test("pow passes gradcheck for tensor and scalar exponents", () => {
  check((a, b) => a.abs().add(0.5).pow(b!), [2, 3], [3]);
  check((a) => a.pow(3), [2, 3]);
  check((a) => a.abs().add(0.1).pow(0.5), [4]);
});

Deno.test("unary ops pass gradcheck", () => {
  check((a) => a.neg(), [2, 3]);
  check((a) => a.exp(), [2, 3]);
  check((a) => a.abs().add(0.5).log(), [2, 3]);
  check((a) => a.abs().add(0.5).sqrt(), [2, 3]);
  check((a) => a.abs(), [2, 3]);
  check((a) => a.tanh(), [2, 3]);
  check((a) => a.mul(3).sigmoid(), [2, 3]);
  check((a) => a.relu(), [2, 3]);
  check((a) => a.square(), [2, 3]);
  check((a) => a.abs().add(0.5).reciprocal(), [2, 3]);
  check((a) => a.abs().log1p(), [2, 3]);
});

Deno.test("square(), reciprocal() and log1p() match their definitions", () => {
  assertEquals(square(tensor([-3, 2])).toArray(), [9, 4]);
  assertEquals(reciprocal(tensor([2, -4])).toArray(), [0.5, -0.25]);
  assertEquals(log1p(tensor([1e-20], { dtype: "float64" })).item(), 1e-20);
});

Deno.test("gradcheck() rejects float32 inputs with a TypeError", () => {
  assertThrows(
    () => gradcheck((x) => x.exp(), [tensor([1], { requiresGrad: true })]),
    TypeError,
    "gradcheck needs float64",
  );
});

Deno.test("elementwise ops name the op when given an array instead of a tensor", () => {
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => zeros([2]).add([1, 2] as any),
    TypeError,
    "add: expected a Tensor or a number, got an array",
  );
  assertThrows(
    () => leaf([1, 2]).div(zeros([3], { dtype: "float64" })),
    RangeError,
    "div: cannot broadcast [2] with [3]",
  );
});
