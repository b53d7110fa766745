/**
 * Sum and mean over axes (with `keepdim`), and `sumToShape`, which undoes broadcasting in
 * gradients.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";
import {
  broadcastIndex,
  formatShape,
  normalizeAxes,
  type Shape,
  shapesEqual,
  shapeSize,
} from "../core/shape.ts";
import { add, div } from "./elementwise.ts";
import { reshape } from "./reshape.ts";

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

/** `shape` without the dimensions listed in `axes`. */
export function dropAxes(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** How a single-axis op walks a contiguous tensor: `outer` blocks of `size` rows of `inner`. */
export interface AxisLayout {
  outer: number;
  size: number;
  inner: number;
}

/** The {@link AxisLayout} of `shape` around `axis` (already normalised). */
export function axisLayout(shape: readonly number[], axis: number): AxisLayout {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, size: shape[axis] ?? 1, inner };
}

/** Where each input element lands in a reduction over some axes. */
export interface ReductionPlan {
  /** Sorted reduced axes. */
  axes: number[];
  /** The input shape with reduced axes set to 1. */
  keptShape: number[];
  /** The output shape (`keptShape`, or without the reduced axes unless `keepdim`). */
  outShape: number[];
  /** Number of output elements. */
  outSize: number;
  /** Number of input elements reduced into each output element. */
  count: number;
  /** For each input element (row-major), the flat index of its output element. */
  index: Int32Array;
}

/**
 * Plans a reduction of `shape` over `axis` (all axes when undefined), for ops whose loops run over
 * the input once and accumulate into `out[index[i]]`. A rank-0 tensor accepts axis 0 or -1.
 */
export function planReduction(
  shape: readonly number[],
  axis: number | readonly number[] | undefined,
  keepdim: boolean,
  op: string,
): ReductionPlan {
  const axes = normalizeAxes(axis, shape.length, op).filter((a) => a < shape.length);
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  let count = 1;
  for (const a of axes) count *= shape[a]!;
  let index: Int32Array;
  if (axes.length === shape.length) {
    index = new Int32Array(shapeSize(shape)); // everything reduces into element 0
  } else if (axes.length === 1) {
    // Tight loops for the common single-axis case (broadcastIndex walks a counter per element).
    const { outer, size, inner } = axisLayout(shape, axes[0]!);
    index = new Int32Array(outer * size * inner);
    if (inner === 1) {
      for (let o = 0; o < outer; o++) index.fill(o, o * size, (o + 1) * size);
    } else {
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < size; k++) {
          const row = (o * size + k) * inner;
          for (let j = 0; j < inner; j++) index[row + j] = o * inner + j;
        }
      }
    }
  } else {
    index = broadcastIndex(keptShape, shape);
  }
  return {
    axes,
    keptShape,
    outShape: keepdim ? keptShape : dropAxes(keptShape, axes),
    outSize: shapeSize(keptShape),
    count,
    index,
  };
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
  return recordOp(out, "sum", [x], (g) => [expandTo(reshape(g, keptShape), x.shape)]);
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: Tensor, axis?: number | readonly number[], keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "mean");
  let count = 1;
  for (const a of axes) count *= x.shape[a]!;
  return div(sum(x, axes, keepdim), count);
}

/** Broadcasts `t` to `shape` by copying (not differentiable; used inside backward functions). */
export function expandTo(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  return add(t, new Tensor(allocate(t.dtype, shape.reduce((p, d) => p * d, 1)), shape)).detach();
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
