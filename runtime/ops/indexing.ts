/**
 * Indexing: `slice`/`narrow`, `indexSelect`, `gather` and `oneHot`. Indices are integers held in
 * float tensors (the runtime has no integer dtype) or plain `number[]`.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, type DType, Tensor } from "../core/tensor.ts";
import { contiguousStrides, formatShape, normalizeAxis } from "../core/shape.ts";
import { axisLayout } from "./reduce.ts";

/** Integer indices as a `Tensor` of whole numbers or a `number[]`. */
export type Indices = Tensor | readonly number[];

/**
 * Reads `indices` into an Int32Array, checking each is an integer in `[0, size)` (negative values
 * count from the end when `allowNegative`). Errors name the op.
 */
export function readIndices(
  indices: Indices,
  size: number,
  op: string,
  what: string,
  allowNegative = false,
): Int32Array {
  let values: ArrayLike<number>;
  if (indices instanceof Tensor) values = indices.data;
  else if (Array.isArray(indices)) values = indices;
  else {
    throw new TypeError(
      `${op}: expected ${what} as a Tensor or number[], got ${typeof indices}`,
    );
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) {
      throw new TypeError(`${op}: ${what} must be integers, got ${v} at position ${i}`);
    }
    const r = v < 0 && allowNegative ? v + size : v;
    if (r < 0 || r >= size) {
      throw new RangeError(`${op}: ${what} ${v} is out of range for size ${size}`);
    }
    out[i] = r;
  }
  return out;
}

function checkTensor(t: unknown, op: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(
      `${op}: expected a Tensor, got ${Array.isArray(t) ? "an array" : typeof t}`,
    );
  }
}

/**
 * Elements `start, start + step, ...` before `end` along `axis`, with Python's slicing rules:
 * negative `start`/`end` count from the end and out-of-range bounds are clipped. Always copies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slice, tensor } from "gradbook";
 * const x = tensor([[0, 1, 2, 3], [4, 5, 6, 7]]);
 * assert.deepEqual(slice(x, 1, 1, 3).toArray(), [[1, 2], [5, 6]]);
 * assert.deepEqual(slice(x, 1, 0, undefined, 2).toArray(), [[0, 2], [4, 6]]);
 * assert.deepEqual(slice(x, 0, -1).toArray(), [[4, 5, 6, 7]]);
 * ```
 */
export function slice(x: Tensor, axis: number, start = 0, end?: number, step = 1): Tensor {
  checkTensor(x, "slice");
  const a = normalizeAxis(axis, x.ndim, "slice");
  if (x.ndim === 0) throw new RangeError("slice: cannot slice a scalar (shape [])");
  if (!Number.isInteger(step) || step <= 0) {
    throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  }
  for (const [name, v] of [["start", start], ["end", end]] as const) {
    if (v !== undefined && !Number.isInteger(v)) {
      throw new TypeError(`slice: ${name} must be an integer, got ${v}`);
    }
  }
  const size = x.shape[a]!;
  const clip = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const from = clip(start);
  const to = clip(end ?? size);
  const length = Math.max(0, Math.ceil((to - from) / step));
  const positions = new Int32Array(length);
  for (let k = 0; k < length; k++) positions[k] = from + k * step;
  return take(x, a, positions, "slice");
}

/**
 * `length` elements from `start` along `axis` (PyTorch's `narrow`); out of range is an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { narrow, tensor } from "gradbook";
 * assert.deepEqual(narrow(tensor([0, 1, 2, 3]), 0, 1, 2).toArray(), [1, 2]);
 * ```
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor(x, "narrow");
  const a = normalizeAxis(axis, x.ndim, "narrow");
  const size = x.shape[a] ?? 1;
  const from = start < 0 ? start + size : start;
  if (
    !Number.isInteger(start) || !Number.isInteger(length) || from < 0 || length < 0 ||
    from + length > size
  ) {
    throw new RangeError(
      `narrow: start ${start} and length ${length} do not fit axis ${axis} of size ${size} ` +
        `(shape ${formatShape(x.shape)})`,
    );
  }
  return slice(x, a, from, from + length);
}

/**
 * Picks entries along `axis` in the order given (repeats allowed); the gradient of a repeated
 * index accumulates. Like `torch.index_select`; embeddings use it on axis 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSelect, tensor } from "gradbook";
 * const table = tensor([[1, 1], [2, 2], [3, 3]]);
 * assert.deepEqual(indexSelect(table, 0, [2, 0, 2]).toArray(), [[3, 3], [1, 1], [3, 3]]);
 * ```
 */
export function indexSelect(x: Tensor, axis: number, indices: Indices): Tensor {
  checkTensor(x, "indexSelect");
  const a = normalizeAxis(axis, x.ndim, "indexSelect");
  if (indices instanceof Tensor && indices.ndim > 1) {
    throw new RangeError(
      `indexSelect: indices must be 1-D, got shape ${formatShape(indices.shape)}`,
    );
  }
  if (x.ndim === 0) throw new RangeError("indexSelect: cannot index a scalar (shape [])");
  const positions = readIndices(indices, x.shape[a]!, "indexSelect", "index");
  return take(x, a, positions, "indexSelect");
}

/** Copies the rows `positions` of `axis`; the backward scatter-adds into them. */
function take(x: Tensor, axis: number, positions: Int32Array, op: string): Tensor {
  const { outer, size, inner } = axisLayout(x.shape, axis);
  const count = positions.length;
  const src = x.data;
  const out = allocate(x.dtype, outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const from = (o * size + positions[k]!) * inner;
      const to = (o * count + k) * inner;
      if (inner >= 16) out.set(src.subarray(from, from + inner), to);
      else for (let j = 0; j < inner; j++) out[to + j] = src[from + j]!;
    }
  }
  const shape = [...x.shape];
  shape[axis] = count;
  return recordOp(new Tensor(out, shape), op, [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < count; k++) {
        const to = (o * size + positions[k]!) * inner;
        const from = (o * count + k) * inner;
        for (let j = 0; j < inner; j++) d[to + j]! += gd[from + j]!;
      }
    }
    return [new Tensor(d, x.shape)];
  });
}

/**
 * `out[i][j][k] = x[i][index[i][j][k]][k]` for `axis` 1 (and likewise for any axis), like
 * `torch.gather`: `index` has the rank of `x`, sizes no larger than `x`'s outside `axis`, and the
 * output has the shape of `index`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gather, tensor } from "gradbook";
 * const x = tensor([[10, 11, 12], [20, 21, 22]]);
 * assert.deepEqual(gather(x, 1, tensor([[2], [0]])).toArray(), [[12], [20]]);
 * ```
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  checkTensor(x, "gather");
  if (!(index instanceof Tensor)) {
    throw new TypeError(
      `gather: index must be a Tensor of integers, got ${
        Array.isArray(index) ? "an array (wrap it with tensor(...))" : typeof index
      }`,
    );
  }
  const a = normalizeAxis(axis, x.ndim, "gather");
  const rank = x.ndim;
  if (index.ndim !== rank) {
    throw new RangeError(
      `gather: index shape ${formatShape(index.shape)} has ${index.ndim} dimensions but input ` +
        `shape ${formatShape(x.shape)} has ${rank}`,
    );
  }
  for (let d = 0; d < rank; d++) {
    if (d !== a && index.shape[d]! > x.shape[d]!) {
      throw new RangeError(
        `gather: index shape ${formatShape(index.shape)} does not fit input shape ${
          formatShape(x.shape)
        } (size ${index.shape[d]} > ${x.shape[d]} at dimension ${d}, which is not axis ${a})`,
      );
    }
  }
  const idx = readIndices(index, rank === 0 ? 1 : x.shape[a]!, "gather", "index");
  const strides = contiguousStrides(x.shape);
  const axisStride = strides[a] ?? 1;
  const src = x.data;
  const n = index.size;
  const positions = new Int32Array(n);
  const out = allocate(x.dtype, n);
  const counter = new Array<number>(rank).fill(0);
  const shape = index.shape;
  let base = 0; // offset into x of the current position, without the axis coordinate
  for (let p = 0; p < n; p++) {
    const at = base + idx[p]! * axisStride;
    positions[p] = at;
    out[p] = src[at]!;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      if (d !== a) base += strides[d]!;
      if (counter[d]! < shape[d]!) break;
      if (d !== a) base -= strides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return recordOp(new Tensor(out, index.shape), "gather", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let p = 0; p < n; p++) d[positions[p]!]! += gd[p]!;
    return [new Tensor(d, x.shape)];
  });
}

/**
 * One-hot encoding: shape `[...indices.shape, numClasses]`, 1 at each index and 0 elsewhere
 * (float, unlike PyTorch's int64). `numClasses` defaults to the largest index + 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneHot } from "gradbook";
 * assert.deepEqual(oneHot([0, 2], 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
 * ```
 */
export function oneHot(
  indices: Indices,
  numClasses = -1,
  options: { dtype?: DType } = {},
): Tensor {
  const values = indices instanceof Tensor ? indices.data : indices;
  if (!(indices instanceof Tensor) && !Array.isArray(indices)) {
    throw new TypeError(`oneHot: expected indices as a Tensor or number[], got ${typeof indices}`);
  }
  let classes = numClasses;
  if (classes === -1) {
    classes = 0;
    for (let i = 0; i < values.length; i++) classes = Math.max(classes, values[i]! + 1);
  }
  if (!Number.isInteger(classes) || classes < 0) {
    throw new RangeError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
  }
  const positions = readIndices(indices, classes, "oneHot", "class index");
  const dtype = options.dtype ?? (indices instanceof Tensor ? indices.dtype : "float32");
  const out = allocate(dtype, positions.length * classes);
  for (let i = 0; i < positions.length; i++) out[i * classes + positions[i]!] = 1;
  const shape = indices instanceof Tensor ? [...indices.shape, classes] : [values.length, classes];
  return new Tensor(out, shape);
}
