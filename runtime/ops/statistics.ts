/**
 * Variance, standard deviation and vector norms over axes, with gradients.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import { planReduction } from "./reduce.ts";
import { sqrt } from "./elementwise.ts";

/** Options of {@link variance} and {@link std}. */
export interface VarianceOptions {
  /**
   * Subtracted from the element count in the denominator: 1 (the default, like PyTorch) gives the
   * unbiased sample variance, 0 the population variance.
   */
  correction?: number;
  /** PyTorch's older switch: `unbiased: false` means `correction: 0`. */
  unbiased?: boolean;
  /** Keep reduced axes as size 1. */
  keepdim?: boolean;
}

/**
 * Variance over `axis` (all axes when omitted): $\frac{1}{N - c}\sum_i (x_i - \bar x)^2$ with
 * correction $c$ (default 1, PyTorch's default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor, variance } from "gradbook";
 * assert.ok(Math.abs(variance(tensor([1, 2, 3, 4])).item() - 5 / 3) < 1e-6);
 * assert.deepEqual(variance(tensor([[1, 3], [2, 6]]), 1, { correction: 0 }).toArray(), [1, 4]);
 * ```
 */
export function variance(
  x: Tensor,
  axis?: number | readonly number[],
  options: VarianceOptions = {},
): Tensor {
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  const plan = planReduction(x.shape, axis, options.keepdim ?? false, "var");
  const { index, outSize, count } = plan;
  const src = x.data;
  const mean = new Float64Array(outSize);
  for (let i = 0; i < src.length; i++) mean[index[i]!]! += src[i]!;
  for (let o = 0; o < outSize; o++) mean[o]! /= count;
  const squares = new Float64Array(outSize);
  for (let i = 0; i < src.length; i++) {
    const d = src[i]! - mean[index[i]!]!;
    squares[index[i]!]! += d * d;
  }
  const dof = Math.max(0, count - correction);
  const out = allocate(x.dtype, outSize);
  for (let o = 0; o < outSize; o++) out[o] = squares[o]! / dof;
  return recordOp(new Tensor(out, plan.outShape), "var", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    const scale = 2 / dof;
    for (let i = 0; i < d.length; i++) {
      const o = index[i]!;
      d[i] = gd[o]! * scale * (src[i]! - mean[o]!);
    }
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Standard deviation over `axis`: the square root of {@link variance} (same options).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { std, tensor } from "gradbook";
 * assert.equal(std(tensor([2, 4, 4, 4, 5, 5, 7, 9]), undefined, { correction: 0 }).item(), 2);
 * ```
 */
export function std(
  x: Tensor,
  axis?: number | readonly number[],
  options: VarianceOptions = {},
): Tensor {
  return sqrt(variance(x, axis, options));
}

/**
 * Vector p-norm over `axis` (all axes when omitted): $(\sum_i |x_i|^p)^{1/p}$; `p` may be any
 * positive number or `Infinity` (the largest $|x_i|$). The gradient at a zero norm is 0, as in
 * PyTorch; for `Infinity` it is split evenly among tied largest elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { norm, tensor } from "gradbook";
 * assert.equal(norm(tensor([3, 4])).item(), 5);
 * assert.deepEqual(norm(tensor([[3, -4], [1, 1]]), 1, 1).toArray(), [7, 2]);
 * ```
 */
export function norm(
  x: Tensor,
  p = 2,
  axis?: number | readonly number[],
  keepdim = false,
): Tensor {
  if (typeof p !== "number" || !(p > 0)) {
    throw new RangeError(`norm: p must be a positive number or Infinity, got ${p}`);
  }
  const plan = planReduction(x.shape, axis, keepdim, "norm");
  const { index, outSize } = plan;
  const src = x.data;
  const acc = new Float64Array(outSize);
  if (p === Infinity) {
    for (let i = 0; i < src.length; i++) {
      const o = index[i]!;
      const a = Math.abs(src[i]!);
      if (a > acc[o]! || a !== a) acc[o] = a;
    }
  } else if (p === 2) {
    for (let i = 0; i < src.length; i++) acc[index[i]!]! += src[i]! * src[i]!;
    for (let o = 0; o < outSize; o++) acc[o] = Math.sqrt(acc[o]!);
  } else if (p === 1) {
    for (let i = 0; i < src.length; i++) acc[index[i]!]! += Math.abs(src[i]!);
  } else {
    for (let i = 0; i < src.length; i++) acc[index[i]!]! += Math.pow(Math.abs(src[i]!), p);
    for (let o = 0; o < outSize; o++) acc[o] = Math.pow(acc[o]!, 1 / p);
  }
  const out = allocate(x.dtype, outSize);
  out.set(acc);
  return recordOp(new Tensor(out, plan.outShape), "norm", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    if (p === Infinity) {
      const ties = new Float64Array(outSize);
      for (let i = 0; i < src.length; i++) {
        if (Math.abs(src[i]!) === acc[index[i]!]!) ties[index[i]!]!++;
      }
      for (let i = 0; i < d.length; i++) {
        const o = index[i]!;
        const v = src[i]!;
        if (Math.abs(v) === acc[o]! && acc[o]! > 0) d[i] = (gd[o]! * Math.sign(v)) / ties[o]!;
      }
    } else if (p === 2) {
      for (let i = 0; i < d.length; i++) {
        const o = index[i]!;
        d[i] = acc[o] === 0 ? 0 : (gd[o]! * src[i]!) / acc[o]!;
      }
    } else if (p === 1) {
      for (let i = 0; i < d.length; i++) d[i] = gd[index[i]!]! * Math.sign(src[i]!);
    } else {
      for (let i = 0; i < d.length; i++) {
        const o = index[i]!;
        const v = src[i]!;
        d[i] = acc[o] === 0
          ? 0
          : (gd[o]! * Math.sign(v) * Math.pow(Math.abs(v), p - 1)) / Math.pow(acc[o]!, p - 1);
      }
    }
    return [new Tensor(d, x.shape)];
  });
}
