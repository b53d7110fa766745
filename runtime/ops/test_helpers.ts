/**
 * Helpers for the op tests: float64 inputs that require grad, and a gradcheck shorthand.
 *
 * @module
 */
import { gradcheck, randn, seed, type Tensor, tensor } from "../mod.ts";
import { assertEquals } from "../testing/assert.ts";

/** Standard-normal float64 inputs of the given shapes that require grad (seeded per call). */
export function inputs(...shapes: number[][]): Tensor[] {
  seed(shapes.flat().reduce((h, d) => h * 31 + d, 7) % 100000);
  return shapes.map((s) => randn(s, { dtype: "float64", requiresGrad: true }));
}

/** A float64 tensor that requires grad. */
export function leaf(values: number[] | number[][]): Tensor {
  return tensor(values, { dtype: "float64", requiresGrad: true });
}

/** Asserts gradcheck passes for `fn` at random inputs of the given shapes. */
export function check(fn: (...xs: Tensor[]) => Tensor, ...shapes: number[][]): void {
  assertEquals(gradcheck(fn, inputs(...shapes)), true);
}
