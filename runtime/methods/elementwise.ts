/**
 * `Tensor` methods for elementwise arithmetic, math functions, activations and dtype casts. Each
 * forwards to its function in `ops/`; the signatures and docs are declared on `Tensor` by
 * interface augmentation, so editors see them as ordinary methods.
 *
 * @module
 */
import { defineTensorMethods, type DType, type TensorLike } from "../core/tensor.ts";
import * as activation from "../ops/activation.ts";
import * as compare from "../ops/compare.ts";
import * as elementwise from "../ops/elementwise.ts";

declare module "../core/tensor.ts" {
  interface Tensor {
    /**
     * A copy with its own storage (differentiable).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * const x = tensor([1, 2]);
     * const y = x.clone();
     * assert.deepEqual(y.toArray(), [1, 2]);
     * assert.notEqual(y.data, x.data); // new storage
     * ```
     */
    clone(): Tensor;
    /**
     * Converts to another dtype (differentiable).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.equal(tensor([1, 2]).to("float64").dtype, "float64");
     * ```
     */
    to(dtype: DType): Tensor;
    /**
     * Elementwise sum with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1, 2], [3, 4]]).add(tensor([10, 20])).toArray(), [[11, 22], [13, 24]]);
     * ```
     */
    add(other: TensorLike): Tensor;
    /**
     * Elementwise difference with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([5, 7]).sub(2).toArray(), [3, 5]);
     * ```
     */
    sub(other: TensorLike): Tensor;
    /**
     * Elementwise product with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([[1], [2]]).mul(tensor([3, 4])).toArray(), [[3, 4], [6, 8]]);
     * ```
     */
    mul(other: TensorLike): Tensor;
    /**
     * Elementwise quotient with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([3, 6]).div(3).toArray(), [1, 2]);
     * ```
     */
    div(other: TensorLike): Tensor;
    /**
     * Elementwise power with broadcasting.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([2, 3]).pow(2).toArray(), [4, 9]);
     * ```
     */
    pow(exponent: TensorLike): Tensor;
    /**
     * $-x$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, -2]).neg().toArray(), [-1, 2]);
     * ```
     */
    neg(): Tensor;
    /**
     * $e^x$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0]).exp().toArray(), [1]);
     * ```
     */
    exp(): Tensor;
    /**
     * Natural logarithm.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1]).log().toArray(), [0]);
     * ```
     */
    log(): Tensor;
    /**
     * Square root.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([4, 9]).sqrt().toArray(), [2, 3]);
     * ```
     */
    sqrt(): Tensor;
    /**
     * $|x|$ (gradient 0 at 0, like PyTorch).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([-2, 3]).abs().toArray(), [2, 3]);
     * ```
     */
    abs(): Tensor;
    /**
     * $\tanh x$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0]).tanh().toArray(), [0]);
     * ```
     */
    tanh(): Tensor;
    /**
     * $\sigma(x) = 1/(1+e^{-x})$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0]).sigmoid().toArray(), [0.5]);
     * ```
     */
    sigmoid(): Tensor;
    /**
     * $\max(x, 0)$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([-1, 2]).relu().toArray(), [0, 2]);
     * ```
     */
    relu(): Tensor;
    /**
     * $x^2$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([-3, 2]).square().toArray(), [9, 4]);
     * ```
     */
    square(): Tensor;
    /**
     * $1/x$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([2, 4]).reciprocal().toArray(), [0.5, 0.25]);
     * ```
     */
    reciprocal(): Tensor;
    /**
     * $\log(1 + x)$, accurate for small $x$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0]).log1p().toArray(), [0]);
     * ```
     */
    log1p(): Tensor;
    /**
     * The error function $\mathrm{erf}(x)$.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([0]).erf().toArray(), [0]);
     * ```
     */
    erf(): Tensor;
    /**
     * Clamps into `[min, max]`; either bound may be `undefined`. Gradient 1 inside, 0 outside.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([-2, 0.5, 3]).clamp(-1, 1).toArray(), [-1, 0.5, 1]);
     * ```
     */
    clamp(min?: number, max?: number): Tensor;
    /**
     * Elementwise maximum with broadcasting (ties split the gradient).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 5]).maximum(tensor([3, 2])).toArray(), [3, 5]);
     * ```
     */
    maximum(other: TensorLike): Tensor;
    /**
     * Elementwise minimum with broadcasting (ties split the gradient).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([1, 5]).minimum(3).toArray(), [1, 3]);
     * ```
     */
    minimum(other: TensorLike): Tensor;
    /**
     * Leaky ReLU: $x$ if $x > 0$, else `negativeSlope` $\cdot x$ (default 0.01).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.deepEqual(tensor([-10, 3]).leakyRelu(0.5).toArray(), [-5, 3]);
     * ```
     */
    leakyRelu(negativeSlope?: number): Tensor;
    /**
     * GELU $x\Phi(x)$, or its tanh approximation with `{ approximate: "tanh" }`.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * const y = tensor([0, 1]).gelu().toFlatArray();
     * assert.equal(y[0], 0);
     * assert.ok(Math.abs(y[1]! - 0.8413447) < 1e-6);
     * const t = tensor([1]).gelu({ approximate: "tanh" }).item();
     * assert.ok(Math.abs(t - 0.8411920) < 1e-6);
     * ```
     */
    gelu(options?: activation.GeluOptions): Tensor;
    /**
     * Softplus $\frac{1}{\beta}\log(1 + e^{\beta x})$, linear above `threshold` (default 20).
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * assert.ok(Math.abs(tensor([0]).softplus().item() - Math.LN2) < 1e-6);
     * ```
     */
    softplus(options?: activation.SoftplusOptions): Tensor;
  }
}

defineTensorMethods({
  clone() {
    return elementwise.clone(this);
  },
  to(dtype) {
    return elementwise.cast(this, dtype);
  },
  add(other) {
    return elementwise.add(this, other);
  },
  sub(other) {
    return elementwise.sub(this, other);
  },
  mul(other) {
    return elementwise.mul(this, other);
  },
  div(other) {
    return elementwise.div(this, other);
  },
  pow(exponent) {
    return elementwise.pow(this, exponent);
  },
  neg() {
    return elementwise.neg(this);
  },
  exp() {
    return elementwise.exp(this);
  },
  log() {
    return elementwise.log(this);
  },
  sqrt() {
    return elementwise.sqrt(this);
  },
  abs() {
    return elementwise.abs(this);
  },
  tanh() {
    return elementwise.tanh(this);
  },
  sigmoid() {
    return elementwise.sigmoid(this);
  },
  relu() {
    return elementwise.relu(this);
  },
  square() {
    return elementwise.square(this);
  },
  reciprocal() {
    return elementwise.reciprocal(this);
  },
  log1p() {
    return elementwise.log1p(this);
  },
  erf() {
    return activation.erf(this);
  },
  clamp(min, max) {
    return compare.clamp(this, min, max);
  },
  maximum(other) {
    return compare.maximum(this, other);
  },
  minimum(other) {
    return compare.minimum(this, other);
  },
  leakyRelu(negativeSlope = 0.01) {
    return activation.leakyRelu(this, negativeSlope);
  },
  gelu(options = {}) {
    return activation.gelu(this, options);
  },
  softplus(options = {}) {
    return activation.softplus(this, options);
  },
});
