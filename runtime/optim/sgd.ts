/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay.
 *
 * @module
 */
import type { TensorData } from "../tensor.ts";
import {
  type BaseHyperparameters,
  checkRange,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamState,
} from "./optimizer.ts";

/** Hyperparameters of {@link SGD}. */
export interface SGDOptions extends BaseHyperparameters {
  /** Momentum factor $\mu$ (default 0). */
  momentum: number;
  /** Dampening $\tau$ of the momentum (default 0). */
  dampening: number;
  /** L2 penalty $\lambda$ added to the gradient (default 0). */
  weightDecay: number;
  /** Use Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximise instead of minimise (default false). */
  maximize: boolean;
}

/**
 * SGD exactly as `torch.optim.SGD`: with $g_t = \nabla + \lambda\theta$,
 * $b_t = \mu b_{t-1} + (1-\tau) g_t$ ($b_1 = g_1$), and the step
 * $\theta \leftarrow \theta - \gamma\,(g_t + \mu b_t)$ (Nesterov) or $\theta - \gamma b_t$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let step = 0; step < 2; step++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // gradient 2w
 *   opt.step();
 * }
 * // step 1: buf = 2, w = 0.8; step 2: buf = 0.9 * 2 + 1.6 = 3.4, w = 0.8 - 0.34
 * assert.ok(Math.abs(w.item() - 0.46) < 1e-6);
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super(params, {
      lr: options.lr,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(h: SGDOptions): void {
    checkRange("SGD", "lr", h.lr, 0);
    checkRange("SGD", "momentum", h.momentum, 0);
    checkRange("SGD", "weightDecay", h.weightDecay, 0);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new RangeError(
        `SGD: Nesterov momentum requires momentum > 0 and zero dampening ` +
          `(got momentum ${h.momentum}, dampening ${h.dampening})`,
      );
    }
  }

  protected updateParam(
    param: TensorData,
    grad: TensorData,
    group: ParamGroup<SGDOptions>,
    state: ParamState,
  ): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let buf = state.momentumBuffer as TensorData | undefined;
    const fresh = buf === undefined;
    if (momentum !== 0 && buf === undefined) {
      buf = param instanceof Float64Array
        ? new Float64Array(param.length)
        : new Float32Array(param.length);
      state.momentumBuffer = buf;
    }
    for (let i = 0; i < param.length; i++) {
      let d = maximize ? -grad[i]! : grad[i]!;
      if (weightDecay !== 0) d = d + weightDecay * param[i]!;
      if (momentum !== 0) {
        const b = buf!;
        if (fresh) b[i] = d;
        else b[i] = b[i]! * momentum + (1 - dampening) * d;
        d = nesterov ? d + momentum * b[i]! : b[i]!;
      }
      param[i] = param[i]! + -lr * d;
    }
  }
}
