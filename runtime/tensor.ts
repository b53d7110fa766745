/**
 * The `Tensor`: an n-dimensional array of numbers with reverse-mode autodiff, and the functions
 * that create tensors. Storage is always contiguous and row-major, in a `Float32Array`
 * ("float32", the default) or a `Float64Array` ("float64", used by gradcheck).
 *
 * @module
 */
import { type GradNode, runBackward } from "./autograd.ts";
import { globalGenerator } from "./random.ts";
import { formatShape, type Shape, shapeSize } from "./shape.ts";
import { formatTensor } from "./format.ts";
import { TENSOR_MIME } from "./vocabulary.ts";
import * as elementwise from "./ops/elementwise.ts";
import * as reduce from "./ops/reduce.ts";
import * as linalg from "./ops/matmul.ts";
import * as reshape from "./ops/reshape.ts";
import * as activation from "./ops/activation.ts";
import * as compare from "./ops/compare.ts";
import * as extrema from "./ops/extrema.ts";
import * as indexing from "./ops/indexing.ts";
import * as softmaxOps from "./ops/softmax.ts";
import * as statistics from "./ops/statistics.ts";

/** Element type of a tensor. */
export type DType = "float32" | "float64";
/** Backing storage of a tensor. */
export type TensorData = Float32Array | Float64Array;
/** Nested arrays of numbers, as accepted by {@link tensor} and returned by `toArray()`. */
export type NestedArray = number | NestedArray[];
/** A tensor, or a number that broadcasts like a scalar tensor. */
export type TensorLike = Tensor | number;

/** Options of the tensor factories. */
export interface TensorOptions {
  /** Element type (default "float32"). */
  dtype?: DType;
  /** Record operations on the tensor for autodiff (default false). */
  requiresGrad?: boolean;
}

/** Allocates zeroed storage of the given dtype. */
export function allocate(dtype: DType, size: number): TensorData {
  return dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
}

/**
 * An n-dimensional array with autodiff. Create one with {@link tensor}, {@link zeros},
 * {@link randn} and friends rather than with `new`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const loss = w.matmul(tensor([[1], [1]])).sum();
 * loss.backward();
 * assert.deepEqual(w.grad!.toArray(), [[1, 1], [1, 1]]);
 * ```
 */
export class Tensor {
  /** Contiguous row-major values. Mutating it in place bypasses autodiff. */
  data: TensorData;
  /** Sizes of each dimension, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Whether gradients flow into this tensor. */
  requiresGrad: boolean;
  /** Accumulated gradient after `backward()` (leaves, and tensors that called `retainGrad()`). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or `null` for a leaf. */
  gradFn: GradNode | null = null;
  /** True after `retainGrad()` on a non-leaf. */
  retainsGrad = false;

  /**
   * Wraps existing storage (not copied) in a tensor of `shape`; prefer {@link tensor}.
   * @param data Row-major values; its length must equal the product of `shape`.
   */
  constructor(data: TensorData, shape: Shape, requiresGrad = false) {
    if (data.length !== shapeSize(shape)) {
      throw new RangeError(
        `Tensor: ${data.length} values do not fill shape ${formatShape(shape)}`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  /** "float32" or "float64". */
  get dtype(): DType {
    return this.data instanceof Float64Array ? "float64" : "float32";
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }
  /**
   * Number of elements (PyTorch's `numel()`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * assert.equal(tensor([[1, 2], [3, 4]]).numel(), 4);
   * ```
   */
  numel(): number {
    return this.data.length;
  }
  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  // ---- autodiff -------------------------------------------------------------------------------

  /**
   * Computes gradients of this tensor with respect to every leaf that requires grad. A scalar
   * needs no argument; otherwise pass the gradient of some scalar with respect to this tensor.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.mul(x).sum().backward();
   * assert.deepEqual(x.grad!.toArray(), [2, 4]);
   * ```
   */
  backward(gradient?: Tensor): void {
    if (!this.requiresGrad) {
      throw new Error(
        "backward: this tensor does not require grad and has no grad_fn " +
          "(create the inputs with { requiresGrad: true })",
      );
    }
    let g: Tensor;
    if (gradient === undefined) {
      if (this.size !== 1) {
        throw new RangeError(
          `backward: grad can be implicitly created only for scalar outputs, ` +
            `but this tensor has shape ${
              formatShape(this.shape)
            }; pass a gradient or call .sum() first`,
        );
      }
      g = new Tensor(allocate(this.dtype, 1).fill(1), this.shape);
    } else {
      if (gradient.shape.join() !== this.shape.join()) {
        throw new RangeError(
          `backward: gradient shape ${formatShape(gradient.shape)} does not match ` +
            `tensor shape ${formatShape(this.shape)}`,
        );
      }
      g = gradient.detach();
    }
    runBackward(this, g);
  }

  /**
   * Sets `.grad` to null (PyTorch's `zero_grad(set_to_none=True)`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * const x = tensor([1], { requiresGrad: true });
   * x.mul(3).sum().backward();
   * assert.deepEqual(x.grad!.toArray(), [3]);
   * x.zeroGrad();
   * assert.equal(x.grad, null);
   * ```
   */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Keeps `.grad` on this non-leaf tensor after `backward()`. Returns this.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * const x = tensor([1, 2], { requiresGrad: true });
   * const h = x.mul(2).retainGrad();
   * h.sum().backward();
   * assert.deepEqual(h.grad!.toArray(), [1, 1]);
   * ```
   */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /**
   * Sets `requiresGrad` in place (PyTorch's `requires_grad_`). Returns this.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * const w = tensor([0.5]).requiresGrad_();
   * assert.equal(w.requiresGrad, true);
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf && !requiresGrad) {
      throw new Error("requiresGrad_: only leaf tensors can stop requiring grad; use detach()");
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * A tensor sharing this one's storage, cut from the graph.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * const x = tensor([1], { requiresGrad: true });
   * assert.equal(x.mul(2).detach().requiresGrad, false);
   * ```
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

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
  clone(): Tensor {
    return elementwise.clone(this);
  }

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
  to(dtype: DType): Tensor {
    return elementwise.cast(this, dtype);
  }

  // ---- reading values -------------------------------------------------------------------------

  /**
   * The value of a one-element tensor as a number.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * assert.equal(tensor([[3]]).item(), 3);
   * ```
   */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(
        `item: only one-element tensors can be converted to a number, got shape ${
          formatShape(this.shape)
        }`,
      );
    }
    return this.data[0]!;
  }

  /**
   * Nested arrays of numbers (PyTorch's `tolist()`); a number for a scalar.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * assert.deepEqual(tensor([[1, 2], [3, 4]]).toArray(), [[1, 2], [3, 4]]);
   * ```
   */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset]!;
      const n = this.shape[dim]!;
      let stride = 1;
      for (let d = dim + 1; d < this.shape.length; d++) stride *= this.shape[d]!;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /**
   * The values as a flat `number[]`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * assert.deepEqual(tensor([[1, 2], [3, 4]]).toFlatArray(), [1, 2, 3, 4]);
   * ```
   */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }

  /**
   * PyTorch-like text, with long dimensions elided.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { tensor } from "gradbook";
   * assert.equal(tensor([1, 2]).toString(), "tensor([1., 2.])");
   * ```
   */
  toString(): string {
    return formatTensor(this);
  }

  /** Shown by `console.log` / Deno's inspect. */
  [Symbol.for("Deno.customInspect")](): string {
    return formatTensor(this);
  }

  /** Shown by notebooks (gradbook's kernel and Deno's Jupyter kernel). */
  [Symbol.for("Jupyter.display")](): Record<string, unknown> {
    return {
      "text/plain": formatTensor(this),
      [TENSOR_MIME]: {
        shape: [...this.shape],
        dtype: this.dtype,
        text: formatTensor(this),
      },
    };
  }

  // ---- elementwise ----------------------------------------------------------------------------

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
  add(other: TensorLike): Tensor {
    return elementwise.add(this, other);
  }
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
  sub(other: TensorLike): Tensor {
    return elementwise.sub(this, other);
  }
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
  mul(other: TensorLike): Tensor {
    return elementwise.mul(this, other);
  }
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
  div(other: TensorLike): Tensor {
    return elementwise.div(this, other);
  }
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
  pow(exponent: TensorLike): Tensor {
    return elementwise.pow(this, exponent);
  }
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
  neg(): Tensor {
    return elementwise.neg(this);
  }
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
  exp(): Tensor {
    return elementwise.exp(this);
  }
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
  log(): Tensor {
    return elementwise.log(this);
  }
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
  sqrt(): Tensor {
    return elementwise.sqrt(this);
  }
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
  abs(): Tensor {
    return elementwise.abs(this);
  }
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
  tanh(): Tensor {
    return elementwise.tanh(this);
  }
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
  sigmoid(): Tensor {
    return elementwise.sigmoid(this);
  }
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
  relu(): Tensor {
    return elementwise.relu(this);
  }

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
  square(): Tensor {
    return elementwise.square(this);
  }
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
  reciprocal(): Tensor {
    return elementwise.reciprocal(this);
  }
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
  log1p(): Tensor {
    return elementwise.log1p(this);
  }
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
  erf(): Tensor {
    return activation.erf(this);
  }
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
  clamp(min?: number, max?: number): Tensor {
    return compare.clamp(this, min, max);
  }
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
  maximum(other: TensorLike): Tensor {
    return compare.maximum(this, other);
  }
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
  minimum(other: TensorLike): Tensor {
    return compare.minimum(this, other);
  }
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
  leakyRelu(negativeSlope = 0.01): Tensor {
    return activation.leakyRelu(this, negativeSlope);
  }
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
  gelu(options: activation.GeluOptions = {}): Tensor {
    return activation.gelu(this, options);
  }
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
  softplus(options: activation.SoftplusOptions = {}): Tensor {
    return activation.softplus(this, options);
  }

  // ---- comparisons and selection (0/1 results, not differentiable) ----------------------------

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
  gt(other: TensorLike): Tensor {
    return compare.gt(this, other);
  }
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
  lt(other: TensorLike): Tensor {
    return compare.lt(this, other);
  }
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
  ge(other: TensorLike): Tensor {
    return compare.ge(this, other);
  }
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
  le(other: TensorLike): Tensor {
    return compare.le(this, other);
  }
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
  eq(other: TensorLike): Tensor {
    return compare.eq(this, other);
  }
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
  ne(other: TensorLike): Tensor {
    return compare.ne(this, other);
  }
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
  where(condition: Tensor, other: TensorLike): Tensor {
    return compare.where(condition, this, other);
  }
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
  maskedFill(mask: Tensor, value: number): Tensor {
    return compare.maskedFill(this, mask, value);
  }

  // ---- reductions -----------------------------------------------------------------------------

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
  sum(axis?: number | number[], keepdim = false): Tensor {
    return reduce.sum(this, axis, keepdim);
  }
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
  mean(axis?: number | number[], keepdim = false): Tensor {
    return reduce.mean(this, axis, keepdim);
  }

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
  max(axis?: number | number[], keepdim = false): Tensor {
    return extrema.max(this, axis, keepdim);
  }
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
  min(axis?: number | number[], keepdim = false): Tensor {
    return extrema.min(this, axis, keepdim);
  }
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
  argmax(axis?: number, keepdim = false): Tensor {
    return extrema.argmax(this, axis, keepdim);
  }
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
  argmin(axis?: number, keepdim = false): Tensor {
    return extrema.argmin(this, axis, keepdim);
  }
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
  var(axis?: number | number[], options: statistics.VarianceOptions = {}): Tensor {
    return statistics.variance(this, axis, options);
  }
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
  std(axis?: number | number[], options: statistics.VarianceOptions = {}): Tensor {
    return statistics.std(this, axis, options);
  }
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
  norm(p = 2, axis?: number | number[], keepdim = false): Tensor {
    return statistics.norm(this, p, axis, keepdim);
  }
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
  logsumexp(axis?: number | number[], keepdim = false): Tensor {
    return softmaxOps.logsumexp(this, axis, keepdim);
  }
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
  softmax(axis = -1): Tensor {
    return softmaxOps.softmax(this, axis);
  }
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
  logSoftmax(axis = -1): Tensor {
    return softmaxOps.logSoftmax(this, axis);
  }

  // ---- linear algebra and shapes ------------------------------------------------------------

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
  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }
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
  reshape(...shape: number[] | [number[]]): Tensor {
    return reshape.reshape(this, flattenShapeArgs(shape));
  }
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
  view(...shape: number[] | [number[]]): Tensor {
    return reshape.reshape(this, flattenShapeArgs(shape));
  }
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
  transpose(dim0 = -2, dim1 = -1): Tensor {
    return reshape.transpose(this, dim0, dim1);
  }
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
  get T(): Tensor {
    return reshape.transpose(this, 0, 1);
  }
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
  permute(...dims: number[] | [number[]]): Tensor {
    return reshape.permute(this, flattenShapeArgs(dims));
  }

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
  squeeze(axis?: number | number[]): Tensor {
    return reshape.squeeze(this, axis);
  }
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
  unsqueeze(axis: number): Tensor {
    return reshape.unsqueeze(this, axis);
  }
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
  flatten(startDim = 0, endDim = -1): Tensor {
    return reshape.flatten(this, startDim, endDim);
  }
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
  expand(...shape: number[] | [number[]]): Tensor {
    return reshape.expand(this, flattenShapeArgs(shape));
  }
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
  broadcastTo(shape: readonly number[]): Tensor {
    return reshape.expand(this, shape);
  }
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
  repeat(...repeats: number[] | [number[]]): Tensor {
    return reshape.repeat(this, flattenShapeArgs(repeats));
  }

  // ---- indexing -------------------------------------------------------------------------------

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
  slice(axis: number, start = 0, end?: number, step = 1): Tensor {
    return indexing.slice(this, axis, start, end, step);
  }
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
  narrow(axis: number, start: number, length: number): Tensor {
    return indexing.narrow(this, axis, start, length);
  }
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
  indexSelect(axis: number, indices: indexing.Indices): Tensor {
    return indexing.indexSelect(this, axis, indices);
  }
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
  index(axis: number, indices: indexing.Indices): Tensor {
    return indexing.indexSelect(this, axis, indices);
  }
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
  gather(axis: number, index: Tensor): Tensor {
    return indexing.gather(this, axis, index);
  }
}

function flattenShapeArgs(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
}

// ---- factories ------------------------------------------------------------------------------

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

function fillFlat(data: NestedArray, shape: number[], out: TensorData): void {
  let k = 0;
  const walk = (node: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof node !== "number") {
        throw new TypeError(`tensor: expected a number at depth ${dim}, got ${typeof node}`);
      }
      out[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new RangeError(
        `tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${
          Array.isArray(node) ? node.length : typeof node
        }`,
      );
    }
    for (const child of node) walk(child, dim + 1);
  };
  walk(data, 0);
}

/**
 * Creates a tensor from a number, nested arrays or a typed array (copied).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(x.shape, [2, 3]);
 * const y = tensor(new Float64Array([1, 2]), { dtype: "float64" });
 * ```
 */
export function tensor(
  data: NestedArray | ArrayLike<number>,
  options: TensorOptions & { shape?: Shape } = {},
): Tensor {
  const dtype = options.dtype ?? "float32";
  if (options.dtype !== undefined && dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`tensor: unknown dtype "${dtype}" (use "float32" or "float64")`);
  }
  let shape: number[];
  let values: TensorData;
  if (typeof data === "number") {
    shape = [];
    values = allocate(dtype, 1);
    values[0] = data;
  } else if (!Array.isArray(data)) {
    const flat = data as ArrayLike<number>;
    shape = options.shape ? [...options.shape] : [flat.length];
    values = allocate(dtype, flat.length);
    for (let i = 0; i < flat.length; i++) values[i] = flat[i]!;
  } else {
    shape = inferShape(data as NestedArray);
    values = allocate(dtype, shapeSize(shape));
    fillFlat(data as NestedArray, shape, values);
    if (options.shape) shape = [...options.shape];
  }
  return new Tensor(values, shape, options.requiresGrad ?? false);
}

/**
 * A tensor of the given shape filled with `value`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { full } from "gradbook";
 * assert.deepEqual(full([2, 2], 7).toArray(), [[7, 7], [7, 7]]);
 * ```
 */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  const data = allocate(options.dtype ?? "float32", shapeSize(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeros } from "gradbook";
 * assert.deepEqual(zeros([2, 3]).shape, [2, 3]);
 * ```
 */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ones } from "gradbook";
 * assert.deepEqual(ones([3]).toArray(), [1, 1, 1]);
 * ```
 */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * Zeros with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zerosLike, ones } from "gradbook";
 * assert.deepEqual(zerosLike(ones([2])).toArray(), [0, 0]);
 * ```
 */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

/**
 * Ones with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onesLike, zeros } from "gradbook";
 * assert.deepEqual(onesLike(zeros([2])).toArray(), [1, 1]);
 * ```
 */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`; `arange(n)` is 0..n-1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arange } from "gradbook";
 * assert.deepEqual(arange(4).toArray(), [0, 1, 2, 3]);
 * assert.deepEqual(arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
 * ```
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new RangeError("arange: step must not be zero");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const data = allocate(options.dtype ?? "float32", n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linspace } from "gradbook";
 * assert.deepEqual(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: TensorOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  }
  const data = allocate(options.dtype ?? "float32", steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = start + i * delta;
  if (steps > 1) data[steps - 1] = end;
  return new Tensor(data, [steps], options.requiresGrad ?? false);
}

/**
 * The identity matrix of size n x n (or n x m).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eye } from "gradbook";
 * assert.deepEqual(eye(2).toArray(), [[1, 0], [0, 1]]);
 * ```
 */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/**
 * Uniform samples in [0, 1) from the seeded global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rand, seed } from "gradbook";
 * seed(0);
 * assert.deepEqual(rand([2, 2]).shape, [2, 2]);
 * ```
 */
export function rand(shape: Shape, options: TensorOptions = {}): Tensor {
  const t = zeros(shape, options);
  for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.random();
  return t;
}

/**
 * Standard normal samples from the seeded global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn, seed } from "gradbook";
 * seed(0);
 * assert.deepEqual(randn([3]).shape, [3]);
 * ```
 */
export function randn(shape: Shape, options: TensorOptions = {}): Tensor {
  const t = zeros(shape, options);
  for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.normal();
  return t;
}

/**
 * Uniform integers in [low, high) (stored as floats) from the seeded global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randint } from "gradbook";
 * assert.deepEqual(randint(0, 10, [5]).shape, [5]);
 * ```
 */
export function randint(
  low: number,
  high: number,
  shape: Shape,
  options: TensorOptions = {},
): Tensor {
  const t = zeros(shape, options);
  for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.randint(low, high);
  return t;
}
