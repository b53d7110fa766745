/**
 * Adam (Kingma & Ba, 2015) with AMSGrad (Reddi et al., 2018), and AdamW (Loshchilov & Hutter,
 * 2019) with decoupled weight decay.
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

/** Hyperparameters of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends BaseHyperparameters {
  /** Decay rates $(\beta_1, \beta_2)$ of the moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 0.01). */
  weightDecay: number;
  /** Use the running maximum of $v_t$ (AMSGrad; default false). */
  amsgrad: boolean;
  /** Maximise instead of minimise (default false). */
  maximize: boolean;
}

/** One Adam step on one parameter, in the operation order of torch 1.13's `_single_tensor_adam`. */
function adamUpdate(
  param: TensorData,
  grad: TensorData,
  group: ParamGroup<AdamOptions>,
  state: ParamState,
  decoupled: boolean,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = group.betas;
  const expAvg = buffer(state, "expAvg", param);
  const expAvgSq = buffer(state, "expAvgSq", param);
  const maxExpAvgSq = amsgrad ? buffer(state, "maxExpAvgSq", param) : null;
  const step = ((state.step as number | undefined) ?? 0) + 1;
  state.step = step;
  const biasCorrection1 = 1 - Math.pow(beta1, step);
  const biasCorrection2 = 1 - Math.pow(beta2, step);
  const stepSize = lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
  const decay = 1 - lr * weightDecay;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (decoupled) param[i] = param[i]! * decay;
    else if (weightDecay !== 0) g = g + weightDecay * param[i]!;
    expAvg[i] = expAvg[i]! * beta1 + (1 - beta1) * g;
    expAvgSq[i] = expAvgSq[i]! * beta2 + (1 - beta2) * g * g;
    let v = expAvgSq[i]!;
    if (maxExpAvgSq !== null) {
      maxExpAvgSq[i] = Math.max(maxExpAvgSq[i]!, v);
      v = maxExpAvgSq[i]!;
    }
    // NOTE: PyTorch adds eps after dividing by sqrt(1 - beta2^t), i.e. to sqrt(v_hat), not to v_hat.
    const denom = Math.sqrt(v) / biasCorrection2Sqrt + eps;
    param[i] = param[i]! + (-stepSize * expAvg[i]!) / denom;
  }
}

function validateAdam(name: string, h: AdamOptions): void {
  checkRange(name, "lr", h.lr, 0);
  checkRange(name, "eps", h.eps, 0);
  checkRange(name, "betas[0]", h.betas[0], 0, 1);
  checkRange(name, "betas[1]", h.betas[1], 0, 1);
  checkRange(name, "weightDecay", h.weightDecay, 0);
}

function defaults(options: Partial<AdamOptions>, weightDecay: number): AdamOptions {
  return {
    lr: options.lr ?? 1e-3,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
}

/**
 * Adam exactly as `torch.optim.Adam` (Kingma & Ba (2015), Algorithm 1, with $\epsilon$ added to
 * $\sqrt{\hat v_t}$): $m_t = \beta_1 m + (1-\beta_1) g$, $v_t = \beta_2 v + (1-\beta_2) g^2$,
 * $\theta \leftarrow \theta - \frac{\gamma}{1-\beta_1^t} \cdot
 * \frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t} + \epsilon}$. Weight decay is added to the gradient.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1, -1], { requiresGrad: true });
 * const opt = new optim.Adam([w], { lr: 0.1, betas: [0.9, 0.999] });
 * w.pow(2).sum().backward();
 * opt.step(); // bias-corrected: the first step is about lr in each coordinate
 * assert.deepEqual(w.toFlatArray().map((v) => +v.toFixed(6)), [0.9, -0.9]);
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, defaults(options, 0));
  }
  protected validate(h: AdamOptions): void {
    validateAdam("Adam", h);
  }
  protected updateParam(
    param: TensorData,
    grad: TensorData,
    group: ParamGroup<AdamOptions>,
    state: ParamState,
  ): void {
    adamUpdate(param, grad, group, state, false);
  }
}

/**
 * AdamW exactly as `torch.optim.AdamW`: first $\theta \leftarrow \theta(1 - \gamma\lambda)$
 * (decoupled weight decay, default $\lambda = 0.01$), then the Adam step without decay in the
 * gradient.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.AdamW([w], { lr: 0.1, weightDecay: 0.5 });
 * w.pow(2).sum().backward();
 * opt.step(); // decay: 1 * (1 - 0.1 * 0.5) = 0.95, then the Adam step of about lr
 * assert.ok(Math.abs(w.item() - 0.85) < 1e-6);
 * ```
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, defaults(options, 1e-2));
  }
  protected validate(h: AdamOptions): void {
    validateAdam("AdamW", h);
  }
  protected updateParam(
    param: TensorData,
    grad: TensorData,
    group: ParamGroup<AdamOptions>,
    state: ParamState,
  ): void {
    adamUpdate(param, grad, group, state, true);
  }
}
