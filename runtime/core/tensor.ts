/**
 * The `Tensor` class and its storage: shape, dtype, the autodiff entry points (`backward()`,
 * `detach()`, `grad`) and reading values out. It imports no op, so `ops/` can build on it; the
 * methods that call ops (`x.add(y)`, `x.matmul(y)`, ...) are declared on `Tensor` by interface
 * augmentation in `methods/` and attached with {@link defineTensorMethods}. Import `Tensor` from
 * `runtime/tensor.ts` (or `gradbook`) to have them. Storage is always contiguous and row-major, in
 * a `Float32Array` ("float32", the default) or a `Float64Array` ("float64", used by gradcheck).
 *
 * @module
 */
import type { GradNode } from "./autograd.ts";
import { formatShape, type Shape, shapeSize } from "./shape.ts";
import { formatTensor } from "./format.ts";

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
}

/**
 * Attaches methods to `Tensor.prototype` as a class body would (not enumerable). The methods'
 * types come from the `Tensor` interface, which the calling module augments first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor, Tensor } from "gradbook";
 * // methods/elementwise.ts attached add() this way
 * assert.deepEqual(tensor([1, 2]).add(1).toArray(), [2, 3]);
 * assert.equal(Object.getOwnPropertyDescriptor(Tensor.prototype, "add")?.enumerable, false);
 * ```
 */
export function defineTensorMethods(methods: Partial<Tensor> & ThisType<Tensor>): void {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(methods))) {
    Object.defineProperty(Tensor.prototype, name, { ...descriptor, enumerable: false });
  }
}
