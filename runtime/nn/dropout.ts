/**
 * `Dropout`: random zeroing in training mode, identity in eval mode.
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import { dropout } from "./functional.ts";
import { Module } from "./module.ts";

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Where the masks come from (default: the global generator, so `seed(n)` fixes them). */
  generator?: Generator;
}

/**
 * In training mode, zeroes each element with probability `p` (default 0.5) and multiplies the
 * others by $1/(1-p)$ (Srivastava et al., 2014, "inverted" scaling); in eval mode returns the
 * input unchanged.
 *
 * - Input: any shape. Output: the same shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, ones, seed } from "gradbook";
 * seed(0);
 * const drop = new nn.Dropout(0.25);
 * // training: each value is dropped (0) or scaled by 1 / (1 - 0.25)
 * for (const v of drop.forward(ones([8])).toFlatArray()) {
 *   assert.ok(v === 0 || Math.abs(v - 4 / 3) < 1e-6);
 * }
 * drop.eval();
 * assert.deepEqual(drop.forward(ones([8])).toArray(), [1, 1, 1, 1, 1, 1, 1, 1]);
 * ```
 */
export class Dropout extends Module {
  readonly p: number;
  #generator: Generator;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`Dropout: probability must be between 0 and 1, got ${p}`);
    }
    this.p = p;
    this.#generator = options.generator ?? globalGenerator;
  }

  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.#generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
