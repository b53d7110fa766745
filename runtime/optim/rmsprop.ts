/**
 * RMSprop (Hinton, lecture 6e of "Neural Networks for Machine Learning", 2012), with the
 * centered variant of Graves (2013) and momentum.
 *
 * @module
 */
import type { TensorData } from "../tensor.ts";
import {
  type BaseHyperparameters,
  buffer,
  checkRange,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamState,
} from "./optimizer.ts";

/** Hyperparameters of {@link RMSprop}. */
export interface RMSpropOptions extends BaseHyperparameters {
  /** Smoothing constant $\alpha$ of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the root for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalise by the variance estimate $v - \bar g^2$ instead of $v$ (default false). */
  centered: boolean;
  /** Maximise instead of minimise (default false). */
  maximize: boolean;
}

/**
 * RMSprop exactly as `torch.optim.RMSprop`: $v_t = \alpha v_{t-1} + (1-\alpha) g_t^2$;
 * $d = \sqrt{v_t} + \epsilon$ (centered: $\sqrt{v_t - \bar g_t^2} + \epsilon$ with
 * $\bar g_t = \alpha \bar g_{t-1} + (1-\alpha) g_t$); then $\theta \leftarrow \theta - \gamma g/d$,
 * or with momentum $b_t = \mu b_{t-1} + g/d$, $\theta \leftarrow \theta - \gamma b_t$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.RMSprop([w], { lr: 0.01, alpha: 0.99 });
 * w.pow(2).sum().backward();
 * // first step: v = (1 - 0.99) g², so w moves by lr / sqrt(0.01) = 10 lr
 * opt.step();
 * assert.ok(Math.abs(w.item() - 0.9) < 1e-5);
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(h: RMSpropOptions): void {
    checkRange("RMSprop", "lr", h.lr, 0);
    checkRange("RMSprop", "eps", h.eps, 0);
    checkRange("RMSprop", "momentum", h.momentum, 0);
    checkRange("RMSprop", "weightDecay", h.weightDecay, 0);
    checkRange("RMSprop", "alpha", h.alpha, 0);
  }

  protected updateParam(
    param: TensorData,
    grad: TensorData,
    group: ParamGroup<RMSpropOptions>,
    state: ParamState,
  ): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    const squareAvg = buffer(state, "squareAvg", param);
    const gradAvg = centered ? buffer(state, "gradAvg", param) : null;
    const momentumBuffer = momentum > 0 ? buffer(state, "momentumBuffer", param) : null;
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i]! : grad[i]!;
      if (weightDecay !== 0) g = g + weightDecay * param[i]!;
      squareAvg[i] = squareAvg[i]! * alpha + (1 - alpha) * g * g;
      let avg: number;
      if (gradAvg !== null) {
        gradAvg[i] = gradAvg[i]! * alpha + (1 - alpha) * g;
        avg = Math.sqrt(squareAvg[i]! + -1 * gradAvg[i]! * gradAvg[i]!);
      } else {
        avg = Math.sqrt(squareAvg[i]!);
      }
      avg = avg + eps;
      if (momentumBuffer !== null) {
        momentumBuffer[i] = momentumBuffer[i]! * momentum + g / avg;
        param[i] = param[i]! + -lr * momentumBuffer[i]!;
      } else {
        param[i] = param[i]! + (-lr * g) / avg;
      }
    }
  }
}
