/**
 * Hebbian learning for one linear neuron $y = w^\top x$.
 *
 * - Plain Hebb: $\Delta w = \eta\, y\, x$ ("fire together, wire together"). On zero-mean data
 *   $E[\Delta w] = \eta C w$ with $C$ the input covariance, so $\|w\|$ grows without bound.
 * - Oja (1982): $\Delta w = \eta\, y\,(x - y\, w)$. The decay term keeps $\|w\| \to 1$ and $w$
 *   converges to the top eigenvector of $C$, the first principal component.
 *
 * Both update `w` in place and return the neuron's output $y$.
 *
 * @module
 */

function dot(w: ArrayLike<number>, x: ArrayLike<number>, op: string): number {
  if (w.length !== x.length) {
    throw new RangeError(`${op}: weights have ${w.length} entries but the input has ${x.length}`);
  }
  let y = 0;
  for (let i = 0; i < w.length; i++) y += w[i]! * x[i]!;
  return y;
}

/**
 * One plain Hebbian step $w \leftarrow w + \eta\, y\, x$, in place; returns $y = w^\top x$
 * (before the update).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const w = new Float64Array([0.5, 0]);
 * neuro.hebbStep(w, [1, 1], 0.1); // y = 0.5
 * assert.deepEqual([...w].map((v) => +v.toFixed(9)), [0.55, 0.05]);
 * ```
 */
export function hebbStep(w: Float64Array | number[], x: ArrayLike<number>, lr: number): number {
  const y = dot(w, x, "hebbStep");
  for (let i = 0; i < w.length; i++) w[i] = w[i]! + lr * y * x[i]!;
  return y;
}

/**
 * One step of Oja's rule $w \leftarrow w + \eta\, y\,(x - y\, w)$, in place; returns
 * $y = w^\top x$ (before the update). Oja (1982), eq. 3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const w = new Float64Array([0.5, 0]);
 * neuro.ojaStep(w, [1, 1], 0.1); // y = 0.5
 * assert.deepEqual([...w].map((v) => +v.toFixed(9)), [0.5375, 0.05]);
 * ```
 */
export function ojaStep(w: Float64Array | number[], x: ArrayLike<number>, lr: number): number {
  const y = dot(w, x, "ojaStep");
  for (let i = 0; i < w.length; i++) w[i] = w[i]! + lr * y * (x[i]! - y * w[i]!);
  return y;
}

/** Euclidean norm of a vector. */
export function vectorNorm(w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
  return Math.sqrt(s);
}

/** Cosine of the angle between two vectors (0 when either is zero). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const denominator = vectorNorm(a) * vectorNorm(b);
  return denominator === 0 ? 0 : dot(a, b, "cosineSimilarity") / denominator;
}
