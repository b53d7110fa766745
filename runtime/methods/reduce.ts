/**
 * `Tensor` methods that reduce over axes: sums, means, extrema, statistics and softmax. Each
 * forwards to its function in `ops/`; the signatures and docs are declared on `Tensor` by
 * interface augmentation.
 *
 * @module
 */
import { defineTensorMethods } from "../core/tensor.ts";
import * as extrema from "../ops/extrema.ts";
import * as reduce from "../ops/reduce.ts";
import * as softmaxOps from "../ops/softmax.ts";
import * as statistics from "../ops/statistics.ts";

declare module "../core/tensor.ts" {
  interface Tensor {
    /**
     * Sum over `axis` (all axes when omitted).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 2], [3, 4]]).sum(1).toArray(), [3, 7]);
     * assert.equal(tensor([[1, 2], [3, 4]]).sum().item(), 10);
     * ```
     */
    sum(axis?: number | number[], keepdim?: boolean): Tensor;
    /**
     * Mean over `axis` (all axes when omitted).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 2], [3, 4]]).mean(0, true).toArray(), [[2, 3]]);
     * ```
     */
    mean(axis?: number | number[], keepdim?: boolean): Tensor;
    /**
     * Largest value over `axis` (all when omitted); the gradient goes to the first maximal element.
     * Unlike PyTorch's `max(dim)`, returns the values only: use {@link Tensor.argmax} for indices.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 5], [7, 2]]).max(1).toArray(), [5, 7]);
     * assert.equal(tensor([[1, 5], [7, 2]]).max().item(), 7);
     * ```
     */
    max(axis?: number | number[], keepdim?: boolean): Tensor;
    /**
     * Smallest value over `axis` (all when omitted); the gradient goes to the first minimal element.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 5], [7, 2]]).min(0).toArray(), [1, 2]);
     * ```
     */
    min(axis?: number | number[], keepdim?: boolean): Tensor;
    /**
     * Index of the largest value along `axis` (flattened when omitted); first index on ties.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 5], [7, 2]]).argmax(1).toArray(), [1, 0]);
     * ```
     */
    argmax(axis?: number, keepdim?: boolean): Tensor;
    /**
     * Index of the smallest value along `axis` (flattened when omitted); first index on ties.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 5], [7, 2]]).argmin(1).toArray(), [0, 1]);
     * ```
     */
    argmin(axis?: number, keepdim?: boolean): Tensor;
    /**
     * Variance over `axis` with `correction` (default 1: unbiased, like PyTorch).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.ok(Math.abs(tensor([1, 2, 3, 4]).var().item() - 5 / 3) < 1e-6);
     * assert.equal(tensor([1, 2, 3, 4]).var(0, { correction: 0 }).item(), 1.25);
     * ```
     */
    var(axis?: number | number[], options?: statistics.VarianceOptions): Tensor;
    /**
     * Standard deviation over `axis` (same options as {@link Tensor.var}).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.equal(tensor([1, 3]).std(0, { correction: 0 }).item(), 1);
     * ```
     */
    std(axis?: number | number[], options?: statistics.VarianceOptions): Tensor;
    /**
     * Vector p-norm over `axis` (default p = 2 over all elements), like `x.norm(p, dim, keepdim)`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.equal(tensor([3, 4]).norm().item(), 5);
     * assert.deepEqual(tensor([[3, -4]]).norm(1, 1).toArray(), [7]);
     * ```
     */
    norm(p?: number, axis?: number | number[], keepdim?: boolean): Tensor;
    /**
     * $\log\sum e^{x}$ over `axis` (all when omitted), without overflow.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.ok(Math.abs(tensor([0, 0]).logsumexp().item() - Math.LN2) < 1e-6);
     * ```
     */
    logsumexp(axis?: number | number[], keepdim?: boolean): Tensor;
    /**
     * Softmax along `axis` (default: the last), stable for large inputs.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 1]]).softmax(-1).toArray(), [[0.5, 0.5]]);
     * ```
     */
    softmax(axis?: number): Tensor;
    /**
     * Log-softmax along `axis` (default: the last): $x - \log\sum e^{x}$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * for (const v of tensor([0, 0]).logSoftmax().toFlatArray()) {
     *   assert.ok(Math.abs(v + Math.LN2) < 1e-6);
     * }
     * ```
     */
    logSoftmax(axis?: number): Tensor;
  }
}

defineTensorMethods({
  sum(axis, keepdim = false) {
    return reduce.sum(this, axis, keepdim);
  },
  mean(axis, keepdim = false) {
    return reduce.mean(this, axis, keepdim);
  },
  max(axis, keepdim = false) {
    return extrema.max(this, axis, keepdim);
  },
  min(axis, keepdim = false) {
    return extrema.min(this, axis, keepdim);
  },
  argmax(axis, keepdim = false) {
    return extrema.argmax(this, axis, keepdim);
  },
  argmin(axis, keepdim = false) {
    return extrema.argmin(this, axis, keepdim);
  },
  var(axis, options = {}) {
    return statistics.variance(this, axis, options);
  },
  std(axis, options = {}) {
    return statistics.std(this, axis, options);
  },
  norm(p = 2, axis, keepdim = false) {
    return statistics.norm(this, p, axis, keepdim);
  },
  logsumexp(axis, keepdim = false) {
    return softmaxOps.logsumexp(this, axis, keepdim);
  },
  softmax(axis = -1) {
    return softmaxOps.softmax(this, axis);
  },
  logSoftmax(axis = -1) {
    return softmaxOps.logSoftmax(this, axis);
  },
});
