/**
 * `Tensor` methods for matrix products, shapes and indexing. Each forwards to its function in
 * `ops/`; the signatures and docs are declared on `Tensor` by interface augmentation.
 *
 * @module
 */
import { defineTensorMethods } from "../core/tensor.ts";
import * as indexing from "../ops/indexing.ts";
import * as linalg from "../ops/matmul.ts";
import * as reshape from "../ops/reshape.ts";

declare module "../core/tensor.ts" {
  interface Tensor {
    /**
     * Matrix product (1-D, 2-D and batched, like `torch.matmul`).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 2]]).matmul(tensor([[3], [4]])).toArray(), [[11]]);
     * ```
     */
    matmul(other: Tensor): Tensor;
    /**
     * Same values in a new shape; one dimension may be -1.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3, 4]).reshape(2, -1).toArray(), [[1, 2], [3, 4]]);
     * ```
     */
    reshape(...shape: number[] | [number[]]): Tensor;
    /**
     * Alias of {@link Tensor.reshape} (storage is always contiguous).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3, 4]).view([2, 2]).shape, [2, 2]);
     * ```
     */
    view(...shape: number[] | [number[]]): Tensor;
    /**
     * Swaps two dimensions (default: the last two).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 2, 3]]).transpose().shape, [3, 1]);
     * ```
     */
    transpose(dim0?: number, dim1?: number): Tensor;
    /**
     * Transpose of a 2-D tensor.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 2]]).T.toArray(), [[1], [2]]);
     * ```
     */
    readonly T: Tensor;
    /**
     * Reorders dimensions.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { zeros, tensor } from "gradbook";
     * assert.deepEqual(zeros([2, 3, 4]).permute(2, 0, 1).shape, [4, 2, 3]);
     * ```
     */
    permute(...dims: number[] | [number[]]): Tensor;
    /**
     * Removes size-1 dimensions (all, or those in `axis`).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { zeros } from "gradbook";
     * assert.deepEqual(zeros([1, 3, 1]).squeeze().shape, [3]);
     * ```
     */
    squeeze(axis?: number | number[]): Tensor;
    /**
     * Inserts a size-1 dimension at `axis`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { zeros } from "gradbook";
     * assert.deepEqual(zeros([2, 3]).unsqueeze(0).shape, [1, 2, 3]);
     * ```
     */
    unsqueeze(axis: number): Tensor;
    /**
     * Merges dimensions `startDim..endDim` (inclusive) into one.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { zeros } from "gradbook";
     * assert.deepEqual(zeros([2, 3, 4]).flatten(1).shape, [2, 12]);
     * ```
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * Broadcasts to a larger shape (copying); -1 keeps a size.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1], [2]]).expand(2, 3).toArray(), [[1, 1, 1], [2, 2, 2]]);
     * ```
     */
    expand(...shape: number[] | [number[]]): Tensor;
    /**
     * Broadcasts to `shape` (same as {@link Tensor.expand}).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2]).broadcastTo([2, 2]).toArray(), [[1, 2], [1, 2]]);
     * ```
     */
    broadcastTo(shape: readonly number[]): Tensor;
    /**
     * Tiles the tensor `repeats[i]` times along dimension i (PyTorch's `repeat`).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2]).repeat(2).toArray(), [1, 2, 1, 2]);
     * ```
     */
    repeat(...repeats: number[] | [number[]]): Tensor;
    /**
     * Elements `start, start + step, ...` before `end` along `axis` (Python slicing rules).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0, 1, 2, 3, 4]).slice(0, 1, 4, 2).toArray(), [1, 3]);
     * ```
     */
    slice(axis: number, start?: number, end?: number, step?: number): Tensor;
    /**
     * `length` elements from `start` along `axis`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0, 1, 2, 3]).narrow(0, 1, 2).toArray(), [1, 2]);
     * ```
     */
    narrow(axis: number, start: number, length: number): Tensor;
    /**
     * Picks entries along `axis` by integer indices (repeats allowed), like `index_select`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 1], [2, 2], [3, 3]]).indexSelect(0, [2, 0]).toArray(), [[3, 3], [1, 1]]);
     * ```
     */
    indexSelect(axis: number, indices: indexing.Indices): Tensor;
    /**
     * Alias of {@link Tensor.indexSelect}.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([10, 20, 30]).index(0, [1]).toArray(), [20]);
     * ```
     */
    index(axis: number, indices: indexing.Indices): Tensor;
    /**
     * Gathers values along `axis` at the positions in `index` (same rank), like `torch.gather`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[10, 11], [20, 21]]).gather(1, tensor([[1], [0]])).toArray(), [[11], [20]]);
     * ```
     */
    gather(axis: number, index: Tensor): Tensor;
  }
}

defineTensorMethods({
  matmul(other) {
    return linalg.matmul(this, other);
  },
  reshape(...shape) {
    return reshape.reshape(this, flattenShapeArgs(shape));
  },
  view(...shape) {
    return reshape.reshape(this, flattenShapeArgs(shape));
  },
  transpose(dim0 = -2, dim1 = -1) {
    return reshape.transpose(this, dim0, dim1);
  },
  get T() {
    return reshape.transpose(this, 0, 1);
  },
  permute(...dims) {
    return reshape.permute(this, flattenShapeArgs(dims));
  },
  squeeze(axis) {
    return reshape.squeeze(this, axis);
  },
  unsqueeze(axis) {
    return reshape.unsqueeze(this, axis);
  },
  flatten(startDim = 0, endDim = -1) {
    return reshape.flatten(this, startDim, endDim);
  },
  expand(...shape) {
    return reshape.expand(this, flattenShapeArgs(shape));
  },
  broadcastTo(shape) {
    return reshape.expand(this, shape);
  },
  repeat(...repeats) {
    return reshape.repeat(this, flattenShapeArgs(repeats));
  },
  slice(axis, start = 0, end, step = 1) {
    return indexing.slice(this, axis, start, end, step);
  },
  narrow(axis, start, length) {
    return indexing.narrow(this, axis, start, length);
  },
  indexSelect(axis, indices) {
    return indexing.indexSelect(this, axis, indices);
  },
  index(axis, indices) {
    return indexing.indexSelect(this, axis, indices);
  },
  gather(axis, index) {
    return indexing.gather(this, axis, index);
  },
});

function flattenShapeArgs(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
}
