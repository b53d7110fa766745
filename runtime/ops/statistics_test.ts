import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { norm, std, tensor, variance, zeros } from "../mod.ts";
import { check, leaf } from "./test_helpers.ts";

Deno.test("var and std pass gradcheck with axes, keepdim and corrections", () => {
  check((a) => a.var(), [3, 4]);
  check((a) => a.var(1), [3, 4]);
  check((a) => a.var([0, 2], { keepdim: true }), [2, 3, 4]);
  check((a) => a.var(0, { unbiased: false }), [3, 4]);
  check((a) => variance(a, -1, { correction: 2 }), [3, 4]);
  check((a) => a.std(), [3, 4]);
  check((a) => std(a, 1, { correction: 0, keepdim: true }), [3, 4]);
});

Deno.test("var() uses correction 1 by default and 0 when unbiased is false", () => {
  const x = tensor([1, 2, 3, 4], { dtype: "float64" });
  assertAlmostEquals(x.var().item(), 5 / 3, 1e-15);
  assertAlmostEquals(x.var(0, { unbiased: false }).item(), 1.25, 1e-15);
  assertAlmostEquals(x.std(0, { correction: 0 }).item(), Math.sqrt(1.25), 1e-15);
});

Deno.test("norm passes gradcheck for p = 2, 1, 3 and Infinity over axes", () => {
  check((a) => a.norm(), [3, 4]);
  check((a) => a.norm(2, 1), [3, 4]);
  check((a) => a.norm(1, 0, true), [3, 4]);
  check((a) => norm(a, 3, [0, 2]), [2, 3, 4]);
  check((a) => a.norm(Infinity, -1), [3, 4]);
});

Deno.test("norm() has a zero gradient at the zero vector, like PyTorch", () => {
  const x = leaf([0, 0]);
  x.norm().backward();
  assertEquals(x.grad!.toArray(), [0, 0]);
});

Deno.test("norm() rejects a non-positive p", () => {
  assertThrows(
    () => norm(zeros([2]), 0),
    RangeError,
    "norm: p must be a positive number or Infinity, got 0",
  );
  assertThrows(() => variance(zeros([2]), 3), RangeError, "var: axis 3 is out of range");
});
