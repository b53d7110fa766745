/**
 * Discounted returns $G_t = \sum_{k \ge 0} \gamma^k r_{t+k}$, the quantity REINFORCE weights its
 * log-probabilities by (Williams, 1992).
 *
 * @module
 */

/** Options for {@link discountedReturns}. */
export interface DiscountedReturnsOptions {
  /**
   * Standardise to mean 0, standard deviation 1 as PyTorch's REINFORCE example does:
   * `(G - G.mean()) / (G.std() + eps)` with the unbiased std and eps = 2^-23 (float32's).
   */
  normalize?: boolean;
  /**
   * For several episodes laid end to end: `episodeEnds[t]` true where step t ended an episode,
   * so no return flows back across it.
   */
  episodeEnds?: ArrayLike<boolean>;
}

/**
 * Computes $G_t = r_t + \gamma G_{t+1}$ backwards from the last reward.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * assert.deepEqual(rl.discountedReturns([1, 1, 1], 0.9), [2.71, 1.9, 1]);
 * ```
 */
export function discountedReturns(
  rewards: ArrayLike<number>,
  gamma: number,
  options: DiscountedReturnsOptions = {},
): number[] {
  if (!(gamma >= 0 && gamma <= 1)) {
    throw new RangeError(`discountedReturns: gamma must be in [0, 1], got ${gamma}`);
  }
  const ends = options.episodeEnds;
  if (ends && ends.length !== rewards.length) {
    throw new RangeError(
      `discountedReturns: episodeEnds has ${ends.length} entries for ${rewards.length} rewards`,
    );
  }
  const n = rewards.length;
  const returns = new Array<number>(n);
  let running = 0;
  for (let t = n - 1; t >= 0; t--) {
    if (ends?.[t]) running = 0;
    running = rewards[t]! + gamma * running;
    returns[t] = running;
  }
  if (options.normalize && n > 0) {
    const mean = returns.reduce((a, b) => a + b, 0) / n;
    const variance = n > 1 ? returns.reduce((a, g) => a + (g - mean) ** 2, 0) / (n - 1) : 0;
    const scale = Math.sqrt(variance) + 2 ** -23;
    for (let t = 0; t < n; t++) returns[t] = (returns[t]! - mean) / scale;
  }
  return returns;
}
