/**
 * Stateless versions of the layers and losses (PyTorch's `torch.nn.functional`, also exported as
 * `F`). Layers in `nn` call these; use them directly when you hold the weights yourself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const logits = tensor([[2, 0.5, -1], [0, 1, 0]]);
 * const loss = nn.F.crossEntropy(logits, [0, 1]);
 * assert.ok(loss.item() > 0);
 * ```
 *
 * @module
 */
import { noGrad, recordOp } from "../core/autograd.ts";
import * as activation from "../ops/activation.ts";
import * as softmaxOps from "../ops/softmax.ts";
import { linear as fusedLinear } from "../ops/linear.ts";
import { type Generator, globalGenerator } from "../random.ts";
import { formatShape } from "../core/shape.ts";
import { allocate, Tensor } from "../tensor.ts";

export {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  type CrossEntropyOptions,
  type LossOptions,
  mseLoss,
  nllLoss,
  type NllLossOptions,
  type Reduction,
} from "../ops/loss.ts";
export type { GeluOptions } from "../ops/activation.ts";

/**
 * Affine map $y = x W^\top + b$.
 *
 * @param input Shape `[*, inFeatures]`.
 * @param weight Shape `[outFeatures, inFeatures]`.
 * @param bias Shape `[outFeatures]`, or null.
 * @returns Shape `[*, outFeatures]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const y = nn.F.linear(tensor([[1, 2]]), tensor([[1, 0], [0, 1], [1, 1]]), tensor([0, 0, 1]));
 * assert.deepEqual(y.toArray(), [[1, 2, 4]]);
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return fusedLinear(input, weight, bias);
}

/**
 * $\max(x, 0)$, elementwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(nn.F.relu(tensor([-1, 2])).toArray(), [0, 2]);
 * ```
 */
export function relu(input: Tensor): Tensor {
  return input.relu();
}

/**
 * $\tanh x$, elementwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(nn.F.tanh(tensor([0])).toArray(), [0]);
 * ```
 */
export function tanh(input: Tensor): Tensor {
  return input.tanh();
}

/**
 * $\sigma(x) = 1/(1+e^{-x})$, elementwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(nn.F.sigmoid(tensor([0])).toArray(), [0.5]);
 * ```
 */
export function sigmoid(input: Tensor): Tensor {
  return input.sigmoid();
}

/**
 * $x$ for $x > 0$, else $\alpha x$ (default $\alpha = 0.01$), elementwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const y = nn.F.leakyRelu(tensor([-2, 3]), 0.1);
 * assert.deepEqual(y.toFlatArray().map((v) => +v.toFixed(6)), [-0.2, 3]);
 * ```
 */
export function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor {
  return activation.leakyRelu(input, negativeSlope);
}

/**
 * GELU, $x \Phi(x)$ with the exact normal CDF (PyTorch's default), or the tanh approximation
 * with `{ approximate: "tanh" }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(nn.F.gelu(tensor([0])).toArray(), [0]);
 * ```
 */
export function gelu(input: Tensor, options: activation.GeluOptions = {}): Tensor {
  return activation.gelu(input, options);
}

/**
 * Softmax along `dim` (default: the last), computed stably.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(nn.F.softmax(tensor([[0, 0]])).toArray(), [[0.5, 0.5]]);
 * ```
 */
export function softmax(input: Tensor, dim = -1): Tensor {
  return softmaxOps.softmax(input, dim);
}

/**
 * $\log \mathrm{softmax}$ along `dim` (default: the last), computed stably.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const y = nn.F.logSoftmax(tensor([[0, 0]]));
 * assert.deepEqual(y.toFlatArray().map((v) => +v.toFixed(6)), [-0.693147, -0.693147]); // -log 2
 * ```
 */
export function logSoftmax(input: Tensor, dim = -1): Tensor {
  return softmaxOps.logSoftmax(input, dim);
}

/**
 * Zeroes each element with probability `p` and scales the rest by $1/(1-p)$ ("inverted"
 * dropout), so expectations match eval mode. Returns the input itself when `training` is false.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Generator, nn, ones } from "gradbook";
 * const y = nn.F.dropout(ones([4]), 0.5, true, new Generator(1));
 * // every value is dropped (0) or scaled by 1 / (1 - 0.5)
 * assert.ok(y.toFlatArray().every((v) => v === 0 || v === 2));
 * ```
 */
export function dropout(
  input: Tensor,
  p = 0.5,
  training = true,
  generator: Generator = globalGenerator,
): Tensor {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`dropout: probability must be between 0 and 1, got ${p}`);
  }
  if (!training || p === 0) return input;
  const mask = allocate(input.dtype, input.size);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.random() < p ? 0 : scale;
  return input.mul(new Tensor(mask, input.shape));
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Per-channel mean to use in eval and to update in training (updated in place). */
  runningMean?: Tensor | null;
  /** Per-channel variance to use in eval and to update in training (updated in place). */
  runningVar?: Tensor | null;
  /** Scale $\gamma$, shape [C]. */
  weight?: Tensor | null;
  /** Shift $\beta$, shape [C]. */
  bias?: Tensor | null;
  /** Batch statistics (true) or running statistics (false). Default true. */
  training?: boolean;
  /** Weight of the new batch in the running averages. Default 0.1. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
}

/**
 * Batch normalisation over channel dimension 1:
 * $y = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} \gamma + \beta$. In training, $\mu$ and the
 * biased $\sigma^2$ come from the batch and the running stats move towards the batch mean and
 * the unbiased variance by `momentum`; otherwise the running stats are used.
 *
 * @param input Shape `[N, C]` or `[N, C, L]`.
 * @returns The input's shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const y = nn.F.batchNorm(tensor([[1], [3]]), { training: true });
 * // batch mean 2, biased variance 1
 * assert.deepEqual(y.toFlatArray().map((v) => +v.toFixed(4)), [-1, 1]);
 * ```
 */
export function batchNorm(input: Tensor, options: BatchNormOptions = {}): Tensor {
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(
      `batchNorm: expected input of shape [N, C] or [N, C, L], got ${formatShape(input.shape)}`,
    );
  }
  const training = options.training ?? true;
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.1;
  const channels = input.shape[1]!;
  const axes = input.ndim === 2 ? [0] : [0, 2];
  const statShape = input.ndim === 2 ? [1, channels] : [1, channels, 1];
  const count = input.size / channels;
  const { runningMean = null, runningVar = null, weight = null, bias = null } = options;
  let normalized: Tensor;
  if (training) {
    if (count <= 1) {
      throw new RangeError(
        `batchNorm: expected more than 1 value per channel when training, got input ${
          formatShape(input.shape)
        }`,
      );
    }
    const mean = input.mean(axes, true);
    const centered = input.sub(mean);
    const variance = centered.mul(centered).mean(axes, true);
    normalized = centered.div(variance.add(eps).sqrt());
    noGrad(() => {
      if (runningMean !== null) {
        for (let c = 0; c < channels; c++) {
          runningMean.data[c] = momentum * mean.data[c]! + (1 - momentum) * runningMean.data[c]!;
        }
      }
      if (runningVar !== null) {
        for (let c = 0; c < channels; c++) {
          const unbiased = variance.data[c]! * count / (count - 1);
          runningVar.data[c] = momentum * unbiased + (1 - momentum) * runningVar.data[c]!;
        }
      }
    });
  } else {
    if (runningMean === null || runningVar === null) {
      throw new Error("batchNorm: eval mode needs runningMean and runningVar");
    }
    normalized = input.sub(runningMean.reshape(statShape)).div(
      runningVar.reshape(statShape).add(eps).sqrt(),
    );
  }
  if (weight !== null) normalized = normalized.mul(weight.reshape(statShape));
  if (bias !== null) normalized = normalized.add(bias.reshape(statShape));
  return normalized;
}

/**
 * Looks up rows of `weight` by index.
 *
 * @param indices Integer indices, any shape (a tensor, or nested arrays).
 * @param weight Shape `[numEmbeddings, embeddingDim]`.
 * @returns Shape `[...indices.shape, embeddingDim]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(nn.F.embedding([1, 0], tensor([[1, 2], [3, 4]])).toArray(), [[3, 4], [1, 2]]);
 * ```
 */
export function embedding(
  indices: Tensor | number[] | number[][],
  weight: Tensor,
  paddingIdx: number | null = null,
): Tensor {
  if (weight.ndim !== 2) {
    throw new RangeError(`embedding: weight must be 2-D, got ${formatShape(weight.shape)}`);
  }
  const [rows, dim] = weight.shape as [number, number];
  const { values, shape } = readNestedIndices(indices, rows);
  const out = allocate(weight.dtype, values.length * dim);
  for (let i = 0; i < values.length; i++) {
    out.set(weight.data.subarray(values[i]! * dim, values[i]! * dim + dim), i * dim);
  }
  return recordOp(new Tensor(out, [...shape, dim]), "embedding", [weight], (g) => {
    // Scatter-add: a row looked up twice gets both gradients; the padding row gets none.
    const d = allocate(weight.dtype, weight.size);
    for (let i = 0; i < values.length; i++) {
      const row = values[i]!;
      if (row === paddingIdx) continue;
      for (let k = 0; k < dim; k++) d[row * dim + k]! += g.data[i * dim + k]!;
    }
    return [new Tensor(d, weight.shape)];
  });
}

/** Integer indices (a tensor or nested arrays, any shape) checked against `[0, size)`. */
function readNestedIndices(
  indices: Tensor | number[] | number[][],
  size: number,
): { values: Int32Array; shape: number[] } {
  let flat: ArrayLike<number>;
  let shape: number[];
  if (indices instanceof Tensor) {
    flat = indices.data;
    shape = [...indices.shape];
  } else if (Array.isArray(indices) && indices.every(Array.isArray)) {
    const rows = indices as number[][];
    const width = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== width)) {
      throw new RangeError("embedding: nested index arrays must all have the same length");
    }
    flat = rows.flat();
    shape = [rows.length, width];
  } else if (Array.isArray(indices)) {
    flat = indices as number[];
    shape = [indices.length];
  } else {
    throw new TypeError(`embedding: expected indices as a Tensor or array, got ${typeof indices}`);
  }
  const values = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(
        `embedding: index ${v} at position ${i} is out of range for size ${size} (indices have ` +
          `shape ${formatShape(shape)})`,
      );
    }
    values[i] = v;
  }
  return { values, shape };
}
export { conv2d, type Conv2dOptions } from "../ops/conv.ts";
export { avgPool2d, type AvgPool2dOptions, maxPool2d, type MaxPool2dOptions } from "../ops/pool.ts";
export {
  affineGrid,
  type AffineGridOptions,
  gridSample,
  type GridSampleOptions,
} from "../ops/grid_sample.ts";
