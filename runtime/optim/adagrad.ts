/**
 * Adagrad (Duchi, Hazan & Singer, 2011): per-coordinate step sizes from accumulated squared
 * gradients.
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

/** Hyperparameters of {@link Adagrad}. */
export interface AdagradOptions extends BaseHyperparameters {
  /** Learning-rate decay $\eta$: step $t$ uses $\gamma / (1 + (t-1)\eta)$ (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sums (default 0). */
  initialAccumulatorValue: number;
  /** Added to the square root for stability (default 1e-10). */
  eps: number;
  /** Maximise instead of minimise (default false). */
  maximize: boolean;
}

/**
 * Adagrad exactly as `torch.optim.Adagrad`: $s_t = s_{t-1} + g_t^2$,
 * $\theta \leftarrow \theta - \tilde\gamma\, g_t / (\sqrt{s_t} + \epsilon)$ with
 * $\tilde\gamma = \gamma / (1 + (t-1)\eta)$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1, -1], { requiresGrad: true });
 * const opt = new optim.Adagrad([w], { lr: 0.5 });
 * w.pow(2).sum().backward();
 * opt.step(); // the first step moves each coordinate by lr against its gradient
 * assert.deepEqual(w.toFlatArray().map((v) => +v.toFixed(6)), [0.5, -0.5]);
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(h: AdagradOptions): void {
    checkRange("Adagrad", "lr", h.lr, 0);
    checkRange("Adagrad", "lrDecay", h.lrDecay, 0);
    checkRange("Adagrad", "weightDecay", h.weightDecay, 0);
    checkRange("Adagrad", "initialAccumulatorValue", h.initialAccumulatorValue, 0);
    checkRange("Adagrad", "eps", h.eps, 0);
  }

  protected updateParam(
    param: TensorData,
    grad: TensorData,
    group: ParamGroup<AdagradOptions>,
    state: ParamState,
  ): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    const sum = buffer(state, "sum", param, group.initialAccumulatorValue);
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    const clr = lr / (1 + (step - 1) * lrDecay);
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i]! : grad[i]!;
      if (weightDecay !== 0) g = g + weightDecay * param[i]!;
      sum[i] = sum[i]! + g * g;
      const std = Math.sqrt(sum[i]!) + eps;
      param[i] = param[i]! + (-clr * g) / std;
    }
  }
}
