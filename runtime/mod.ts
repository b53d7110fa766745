/**
 * gradbook's runtime: tensors with reverse-mode autodiff, `nn` layers, `optim` optimizers, data
 * helpers, reinforcement-learning environments and neuroscience models. Names and semantics
 * follow PyTorch wherever that is sensible.
 *
 * @example
 * ```ts
 * import { tensor } from "gradbook";
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * console.log(x.grad!.toArray()); // [2, 4, 6]
 * ```
 *
 * @module
 */
export { InterruptError, setInterruptFlag, tick } from "./interrupt.ts";
export { Generator, globalGenerator, seed } from "./random.ts";
export { isGradEnabled, noGrad } from "./autograd.ts";
export type { GradNode } from "./autograd.ts";
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
export type { DType, NestedArray, TensorLike, TensorOptions } from "./tensor.ts";
export type { Shape } from "./shape.ts";
export { gradcheck } from "./gradcheck.ts";
export type { GradcheckOptions } from "./gradcheck.ts";
export * as rl from "./rl/mod.ts";
