/**
 * Gradient clipping, like `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`. Both change
 * `.grad` in place; call them between `backward()` and `optimizer.step()`.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** Order of the norm: 2 (default), 1, any p > 0, or `Infinity` for the max norm. */
  normType?: number;
  /** Throw if the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

function pNorm(values: ArrayLike<number>, p: number): number {
  if (p === Infinity) {
    let m = 0;
    for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
    return m;
  }
  let s = 0;
  if (p === 2) {
    for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
    return Math.sqrt(s);
  }
  for (let i = 0; i < values.length; i++) s += Math.pow(Math.abs(values[i]!), p);
  return Math.pow(s, 1 / p);
}

/**
 * Rescales the gradients of `parameters` so that their combined norm (the norm of the vector of
 * per-tensor norms) is at most `maxNorm`: each gradient is multiplied by
 * $\min(1, \text{maxNorm} / (\text{total} + 10^{-6}))$. Returns the total norm before clipping.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.mul(tensor([3, 4])).sum().backward(); // grad [3, 4], norm 5
 * assert.equal(optim.clipGradNorm([w], 1), 5);
 * // rescaled to norm 1
 * assert.deepEqual(w.grad!.toFlatArray().map((v) => +v.toFixed(6)), [0.6, 0.8]);
 * ```
 */
export function clipGradNorm(
  parameters: Iterable<Tensor>,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): number {
  const normType = options.normType ?? 2;
  if (!(normType > 0)) {
    throw new RangeError(`clipGradNorm: normType must be positive, got ${normType}`);
  }
  const grads = [...parameters].flatMap((p) => (p.grad === null ? [] : [p.grad]));
  if (grads.length === 0) return 0;
  const total = pNorm(grads.map((g) => pNorm(g.data, normType)), normType);
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `clipGradNorm: the total norm of order ${normType} of the gradients is ${total}, ` +
        `so they cannot be clipped (pass errorIfNonfinite: false to scale anyway)`,
    );
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  for (const g of grads) {
    const d = g.data;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
  }
  return total;
}

/**
 * Clamps every gradient element of `parameters` into `[-clipValue, clipValue]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.mul(tensor([3, -0.5])).sum().backward();
 * optim.clipGradValue([w], 1);
 * assert.deepEqual(w.grad!.toArray(), [1, -0.5]);
 * ```
 */
export function clipGradValue(parameters: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) {
    throw new RangeError(`clipGradValue: clipValue must be non-negative, got ${clipValue}`);
  }
  for (const p of parameters) {
    if (p.grad === null) continue;
    const d = p.grad.data;
    for (let i = 0; i < d.length; i++) d[i] = Math.min(clipValue, Math.max(-clipValue, d[i]!));
  }
}
