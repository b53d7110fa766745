/**
 * Shape ops: reshape/view, squeeze/unsqueeze/flatten, transpose/permute, expand and repeat.
 * Storage is always contiguous, so transpose, permute, expand and repeat copy.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import {
  broadcastIndex,
  contiguousStrides,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  shapeSize,
} from "../core/shape.ts";
import { sumToShape } from "./reduce.ts";

/** The same values in a new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const resolved = [...shape];
  const unknown = resolved.indexOf(-1);
  if (unknown !== resolved.lastIndexOf(-1)) {
    throw new RangeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
  }
  if (unknown >= 0) {
    const known = resolved.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new RangeError(
        `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${
          formatShape(shape)
        }`,
      );
    }
    resolved[unknown] = x.size / known;
  }
  if (resolved.some((d) => !Number.isInteger(d) || d < 0) || shapeSize(resolved) !== x.size) {
    throw new RangeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${
        formatShape(shape)
      }`,
    );
  }
  const out = new Tensor(x.data, resolved);
  return recordOp(out, "reshape", [x], (g) => [new Tensor(g.data, x.shape)]);
}

/** Reorders the dimensions of `x`: output dimension i is input dimension `dims[i]`. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const rank = x.ndim;
  const perm = dims.map((d) => normalizeAxis(d, rank, "permute"));
  if (perm.length !== rank || new Set(perm).size !== rank) {
    throw new RangeError(
      `permute: dims ${formatShape(dims)} are not a permutation of the ${rank} dimensions of ${
        formatShape(x.shape)
      }`,
    );
  }
  const outShape = perm.map((d) => x.shape[d]!);
  const inStrides = contiguousStrides(x.shape);
  const srcStrides = perm.map((d) => inStrides[d]!);
  const out = allocate(x.dtype, x.size);
  const src = x.data;
  if (rank === 2 && perm[0] === 1) {
    // Fast 2-D transpose.
    const rows = x.shape[0]!;
    const cols = x.shape[1]!;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[j * rows + i] = src[i * cols + j]!;
    }
  } else {
    const counter = new Array<number>(rank).fill(0);
    let offset = 0;
    for (let k = 0; k < out.length; k++) {
      out[k] = src[offset]!;
      for (let d = rank - 1; d >= 0; d--) {
        counter[d]!++;
        offset += srcStrides[d]!;
        if (counter[d]! < outShape[d]!) break;
        offset -= srcStrides[d]! * counter[d]!;
        counter[d] = 0;
      }
    }
  }
  const inverse = new Array<number>(rank);
  perm.forEach((d, i) => (inverse[d] = i));
  return recordOp(new Tensor(out, outShape), "permute", [x], (g) => [permute(g, inverse)]);
}

/** Swaps dimensions `dim0` and `dim1`. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const rank = x.ndim;
  if (rank < 2) return x;
  const a = normalizeAxis(dim0, rank, "transpose");
  const b = normalizeAxis(dim1, rank, "transpose");
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/**
 * Removes dimensions of size 1: all of them, or only those in `axis` (a listed axis whose size
 * is not 1 is left alone, like PyTorch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { squeeze, zeros } from "gradbook";
 * assert.deepEqual(squeeze(zeros([1, 3, 1])).shape, [3]);
 * assert.deepEqual(squeeze(zeros([1, 3, 1]), 2).shape, [1, 3]);
 * ```
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes = x.ndim === 0 ? [] : normalizeAxes(axis, x.ndim, "squeeze");
  return reshape(x, x.shape.filter((d, i) => !(d === 1 && axes.includes(i))));
}

/**
 * Inserts a dimension of size 1 at `axis` (from `-ndim - 1` to `ndim`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unsqueeze, zeros } from "gradbook";
 * assert.deepEqual(unsqueeze(zeros([2, 3]), 1).shape, [2, 1, 3]);
 * assert.deepEqual(unsqueeze(zeros([2, 3]), -1).shape, [2, 3, 1]);
 * ```
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.ndim + 1, "unsqueeze");
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Merges dimensions `startDim..endDim` (inclusive; default all) into one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flatten, zeros } from "gradbook";
 * assert.deepEqual(flatten(zeros([2, 3, 4])).shape, [24]);
 * assert.deepEqual(flatten(zeros([2, 3, 4]), 1).shape, [2, 12]);
 * ```
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, "flatten");
  const e = normalizeAxis(endDim, x.ndim, "flatten");
  if (s > e) {
    throw new RangeError(
      `flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${
        formatShape(x.shape)
      }`,
    );
  }
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/**
 * Broadcasts `x` to `shape` (copying): dimensions of size 1 stretch, new leading dimensions are
 * added, and -1 keeps a size. The gradient sums back over the broadcast dimensions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expand, tensor } from "gradbook";
 * assert.deepEqual(expand(tensor([[1], [2]]), [2, 3]).toArray(), [[1, 1, 1], [2, 2, 2]]);
 * assert.deepEqual(expand(tensor([1, 2]), [2, -1]).toArray(), [[1, 2], [1, 2]]);
 * ```
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const extra = shape.length - x.ndim;
  const fail = (why: string) =>
    new RangeError(
      `expand: cannot expand ${formatShape(x.shape)} to ${formatShape(shape)} (${why})`,
    );
  if (extra < 0) throw fail("the target has fewer dimensions");
  const target = shape.map((d, i) => {
    const own = i >= extra ? x.shape[i - extra]! : undefined;
    if (d === -1) {
      if (own === undefined) throw fail(`-1 is not allowed for new dimension ${i}`);
      return own;
    }
    if (!Number.isInteger(d) || d < 0) throw fail(`size ${d} at dimension ${i} is invalid`);
    if (own !== undefined && own !== 1 && own !== d) {
      throw fail(`size ${own} at dimension ${i} is not 1`);
    }
    return d;
  });
  if (target.join() === x.shape.join()) return x;
  const index = broadcastIndex(x.shape, target);
  const src = x.data;
  const out = allocate(x.dtype, index.length);
  for (let i = 0; i < out.length; i++) out[i] = src[index[i]!]!;
  return recordOp(new Tensor(out, target), "expand", [x], (g) => [sumToShape(g, x.shape)]);
}

/**
 * Tiles `x`: dimension i is repeated `repeats[i]` times (PyTorch's `Tensor.repeat`; extra leading
 * repeats add dimensions). The gradient sums the tiles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repeat, tensor } from "gradbook";
 * assert.deepEqual(repeat(tensor([1, 2]), [2]).toArray(), [1, 2, 1, 2]);
 * assert.deepEqual(repeat(tensor([1, 2]), [2, 1]).toArray(), [[1, 2], [1, 2]]);
 * ```
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new RangeError(
      `repeat: ${repeats.length} repeats for a tensor of shape ${formatShape(x.shape)} ` +
        `(need at least ${x.ndim})`,
    );
  }
  if (repeats.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new RangeError(
      `repeat: repeats must be non-negative integers, got ${formatShape(repeats)}`,
    );
  }
  const rank = repeats.length;
  const inShape = [...new Array<number>(rank - x.ndim).fill(1), ...x.shape];
  const outShape = inShape.map((d, i) => d * repeats[i]!);
  const inStrides = contiguousStrides(inShape);
  const n = shapeSize(outShape);
  const index = new Int32Array(n);
  const counter = new Array<number>(rank).fill(0);
  for (let k = 0; k < n; k++) {
    let at = 0;
    for (let d = 0; d < rank; d++) at += (counter[d]! % inShape[d]!) * inStrides[d]!;
    index[k] = at;
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d]! < outShape[d]!) break;
      counter[d] = 0;
    }
  }
  const src = x.data;
  const out = allocate(x.dtype, n);
  for (let i = 0; i < n; i++) out[i] = src[index[i]!]!;
  return recordOp(new Tensor(out, outShape), "repeat", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < n; i++) d[index[i]!]! += gd[i]!;
    return [new Tensor(d, x.shape)];
  });
}
