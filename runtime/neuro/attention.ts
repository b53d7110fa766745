/**
 * Scaled dot-product attention (Vaswani et al., 2017, eq. 1), composed from tensor ops so that
 * gradients flow to queries, keys and values:
 * $$\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V$$
 *
 * @module
 */
import { formatShape } from "../core/shape.ts";
import { Tensor } from "../tensor.ts";

/** Options of {@link scaledDotProductAttention}. */
export interface AttentionOptions {
  /**
   * Positions that may NOT be attended to: nonzero entries of `mask` (broadcast to the score
   * shape [..., queries, keys]) get weight 0. Every query needs at least one unmasked key.
   */
  mask?: Tensor;
}

/** Output of {@link scaledDotProductAttention}. */
export interface AttentionResult {
  /** The attended values, shape [..., queries, valueDim]. */
  output: Tensor;
  /** The attention weights, shape [..., queries, keys]; each row sums to 1. */
  weights: Tensor;
}

/**
 * Scaled dot-product attention.
 *
 * @param query Shape [..., queries, d].
 * @param key Shape [..., keys, d].
 * @param value Shape [..., keys, valueDim].
 * @returns The output [..., queries, valueDim] and the weights [..., queries, keys].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro, tensor } from "gradbook";
 * const q = tensor([[1, 0]]);
 * const k = tensor([[1, 0], [0, 1]]);
 * const v = tensor([[10], [20]]);
 * const { output, weights } = neuro.scaledDotProductAttention(q, k, v);
 * // the query matches the first key best
 * assert.deepEqual(weights.toFlatArray().map((w) => +w.toFixed(2)), [0.67, 0.33]);
 * assert.ok(Math.abs(output.item() - 13.3) < 0.01); // 0.67 × 10 + 0.33 × 20
 * ```
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: AttentionOptions = {},
): AttentionResult {
  for (const [name, t] of [["query", query], ["key", key], ["value", value]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`attention: ${name} must be a Tensor`);
    if (t.ndim < 2) {
      throw new RangeError(
        `attention: ${name} needs shape [..., length, dim], got ${formatShape(t.shape)}`,
      );
    }
  }
  const d = query.shape[query.ndim - 1]!;
  if (key.shape[key.ndim - 1] !== d) {
    throw new RangeError(
      `attention: query ${formatShape(query.shape)} and key ${
        formatShape(key.shape)
      } have different feature sizes`,
    );
  }
  if (key.shape[key.ndim - 2] !== value.shape[value.ndim - 2]) {
    throw new RangeError(
      `attention: key ${formatShape(key.shape)} and value ${
        formatShape(value.shape)
      } have different lengths`,
    );
  }
  let scores = query.matmul(key.transpose(-2, -1)).div(Math.sqrt(d));
  // NOTE: a large negative number rather than -Infinity keeps the masked gradient finite.
  if (options.mask !== undefined) scores = scores.maskedFill(options.mask, -1e9);
  const weights = scores.softmax(-1);
  return { output: weights.matmul(value), weights };
}
