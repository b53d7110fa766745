/**
 * Fully connected layers: `Linear`, and `Identity`.
 *
 * @module
 */
import { type DType, type Tensor, zeros } from "../tensor.ts";
import { linear } from "./functional.ts";
import { kaimingUniform_, uniform_ } from "./init.ts";
import { Module, Parameter } from "./module.ts";

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default "float32"). */
  dtype?: DType;
}

/**
 * Affine layer $y = x W^\top + b$, initialised like PyTorch: weight and bias from
 * $U(-1/\sqrt{\text{inFeatures}}, 1/\sqrt{\text{inFeatures}})$ (Kaiming uniform with $a = \sqrt5$).
 *
 * - Input: `[*, inFeatures]`
 * - Output: `[*, outFeatures]`
 * - `weight`: `[outFeatures, inFeatures]`; `bias`: `[outFeatures]` or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const layer = new nn.Linear(3, 2);
 * assert.deepEqual(layer.forward(randn([5, 3])).shape, [5, 2]);
 * assert.deepEqual(layer.weight.shape, [2, 3]);
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) {
        throw new RangeError(`Linear: ${name} must be a non-negative integer, got ${v}`);
      }
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = options.dtype ?? "float32";
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = (options.bias ?? true) ? new Parameter(zeros([outFeatures], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws weight and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${
      this.bias !== null
    }`;
  }
}

/**
 * Returns its input unchanged (a placeholder, e.g. to switch a layer off).
 *
 * - Input: any shape. Output: the same tensor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.Identity().forward(tensor([1, 2])).toArray(), [1, 2]);
 * ```
 */
export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}
