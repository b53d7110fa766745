/**
 * Loss modules over the functional losses of `runtime/ops/loss.ts`: `MSELoss`, `CrossEntropyLoss`, `NLLLoss`,
 * `BCEWithLogitsLoss`. Each is called as `lossFn.forward(input, target)`.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import * as F from "./functional.ts";
import { Module } from "./module.ts";

/** Class targets: a tensor of integer values, or a plain array. */
export type ClassTargets = Tensor | readonly number[];

/**
 * Mean squared error.
 *
 * - Input: any shape. Target: the input's shape. Output: `[]` (or the input's shape with
 *   `reduction: "none"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.equal(new nn.MSELoss().forward(tensor([1, 2]), tensor([1, 4])).item(), 2);
 * ```
 */
export class MSELoss extends Module<[Tensor, Tensor], Tensor> {
  readonly options: F.LossOptions;
  constructor(options: F.LossOptions = {}) {
    super();
    this.options = { ...options };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, this.options);
  }
}

/**
 * Cross-entropy from logits with integer class targets (log-softmax then NLL). Options:
 * `reduction`, `labelSmoothing`, `ignoreIndex`.
 *
 * - Input: logits `[N, C]`. Target: class indices `[N]`. Output: `[]` (or `[N]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const lossFn = new nn.CrossEntropyLoss();
 * // two equal logits: the loss is log 2
 * assert.ok(Math.abs(lossFn.forward(tensor([[0, 0]]), [1]).item() - Math.LN2) < 1e-6);
 * ```
 */
export class CrossEntropyLoss extends Module<[Tensor, ClassTargets], Tensor> {
  readonly options: F.CrossEntropyOptions;
  constructor(options: F.CrossEntropyOptions = {}) {
    super();
    this.options = { ...options };
  }
  forward(input: Tensor, target: ClassTargets): Tensor {
    return F.crossEntropy(input, target, this.options);
  }
}

/**
 * Negative log-likelihood from log-probabilities.
 *
 * - Input: log-probabilities `[N, C]`. Target: class indices `[N]`. Output: `[]` (or `[N]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.equal(new nn.NLLLoss().forward(tensor([[-0.5, -1]]), [1]).item(), 1);
 * ```
 */
export class NLLLoss extends Module<[Tensor, ClassTargets], Tensor> {
  readonly options: F.NllLossOptions;
  constructor(options: F.NllLossOptions = {}) {
    super();
    this.options = { ...options };
  }
  forward(input: Tensor, target: ClassTargets): Tensor {
    return F.nllLoss(input, target, this.options);
  }
}

/**
 * Binary cross-entropy from logits (sigmoid and BCE in one stable step).
 *
 * - Input: logits, any shape. Target: probabilities, the input's shape. Output: `[]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const loss = new nn.BCEWithLogitsLoss().forward(tensor([0]), tensor([1])).item();
 * assert.ok(Math.abs(loss - Math.LN2) < 1e-6); // log 2
 * ```
 */
export class BCEWithLogitsLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly options: F.LossOptions;
  constructor(options: F.LossOptions = {}) {
    super();
    this.options = { ...options };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, this.options);
  }
}
