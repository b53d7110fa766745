/**
 * gradbook's runtime: tensors with reverse-mode autodiff, `nn` layers, `optim` optimizers, data
 * helpers, reinforcement-learning environments and neuroscience models. Names and semantics
 * follow PyTorch wherever that is sensible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
 * ```
 *
 * @module
 */
export { InterruptError, setInterruptFlag, tick } from "./core/interrupt.ts";
export { Generator, globalGenerator, seed } from "./random.ts";
export { isGradEnabled, noGrad } from "./core/autograd.ts";
export type { BackwardFn, GradNode } from "./core/autograd.ts";
export {
  arange,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  Tensor,
  tensor,
  zeros,
  zerosLike,
} from "./tensor.ts";
export type { DType, NestedArray, TensorData, TensorLike, TensorOptions } from "./tensor.ts";
export type { Shape } from "./core/shape.ts";
export { gradcheck } from "./gradcheck.ts";
export type { GradcheckOptions } from "./gradcheck.ts";
export * as nn from "./nn/mod.ts";
export * as optim from "./optim/mod.ts";
export * from "./data.ts";
export * as rl from "./rl/mod.ts";
export * as neuro from "./neuro/mod.ts";
export { KneserNey } from "./text/kneser_ney.ts";
export { log1p, reciprocal, square } from "./ops/elementwise.ts";
export { erf, erfNumber, gelu, leakyRelu, softplus } from "./ops/activation.ts";
export type { GeluOptions, SoftplusOptions } from "./ops/activation.ts";
export {
  clamp,
  eq,
  ge,
  gt,
  le,
  lt,
  maskedFill,
  maximum,
  minimum,
  ne,
  where,
} from "./ops/compare.ts";
export { argmax, argmin, max, min } from "./ops/extrema.ts";
export { norm, std, variance } from "./ops/statistics.ts";
export type { VarianceOptions } from "./ops/statistics.ts";
export { logSoftmax, logsumexp, softmax } from "./ops/softmax.ts";
export { gather, indexSelect, narrow, oneHot, slice } from "./ops/indexing.ts";
export type { Indices } from "./ops/indexing.ts";
export { cat, cat as concat, stack } from "./ops/join.ts";
export { expand, flatten, repeat, squeeze, unsqueeze } from "./ops/reshape.ts";
export { binaryCrossEntropyWithLogits, crossEntropy, mseLoss, nllLoss } from "./ops/loss.ts";
export type { CrossEntropyOptions, LossOptions, NllLossOptions, Reduction } from "./ops/loss.ts";
export { conv2d } from "./ops/conv.ts";
export type { Conv2dOptions, Size2d } from "./ops/conv.ts";
export { avgPool2d, maxPool2d } from "./ops/pool.ts";
export type { AvgPool2dOptions, MaxPool2dOptions } from "./ops/pool.ts";
export { affineGrid, gridSample } from "./ops/grid_sample.ts";
export type { AffineGridOptions, GridSampleOptions } from "./ops/grid_sample.ts";
export { linear } from "./ops/linear.ts";
export { getThreads, setThreads } from "./kernels/threads.ts";
export { threadsReady } from "./kernels/wasm_gemm.ts";
