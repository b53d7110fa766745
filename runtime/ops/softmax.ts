/**
 * Softmax, log-softmax and log-sum-exp, computed stably by subtracting the maximum first.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";
import { normalizeAxis } from "../core/shape.ts";
import { axisLayout, planReduction } from "./reduce.ts";

// NOTE: subtract the row max before exp, or softmax overflows for logits above ~88 (float32) or
// ~709 (float64); log-sum-exp is then m + log(sum(exp(x - m))).

/**
 * The largest of `size` values spaced `inner` apart from `base` (one lane along the softmax axis),
 * or 0 when all are -Infinity.
 */
// NOTE: subtract the lane max before exp, or softmax overflows for logits above ~88.
function laneMax(src: TensorData, base: number, size: number, inner: number): number {
  let m = -Infinity;
  for (let k = 0; k < size; k++) {
    const v = src[base + k * inner]!;
    if (v > m) m = v;
  }
  return m === -Infinity ? 0 : m;
}

/**
 * Softmax along `axis` (default: the last): $\mathrm{softmax}(x)_i = e^{x_i} / \sum_j e^{x_j}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmax, tensor } from "gradbook";
 * assert.deepEqual(softmax(tensor([1, 1, 1, 1])).toArray(), [0.25, 0.25, 0.25, 0.25]);
 * assert.deepEqual(softmax(tensor([[1000, 1000]]), 1).toArray(), [[0.5, 0.5]]); // no overflow
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = x.ndim === 0 ? 0 : normalizeAxis(axis, x.ndim, "softmax");
  const { outer, size, inner } = axisLayout(x.shape, a);
  const src = x.data;
  const y = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      const m = laneMax(src, base, size, inner);
      let s = 0;
      for (let k = 0; k < size; k++) {
        const e = Math.exp(src[base + k * inner]! - m);
        y[base + k * inner] = e;
        s += e;
      }
      const r = 1 / s;
      for (let k = 0; k < size; k++) y[base + k * inner]! *= r;
    }
  }
  const out = new Tensor(y, x.shape);
  return recordOp(out, "softmax", [x], (g) => {
    // dx = y * (g - sum(g * y))
    const gd = g.data;
    const d = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let dot = 0;
        for (let k = 0; k < size; k++) dot += gd[base + k * inner]! * y[base + k * inner]!;
        for (let k = 0; k < size; k++) {
          const p = base + k * inner;
          d[p] = y[p]! * (gd[p]! - dot);
        }
      }
    }
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Log of the softmax along `axis` (default: the last), computed as $x_i - \log\sum_j e^{x_j}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSoftmax, tensor } from "gradbook";
 * for (const v of logSoftmax(tensor([0, 0]), 0).toFlatArray()) {
 *   assert.ok(Math.abs(v + Math.LN2) < 1e-6);
 * }
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = x.ndim === 0 ? 0 : normalizeAxis(axis, x.ndim, "logSoftmax");
  const { outer, size, inner } = axisLayout(x.shape, a);
  const src = x.data;
  const y = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      const m = laneMax(src, base, size, inner);
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.exp(src[base + k * inner]! - m);
      const lse = m + Math.log(s);
      for (let k = 0; k < size; k++) y[base + k * inner] = src[base + k * inner]! - lse;
    }
  }
  const out = new Tensor(y, x.shape);
  return recordOp(out, "logSoftmax", [x], (g) => {
    // dx = g - softmax(x) * sum(g)
    const gd = g.data;
    const d = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let total = 0;
        for (let k = 0; k < size; k++) total += gd[base + k * inner]!;
        for (let k = 0; k < size; k++) {
          const p = base + k * inner;
          d[p] = gd[p]! - Math.exp(y[p]!) * total;
        }
      }
    }
    return [new Tensor(d, x.shape)];
  });
}

/**
 * $\log\sum_i e^{x_i}$ over `axis` (all axes when omitted), without overflow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logsumexp, tensor } from "gradbook";
 * // 1000 + log 2, without overflow (float32 spacing near 1000 is ~6e-5)
 * assert.ok(Math.abs(logsumexp(tensor([1000, 1000])).item() - (1000 + Math.LN2)) < 1e-4);
 * ```
 */
export function logsumexp(x: Tensor, axis?: number | readonly number[], keepdim = false): Tensor {
  const plan = planReduction(x.shape, axis, keepdim, "logsumexp");
  const { index, outSize } = plan;
  const src = x.data;
  const m = new Float64Array(outSize).fill(-Infinity);
  for (let i = 0; i < src.length; i++) {
    const o = index[i]!;
    if (src[i]! > m[o]!) m[o] = src[i]!;
  }
  for (let o = 0; o < outSize; o++) if (!Number.isFinite(m[o]!)) m[o] = 0;
  const s = new Float64Array(outSize);
  for (let i = 0; i < src.length; i++) s[index[i]!]! += Math.exp(src[i]! - m[index[i]!]!);
  const out = allocate(x.dtype, outSize);
  for (let o = 0; o < outSize; o++) out[o] = m[o]! + Math.log(s[o]!);
  return recordOp(new Tensor(out, plan.outShape), "logsumexp", [x], (g) => {
    // d/dx_i = e^{x_i - lse}
    const gd = g.data;
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) {
      const o = index[i]!;
      d[i] = gd[o]! * Math.exp(src[i]! - out[o]!);
    }
    return [new Tensor(d, x.shape)];
  });
}
