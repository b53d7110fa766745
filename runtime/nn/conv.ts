/**
 * Convolution layers: `Conv2d`.
 *
 * @module
 */
import { conv2d, type Size2d, toPair } from "../ops/conv.ts";
import { type DType, type Tensor, zeros } from "../tensor.ts";
import { computeFans, kaimingUniform_, uniform_ } from "./init.ts";
import { Module, Parameter } from "./module.ts";

/** Options of {@link Conv2d}, as in `torch.nn.Conv2d`. */
export interface Conv2dLayerOptions {
  /** Step between output positions (default 1). */
  stride?: Size2d;
  /** Implicit zeros added on both sides of each spatial dimension (default 0). */
  padding?: Size2d;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2d;
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Parameter dtype (default "float32"). */
  dtype?: DType;
}

/**
 * 2-D convolution layer over NCHW images, initialised like PyTorch: weight from Kaiming uniform
 * with $a = \sqrt5$ and bias from $U(-1/\sqrt{\text{fanIn}}, 1/\sqrt{\text{fanIn}})$, where
 * fanIn = (inChannels / groups)·kH·kW.
 *
 * - Input: `[N, inChannels, H, W]` (or `[inChannels, H, W]`)
 * - Output: `[N, outChannels, Ho, Wo]` with $H_o = \lfloor (H + 2p - d(k_H - 1) - 1)/s \rfloor + 1$
 * - `weight`: `[outChannels, inChannels / groups, kH, kW]`; `bias`: `[outChannels]` or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const conv = new nn.Conv2d(1, 8, 5, { padding: 2 });
 * const y = conv.forward(randn([32, 1, 28, 28]));
 * assert.deepEqual(y.shape, [32, 8, 28, 28]);
 * ```
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2d,
    options: Conv2dLayerOptions = {},
  ) {
    super();
    const groups = options.groups ?? 1;
    for (const [name, v] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`Conv2d: ${name} must be a positive integer, got ${v}`);
      }
    }
    if (!Number.isInteger(groups) || groups < 1 || inChannels % groups || outChannels % groups) {
      throw new RangeError(
        `Conv2d: groups (${groups}) must be a positive integer that divides inChannels ` +
          `(${inChannels}) and outChannels (${outChannels})`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = toPair(kernelSize, "kernelSize", "Conv2d", 1);
    this.stride = toPair(options.stride ?? 1, "stride", "Conv2d", 1);
    this.padding = toPair(options.padding ?? 0, "padding", "Conv2d", 0);
    this.dilation = toPair(options.dilation ?? 1, "dilation", "Conv2d", 1);
    this.groups = groups;
    const dtype = options.dtype ?? "float32";
    const [kh, kw] = this.kernelSize;
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, kh, kw], { dtype }));
    this.bias = (options.bias ?? true) ? new Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws weight and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = computeFans(this.weight);
      const bound = 1 / Math.sqrt(fanIn);
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    const pairs = (p: [number, number]) => `(${p[0]}, ${p[1]})`;
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${pairs(this.kernelSize)}, ` +
      `stride=${pairs(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pairs(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pairs(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=false";
    return s;
  }
}
