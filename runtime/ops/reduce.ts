/**
 * Sum and mean over axes (with `keepdim`), and `sumToShape`, which undoes broadcasting in
 * gradients.
 *
 * @module
 */
import { recordOp } from "../autograd.ts";
import { allocate, Tensor, type TensorData } from "../tensor.ts";
import { formatShape, normalizeAxes, type Shape, shapesEqual } from "../shape.ts";

/** Sums `data` (shape `shape`) over one axis, keeping it as size 1. */
function sumOneAxis(data: TensorData, shape: readonly number[], axis: number): TensorData {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  const n = shape[axis]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const out = data instanceof Float64Array
    ? new Float64Array(outer * inner)
    : new Float32Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = o * n;
      for (let k = 0; k < n; k++) s += data[base + k]!;
      out[o] = s;
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    const outBase = o * inner;
    for (let k = 0; k < n; k++) {
      const base = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) out[outBase + i]! += data[base + i]!;
    }
  }
  return out;
}

/** Sums raw data over the given (sorted) axes, keeping them as size-1 dimensions. */
function sumAxesKeep(t: Tensor, axes: number[]): { data: TensorData; shape: number[] } {
  let data = t.data;
  const shape = [...t.shape];
  for (const axis of axes) {
    if (shape[axis] === 1) continue;
    data = sumOneAxis(data, shape, axis);
    shape[axis] = 1;
  }
  if (data === t.data) data = data.slice() as TensorData;
  return { data, shape };
}

function dropAxes(shape: number[], axes: number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** Sum over `axis` (all axes when omitted); keeps reduced axes as size 1 when `keepdim`. */
export function sum(x: Tensor, axis?: number | readonly number[], keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "sum");
  let data: TensorData;
  let keptShape: number[];
  if (axes.length === x.ndim) {
    let s = 0;
    const src = x.data;
    for (let i = 0; i < src.length; i++) s += src[i]!;
    data = allocate(x.dtype, 1);
    data[0] = s;
    keptShape = x.shape.map(() => 1);
  } else {
    ({ data, shape: keptShape } = sumAxesKeep(x, axes));
  }
  const outShape = keepdim ? keptShape : dropAxes(keptShape, axes);
  const out = new Tensor(data, outShape);
  return recordOp(out, "sum", [x], (g) => [expandTo(g.reshape(keptShape), x.shape)]);
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: Tensor, axis?: number | readonly number[], keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "mean");
  let count = 1;
  for (const a of axes) count *= x.shape[a]!;
  return sum(x, axes, keepdim).div(count);
}

/** Broadcasts `t` to `shape` by copying (not differentiable; used inside backward functions). */
export function expandTo(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  return t.add(new Tensor(allocate(t.dtype, shape.reduce((p, d) => p * d, 1)), shape)).detach();
}

/**
 * Sums `g` down to `shape`, undoing broadcasting: leading extra dimensions are summed away and
 * dimensions that were 1 in `shape` are summed with keepdim.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const extra = g.ndim - shape.length;
  if (extra < 0) {
    throw new RangeError(
      `sumToShape: cannot reduce ${formatShape(g.shape)} to ${formatShape(shape)}`,
    );
  }
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < extra || (shape[i - extra] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const { data } = sumAxesKeep(g, axes);
  return new Tensor(data, shape);
}
