/**
 * Learning-rate schedules that change `optimizer.paramGroups[i].lr` in place, like
 * `torch.optim.lr_scheduler`: call `scheduler.step()` once per epoch, after `optimizer.step()`.
 *
 * @module
 */
import type { BaseHyperparameters, Optimizer } from "./optimizer.ts";

// deno-lint-ignore no-explicit-any
type AnyOptimizer = Optimizer<BaseHyperparameters & Record<string, any>>;

/**
 * Base class of schedulers. The constructor records each group's starting lr (`baseLrs`) and
 * takes step 0; every `step()` advances `lastEpoch` and writes the new lrs into the groups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 1 });
 * const sched = new optim.StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * for (let epoch = 0; epoch < 4; epoch++) { opt.step(); sched.step(); }
 * assert.deepEqual(sched.getLastLr(), [0.25]);
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose group lrs this scheduler sets. */
  readonly optimizer: AnyOptimizer;
  /** Each group's lr when the scheduler was created. */
  readonly baseLrs: number[];
  /** Number of `step()` calls so far (0 right after construction). */
  lastEpoch = -1;
  #lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer) {
    this.optimizer = optimizer;
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
  }

  /** The lrs for the current `lastEpoch` (PyTorch's chainable `get_lr`). */
  protected abstract computeLr(): number[];

  /** Advances one epoch and updates the optimizer's learning rates. */
  step(): void {
    this.lastEpoch++;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]!));
    this.#lastLr = lrs;
  }

  /** The learning rates set by the last `step()` (one per group). */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }

  /** The current group lrs. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** `lastEpoch` and the last lrs, as JSON. */
  stateDict(): { lastEpoch: number; baseLrs: number[]; lastLr: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: this.getLastLr() };
  }

  /** Restores `lastEpoch` and the lrs from `stateDict()`. */
  loadStateDict(state: { lastEpoch: number; lastLr: number[] }): void {
    this.lastEpoch = state.lastEpoch;
    this.#lastLr = [...state.lastLr];
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = state.lastLr[i] ?? g.lr));
  }
}

/**
 * Multiplies each group's lr by `gamma` (default 0.1) every `stepSize` epochs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, optim } from "gradbook";
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new optim.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 30; epoch++) sched.step();
 * assert.ok(Math.abs(sched.getLastLr()[0]! - 0.01) < 1e-12); // 0.1 * 0.1 after 30 epochs
 * ```
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    if (!Number.isInteger(options.stepSize) || options.stepSize <= 0) {
      throw new RangeError(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.step();
  }
  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Multiplies each group's lr by `gamma` every epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, optim } from "gradbook";
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new optim.ExponentialLR(opt, { gamma: 0.95 });
 * sched.step();
 * sched.step();
 * assert.ok(Math.abs(sched.getLastLr()[0]! - 0.1 * 0.95 ** 2) < 1e-12);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, options: { gamma: number }) {
    super(optimizer);
    this.gamma = options.gamma;
    this.step();
  }
  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Cosine annealing (Loshchilov & Hutter, 2017, without restarts) from the base lr down to
 * `etaMin` over `tMax` epochs:
 * $\eta_t = \eta_{min} + \frac12(\eta_{base} - \eta_{min})(1 + \cos(\pi t / T_{max}))$, computed
 * recursively as PyTorch does (and rising again after `tMax`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, optim } from "gradbook";
 * const opt = new optim.Adam(new nn.Linear(2, 1).parameters(), { lr: 1e-3 });
 * const sched = new optim.CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * for (let epoch = 0; epoch < 50; epoch++) sched.step();
 * // halfway through, the rate is midway between the base rate and etaMin
 * assert.ok(Math.abs(sched.getLastLr()[0]! - (1e-3 + 1e-5) / 2) < 1e-12);
 * for (let epoch = 50; epoch < 100; epoch++) sched.step();
 * assert.ok(Math.abs(sched.getLastLr()[0]! - 1e-5) < 1e-12);
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: AnyOptimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    if (!(options.tMax > 0)) {
      throw new RangeError(`CosineAnnealingLR: tMax must be positive, got ${options.tMax}`);
    }
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.step();
  }
  protected computeLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) =>
        lr + (this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2
      );
    }
    return lrs.map((lr) =>
      (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) *
        (lr - etaMin) + etaMin
    );
  }
}

/**
 * Sets each group's lr to its base lr times `lrLambda(epoch)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, optim } from "gradbook";
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const warmup = new optim.LambdaLR(opt, { lrLambda: (epoch) => Math.min(1, (epoch + 1) / 5) });
 * assert.ok(Math.abs(warmup.getLastLr()[0]! - 0.02) < 1e-12); // 0.1 * 1/5 at epoch 0
 * for (let epoch = 0; epoch < 4; epoch++) warmup.step();
 * assert.ok(Math.abs(warmup.getLastLr()[0]! - 0.1) < 1e-12); // full rate from epoch 4
 * ```
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambda: (epoch: number) => number;
  constructor(optimizer: AnyOptimizer, options: { lrLambda: (epoch: number) => number }) {
    super(optimizer);
    this.lrLambda = options.lrLambda;
    this.step();
  }
  protected computeLr(): number[] {
    return this.baseLrs.map((base) => base * this.lrLambda(this.lastEpoch));
  }
}
