/**
 * Pooling layers: `MaxPool2d` and `AvgPool2d`. They have no parameters.
 *
 * @module
 */
import { type Size2d, toPair } from "../ops/conv.ts";
import { avgPool2d, maxPool2d } from "../ops/pool.ts";
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dLayerOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2d;
  /** Implicit −∞ on both sides (default 0; at most half the kernel). */
  padding?: Size2d;
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions extends MaxPool2dLayerOptions {
  /** Count padded zeros in the divisor (default true, like PyTorch). */
  countIncludePad?: boolean;
}

function describe(kernelSize: Size2d, options: MaxPool2dLayerOptions): string {
  const show = (v: Size2d) => (typeof v === "number" ? `${v}` : `(${v[0]}, ${v[1]})`);
  return `kernelSize=${show(kernelSize)}, stride=${show(options.stride ?? kernelSize)}, ` +
    `padding=${show(options.padding ?? 0)}`;
}

/**
 * Max pooling over each `kernelSize` window; the gradient goes to each window's maximum.
 *
 * - Input: `[N, C, H, W]` (or `[C, H, W]`)
 * - Output: `[N, C, Ho, Wo]` with $H_o = \lfloor (H + 2p - k) / s \rfloor + 1$
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const pool = new nn.MaxPool2d(2);
 * assert.deepEqual(pool.forward(randn([4, 8, 24, 24])).shape, [4, 8, 12, 12]);
 * ```
 */
export class MaxPool2d extends Module {
  readonly kernelSize: Size2d;
  readonly options: MaxPool2dLayerOptions;

  /** @param options Stride (default: `kernelSize`) and padding. */
  constructor(kernelSize: Size2d, options: MaxPool2dLayerOptions = {}) {
    super();
    toPair(kernelSize, "kernelSize", this.constructor.name, 1);
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }

  forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return describe(this.kernelSize, this.options);
  }
}

/**
 * Average pooling over each `kernelSize` window.
 *
 * - Input: `[N, C, H, W]` (or `[C, H, W]`)
 * - Output: `[N, C, Ho, Wo]` with $H_o = \lfloor (H + 2p - k) / s \rfloor + 1$
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, ones } from "gradbook";
 * const pool = new nn.AvgPool2d(2);
 * assert.deepEqual(pool.forward(ones([1, 1, 4, 4])).toArray(), [[[[1, 1], [1, 1]]]]);
 * ```
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Size2d;
  readonly options: AvgPool2dLayerOptions;

  /** @param options Stride (default: `kernelSize`), padding and `countIncludePad`. */
  constructor(kernelSize: Size2d, options: AvgPool2dLayerOptions = {}) {
    super();
    toPair(kernelSize, "kernelSize", this.constructor.name, 1);
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }

  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const include = this.options.countIncludePad ?? true;
    return describe(this.kernelSize, this.options) + (include ? "" : ", countIncludePad=false");
  }
}
