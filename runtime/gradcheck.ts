/**
 * Finite-difference gradient checking, the way `torch.autograd.gradcheck` does it: compare the
 * gradients autodiff computes with central differences in float64.
 *
 * @module
 */
import { noGrad } from "./core/autograd.ts";
import { Generator } from "./random.ts";
import { formatShape } from "./core/shape.ts";
import { Tensor } from "./tensor.ts";

/** Tolerances of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

/**
 * Checks the gradients of `fn` with respect to every input that requires grad, using central
 * differences. Inputs must be float64. Non-scalar outputs are reduced with fixed random weights,
 * so every output element's gradient is exercised. Returns true, or throws an Error naming the
 * input, the element index and both values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gradcheck, tensor } from "gradbook";
 * const x = tensor([0.5, -1.2, 2.0], { dtype: "float64", requiresGrad: true });
 * assert.equal(gradcheck((x) => x.tanh().mul(x), [x]), true);
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const [i, t] of inputs.entries()) {
    if (t.dtype !== "float64") {
      throw new TypeError(`gradcheck: input ${i} is ${t.dtype}; gradcheck needs float64 inputs`);
    }
  }
  const probe = noGrad(() => fn(...inputs));
  const weights = new Float64Array(probe.size);
  const g = new Generator(1234);
  for (let i = 0; i < weights.length; i++) weights[i] = g.random() * 2 - 1;
  const weightTensor = new Tensor(weights, probe.shape);
  const scalar = (): number => {
    const out = noGrad(() => fn(...inputs));
    let s = 0;
    for (let i = 0; i < out.size; i++) s += out.data[i]! * weights[i]!;
    return s;
  };

  for (const t of inputs) t.grad = null;
  const out = fn(...inputs);
  if (!out.requiresGrad) throw new Error("gradcheck: the output does not require grad");
  out.backward(weightTensor);

  for (const [index, t] of inputs.entries()) {
    if (!t.requiresGrad) continue;
    const analytic = t.grad?.data ?? new Float64Array(t.size);
    for (let j = 0; j < t.size; j++) {
      const saved = t.data[j]!;
      t.data[j] = saved + eps;
      const plus = scalar();
      t.data[j] = saved - eps;
      const minus = scalar();
      t.data[j] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[j]!;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(
          `gradcheck: gradient of input ${index} (shape ${
            formatShape(t.shape)
          }) at element ${j}: ` +
            `autodiff gives ${a}, finite differences give ${numeric}`,
        );
      }
    }
  }
  return true;
}
