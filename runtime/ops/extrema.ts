/**
 * Max and min over axes (differentiable), argmax and argmin (not differentiable).
 *
 * Ties: the gradient of `max`/`min` flows to exactly one element per output, the first extreme
 * element in row-major order (the one `argmax`/`argmin` returns). PyTorch's `max(dim)` does the
 * same; its all-axes `max()` and `amax` split the gradient evenly among ties instead.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import { formatShape, normalizeAxis } from "../core/shape.ts";
import { axisLayout, planReduction } from "./reduce.ts";

function checkNonEmpty(x: Tensor, axes: readonly number[], op: string): void {
  for (const a of axes) {
    if (x.shape[a] === 0) {
      throw new RangeError(
        `${op}: cannot reduce axis ${a} of size 0 (input shape ${formatShape(x.shape)})`,
      );
    }
  }
  if (x.size === 0 && axes.length === 0) {
    throw new RangeError(`${op}: cannot reduce an empty tensor of shape ${formatShape(x.shape)}`);
  }
}

function extremum(
  x: Tensor,
  axis: number | readonly number[] | undefined,
  keepdim: boolean,
  isMax: boolean,
  op: string,
): Tensor {
  const plan = planReduction(x.shape, axis, keepdim, op);
  checkNonEmpty(x, plan.axes, op);
  const { index, outSize } = plan;
  const best = allocate(x.dtype, outSize);
  const arg = new Int32Array(outSize).fill(-1);
  const src = x.data;
  if (isMax) {
    for (let i = 0; i < src.length; i++) {
      const o = index[i]!;
      const v = src[i]!;
      const b = best[o]!;
      // NaN propagates like PyTorch: the first NaN wins and stays.
      if (arg[o]! < 0 || v > b || (v !== v && b === b)) {
        best[o] = v;
        arg[o] = i;
      }
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const o = index[i]!;
      const v = src[i]!;
      const b = best[o]!;
      if (arg[o]! < 0 || v < b || (v !== v && b === b)) {
        best[o] = v;
        arg[o] = i;
      }
    }
  }
  const out = new Tensor(best, plan.outShape);
  return recordOp(out, op, [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let o = 0; o < outSize; o++) d[arg[o]!]! += gd[o]!;
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Largest value over `axis` (all axes when omitted). The gradient goes to the first maximal
 * element of each reduced group (see the module notes on ties).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { max, tensor } from "gradbook";
 * assert.deepEqual(max(tensor([[1, 5], [7, 2]]), 1).toArray(), [5, 7]);
 * ```
 */
export function max(x: Tensor, axis?: number | readonly number[], keepdim = false): Tensor {
  return extremum(x, axis, keepdim, true, "max");
}

/**
 * Smallest value over `axis` (all axes when omitted). The gradient goes to the first minimal
 * element of each reduced group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { min, tensor } from "gradbook";
 * assert.deepEqual(min(tensor([[1, 5], [7, 2]]), 0).toArray(), [1, 2]);
 * ```
 */
export function min(x: Tensor, axis?: number | readonly number[], keepdim = false): Tensor {
  return extremum(x, axis, keepdim, false, "min");
}

function argExtremum(x: Tensor, axis: number | undefined, keepdim: boolean, isMax: boolean) {
  const op = isMax ? "argmax" : "argmin";
  // With no axis, the flattened tensor is one row; keepdim keeps every dimension as size 1.
  const a = axis === undefined || x.ndim === 0 ? undefined : normalizeAxis(axis, x.ndim, op);
  if (axis !== undefined && x.ndim === 0) normalizeAxis(axis, 0, op);
  checkNonEmpty(x, a === undefined ? [] : [a], op);
  const { outer, size, inner } = a === undefined
    ? { outer: 1, size: x.size, inner: 1 }
    : axisLayout(x.shape, a);
  const out = allocate(x.dtype, outer * inner);
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      let best = src[base]!;
      let at = 0;
      for (let k = 1; k < size; k++) {
        const v = src[base + k * inner]!;
        if (best !== best) break;
        if (isMax ? v > best || v !== v : v < best || v !== v) {
          best = v;
          at = k;
        }
      }
      out[o * inner + j] = at;
    }
  }
  let shape: number[];
  if (a === undefined) shape = keepdim ? x.shape.map(() => 1) : [];
  else {
    shape = [...x.shape];
    if (keepdim) shape[a] = 1;
    else shape.splice(a, 1);
  }
  return new Tensor(out, shape);
}

/**
 * Index of the largest value along `axis` (of the flattened tensor when omitted), as a float
 * tensor of integers; the first index wins ties. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argmax, tensor } from "gradbook";
 * assert.deepEqual(argmax(tensor([[1, 5], [7, 2]]), 1).toArray(), [1, 0]);
 * assert.equal(argmax(tensor([[1, 5], [7, 2]])).item(), 2);
 * ```
 */
export function argmax(x: Tensor, axis?: number, keepdim = false): Tensor {
  return argExtremum(x, axis, keepdim, true);
}

/**
 * Index of the smallest value along `axis` (of the flattened tensor when omitted); the first
 * index wins ties. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argmin, tensor } from "gradbook";
 * assert.deepEqual(argmin(tensor([[1, 5], [7, 2]]), 1).toArray(), [0, 1]);
 * ```
 */
export function argmin(x: Tensor, axis?: number, keepdim = false): Tensor {
  return argExtremum(x, axis, keepdim, false);
}
