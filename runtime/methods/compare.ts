/**
 * `Tensor` methods that compare and select (0/1 results, not differentiable). Each forwards to its
 * function in `ops/compare.ts`; the signatures and docs are declared on `Tensor` by interface
 * augmentation.
 *
 * @module
 */
import { defineTensorMethods, type TensorLike } from "../core/tensor.ts";
import * as compare from "../ops/compare.ts";

declare module "../core/tensor.ts" {
  interface Tensor {
    /**
     * `this > other` as 1 or 0, with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).gt(2).toArray(), [0, 0, 1]);
     * ```
     */
    gt(other: TensorLike): Tensor;
    /**
     * `this < other` as 1 or 0, with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).lt(2).toArray(), [1, 0, 0]);
     * ```
     */
    lt(other: TensorLike): Tensor;
    /**
     * `this >= other` as 1 or 0, with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).ge(2).toArray(), [0, 1, 1]);
     * ```
     */
    ge(other: TensorLike): Tensor;
    /**
     * `this <= other` as 1 or 0, with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).le(2).toArray(), [1, 1, 0]);
     * ```
     */
    le(other: TensorLike): Tensor;
    /**
     * `this == other` as 1 or 0, with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).eq(tensor([1, 0, 3])).toArray(), [1, 0, 1]);
     * ```
     */
    eq(other: TensorLike): Tensor;
    /**
     * `this != other` as 1 or 0, with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).ne(2).toArray(), [1, 0, 1]);
     * ```
     */
    ne(other: TensorLike): Tensor;
    /**
     * This tensor where `condition` is nonzero, else `other` (PyTorch's `x.where(condition, y)`).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * const x = tensor([-1, 2]);
     * assert.deepEqual(x.where(x.gt(0), 0).toArray(), [0, 2]);
     * ```
     */
    where(condition: Tensor, other: TensorLike): Tensor;
    /**
     * Sets elements where `mask` (broadcast to this shape) is nonzero to `value`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 2, 3]).maskedFill(tensor([0, 1, 0]), 0).toArray(), [1, 0, 3]);
     * ```
     */
    maskedFill(mask: Tensor, value: number): Tensor;
  }
}

defineTensorMethods({
  gt(other) {
    return compare.gt(this, other);
  },
  lt(other) {
    return compare.lt(this, other);
  },
  ge(other) {
    return compare.ge(this, other);
  },
  le(other) {
    return compare.le(this, other);
  },
  eq(other) {
    return compare.eq(this, other);
  },
  ne(other) {
    return compare.ne(this, other);
  },
  where(condition, other) {
    return compare.where(condition, this, other);
  },
  maskedFill(mask, value) {
    return compare.maskedFill(this, mask, value);
  },
});
