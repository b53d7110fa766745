/**
 * Weight initialisation, in place, like `torch.nn.init`: Xavier/Glorot and Kaiming/He schemes,
 * uniform, normal, constant. Every function fills `tensor.data` without recording autodiff and
 * returns the tensor. Random ones draw from the global generator unless given a `generator`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, seed, zeros } from "gradbook";
 * seed(0);
 * const w = nn.init.kaimingNormal_(zeros([128, 64]), { nonlinearity: "relu" });
 * const v = w.toFlatArray();
 * const std = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
 * assert.ok(Math.abs(std - Math.sqrt(2 / 64)) < 0.01); // He: std = sqrt(2 / fanIn)
 * ```
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";
import { formatShape } from "../core/shape.ts";
import type { Tensor } from "../tensor.ts";

/** Activation names accepted by {@link calculateGain} (PyTorch's spellings work too). */
export type Nonlinearity =
  | "linear"
  | "identity"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leakyRelu"
  | "leaky_relu"
  | "selu";

/**
 * The recommended gain for an activation: 1 for linear/sigmoid, 5/3 for tanh, $\sqrt2$ for ReLU,
 * $\sqrt{2/(1+a^2)}$ for leaky ReLU with slope `param` (default 0.01), 3/4 for SELU.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn } from "gradbook";
 * assert.equal(nn.init.calculateGain("relu"), Math.SQRT2);
 * assert.equal(nn.init.calculateGain("tanh"), 5 / 3);
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "identity":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu":
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new TypeError(`calculateGain: unknown nonlinearity "${nonlinearity}"`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight: for shape `[out, in, ...kernel]`, fanIn = in·prod(kernel) and
 * fanOut = out·prod(kernel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * assert.deepEqual(nn.init.computeFans(zeros([3, 5])), [5, 3]);
 * ```
 */
export function computeFans(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new RangeError(
      `computeFans: fan in and fan out need a tensor with at least 2 dimensions, got ${
        formatShape(tensor.shape)
      }`,
    );
  }
  let receptive = 1;
  for (let i = 2; i < tensor.ndim; i++) receptive *= tensor.shape[i]!;
  return [tensor.shape[1]! * receptive, tensor.shape[0]! * receptive];
}

/** Options shared by the random initialisers. */
export interface InitOptions {
  /** Where random numbers come from (default: the global generator, see `seed`). */
  generator?: Generator;
}

/**
 * Fills with samples of $U(a, b)$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * const w = nn.init.uniform_(zeros([100]), -1, 1);
 * assert.ok(w.toFlatArray().every((x) => x >= -1 && x < 1));
 * ```
 */
export function uniform_(tensor: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  const g = options.generator ?? globalGenerator;
  const d = tensor.data;
  for (let i = 0; i < d.length; i++) d[i] = a + (b - a) * g.random();
  return tensor;
}

/**
 * Fills with samples of $\mathcal N(\text{mean}, \text{std}^2)$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, seed, zeros } from "gradbook";
 * seed(0);
 * const w = nn.init.normal_(zeros([10000]), 0, 0.02);
 * const v = w.toFlatArray();
 * const std = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
 * assert.ok(Math.abs(std - 0.02) < 0.001);
 * ```
 */
export function normal_(tensor: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  const g = options.generator ?? globalGenerator;
  const d = tensor.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  return tensor;
}

/**
 * Fills with `value`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * assert.deepEqual(nn.init.constant_(zeros([2]), 0.5).toArray(), [0.5, 0.5]);
 * ```
 */
export function constant_(tensor: Tensor, value: number): Tensor {
  tensor.data.fill(value);
  return tensor;
}

/**
 * Fills with zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, ones } from "gradbook";
 * assert.deepEqual(nn.init.zeros_(ones([2])).toArray(), [0, 0]);
 * ```
 */
export function zeros_(tensor: Tensor): Tensor {
  return constant_(tensor, 0);
}

/**
 * Fills with ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * assert.deepEqual(nn.init.ones_(zeros([2])).toArray(), [1, 1]);
 * ```
 */
export function ones_(tensor: Tensor): Tensor {
  return constant_(tensor, 1);
}

/**
 * Xavier/Glorot uniform (Glorot & Bengio, 2010): $U(-a, a)$ with
 * $a = \text{gain}\sqrt{6/(\text{fanIn} + \text{fanOut})}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * const w = nn.init.xavierUniform_(zeros([4, 3]), nn.init.calculateGain("tanh"));
 * // bound = gain * sqrt(6 / (fanIn + fanOut)) with fanIn 3, fanOut 4
 * const bound = (5 / 3) * Math.sqrt(6 / 7);
 * assert.ok(w.toFlatArray().every((x) => Math.abs(x) <= bound));
 * ```
 */
export function xavierUniform_(tensor: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = computeFans(tensor);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(tensor, -a, a, options);
}

/**
 * Xavier/Glorot normal: $\mathcal N(0, \sigma^2)$ with
 * $\sigma = \text{gain}\sqrt{2/(\text{fanIn} + \text{fanOut})}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, seed, zeros } from "gradbook";
 * seed(0);
 * const w = nn.init.xavierNormal_(zeros([400, 300]));
 * const v = w.toFlatArray();
 * const std = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
 * assert.ok(Math.abs(std - Math.sqrt(2 / 700)) < 0.002); // sqrt(2 / (fanIn + fanOut))
 * ```
 */
export function xavierNormal_(tensor: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = computeFans(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** Options of the Kaiming initialisers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of activations ("fanIn", the default) or of gradients ("fanOut"). */
  mode?: "fanIn" | "fanOut" | "fan_in" | "fan_out";
  /** The activation that follows (default "leakyRelu", which with `a = 0` is ReLU's gain). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(tensor: Tensor, options: KaimingOptions): number {
  const [fanIn, fanOut] = computeFans(tensor);
  const mode = options.mode ?? "fanIn";
  const fan = mode === "fanIn" || mode === "fan_in" ? fanIn : fanOut;
  const gain = calculateGain(options.nonlinearity ?? "leakyRelu", options.a ?? 0);
  return gain / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform (He et al., 2015): $U(-b, b)$ with $b = \text{gain}\sqrt{3/\text{fan}}$.
 * `nn.Linear` uses it with `a = √5`, which gives $b = 1/\sqrt{\text{inFeatures}}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * const w = nn.init.kaimingUniform_(zeros([16, 8]), { nonlinearity: "relu" });
 * const bound = Math.SQRT2 * Math.sqrt(3 / 8); // gain * sqrt(3 / fanIn)
 * assert.ok(w.toFlatArray().every((x) => Math.abs(x) <= bound));
 * ```
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(tensor, options);
  return uniform_(tensor, -bound, bound, options);
}

/**
 * Kaiming/He normal: $\mathcal N(0, \sigma^2)$ with $\sigma = \text{gain}/\sqrt{\text{fan}}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, seed, zeros } from "gradbook";
 * seed(0);
 * const w = nn.init.kaimingNormal_(zeros([256, 64]), { nonlinearity: "relu" });
 * const v = w.toFlatArray();
 * const std = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
 * assert.ok(Math.abs(std - Math.sqrt(2 / 64)) < 0.01); // gain / sqrt(fanIn)
 * ```
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(tensor, 0, kaimingStd(tensor, options), options);
}
