/**
 * Optimizers with PyTorch 1.13's exact update rules (`SGD`, `Adagrad`, `RMSprop`, `Adam`,
 * `AdamW`), learning-rate schedulers, and gradient clipping.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, optim, randn } from "gradbook";
 * const model = new nn.Linear(3, 1);
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
 * const x = randn([16, 3]);
 * const losses: number[] = [];
 * for (let step = 0; step < 10; step++) {
 *   opt.zeroGrad();
 *   const loss = model.forward(x).pow(2).mean();
 *   losses.push(loss.item());
 *   loss.backward();
 *   opt.step();
 * }
 * assert.ok(losses.at(-1)! < losses[0]!); // the output is driven towards 0
 * ```
 *
 * @module
 */
export {
  type BaseHyperparameters,
  Optimizer,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupSpec,
  type Params,
  type ParamState,
} from "./optimizer.ts";
export { SGD, type SGDOptions } from "./sgd.ts";
export { Adagrad, type AdagradOptions } from "./adagrad.ts";
export { RMSprop, type RMSpropOptions } from "./rmsprop.ts";
export { Adam, type AdamOptions, AdamW } from "./adam.ts";
export { CosineAnnealingLR, ExponentialLR, LambdaLR, LRScheduler, StepLR } from "./lr_scheduler.ts";
export { clipGradNorm, type ClipGradNormOptions, clipGradValue } from "./clip_grad.ts";
