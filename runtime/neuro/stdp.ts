/**
 * Pair-based spike-timing-dependent plasticity (STDP).
 *
 * A synapse from a presynaptic to a postsynaptic neuron changes by an amount that depends only on
 * the delay $\Delta t = t_{post} - t_{pre}$ between a pair of their spikes (Bi & Poo, 1998):
 * $$
 * W(\Delta t) = \begin{cases} A_+\, e^{-\Delta t/\tau_+} & \Delta t > 0 \text{ (pre before post: potentiation)} \\
 * -A_-\, e^{\Delta t/\tau_-} & \Delta t < 0 \text{ (post before pre: depression)} \\ 0 & \Delta t = 0 \end{cases}
 * $$
 * The defaults are those of Song, Miller & Abbott (2000): $A_+ = 0.005$, $A_-/A_+ = 1.05$,
 * $\tau_\pm = 20$ ms, so that depression slightly outweighs potentiation,
 * $A_-\tau_- > A_+\tau_+$. Times are in ms.
 *
 * @module
 */

/** Parameters of the STDP window; every field has a default. */
export interface StdpOptions {
  /** Largest potentiation $A_+$, reached as $\Delta t \to 0^+$ (default 0.005). */
  aPlus?: number;
  /** Largest depression $A_-$, reached as $\Delta t \to 0^-$ (default 0.00525). */
  aMinus?: number;
  /** Decay time $\tau_+$ of potentiation in ms (default 20). */
  tauPlus?: number;
  /** Decay time $\tau_-$ of depression in ms (default 20). */
  tauMinus?: number;
}

/** Every STDP parameter, defaults filled in. */
export type StdpParams = Required<StdpOptions>;

/** Fills in the defaults of {@link StdpOptions} and checks them. */
export function stdpParams(options: StdpOptions = {}): StdpParams {
  const p: StdpParams = {
    aPlus: options.aPlus ?? 0.005,
    aMinus: options.aMinus ?? 0.00525,
    tauPlus: options.tauPlus ?? 20,
    tauMinus: options.tauMinus ?? 20,
  };
  for (const key of ["tauPlus", "tauMinus"] as const) {
    if (!(p[key] > 0)) throw new RangeError(`stdp: ${key} must be positive, got ${p[key]}`);
  }
  for (const key of ["aPlus", "aMinus"] as const) {
    if (!(p[key] >= 0)) throw new RangeError(`stdp: ${key} must be non-negative, got ${p[key]}`);
  }
  return p;
}

/**
 * The weight change $W(\Delta t)$ caused by one pre/post spike pair with
 * $\Delta t = t_{post} - t_{pre}$ ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * assert.equal(neuro.stdpWindow(20), 0.005 * Math.exp(-1)); // pre 20 ms before post: potentiation
 * assert.equal(neuro.stdpWindow(-20), -0.00525 * Math.exp(-1)); // post first: depression
 * ```
 */
export function stdpWindow(deltaT: number, options: StdpOptions = {}): number {
  const p = stdpParams(options);
  if (deltaT > 0) return p.aPlus * Math.exp(-deltaT / p.tauPlus);
  if (deltaT < 0) return -p.aMinus * Math.exp(deltaT / p.tauMinus);
  return 0;
}

/**
 * The total weight change from two spike trains under the all-to-all pair rule: the sum of
 * {@link stdpWindow} over every (pre, post) pair of spikes. Pairs more than `cutoff` window
 * time constants apart (default 8, where the window is below $e^{-8} \approx 3 \cdot 10^{-4}$
 * of its peak) are skipped, so long trains cost time proportional to their spike counts.
 *
 * @param preSpikes Presynaptic spike times in ms, sorted ascending.
 * @param postSpikes Postsynaptic spike times in ms, sorted ascending.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * // 60 pairings, one per second, the presynaptic spike 10 ms before the postsynaptic one.
 * const pre = Array.from({ length: 60 }, (_, k) => 1000 * k);
 * const post = pre.map((t) => t + 10);
 * const dw = neuro.stdpWeightChange(pre, post);
 * assert.ok(Math.abs(dw - 60 * neuro.stdpWindow(10)) < 1e-12);
 * ```
 */
export function stdpWeightChange(
  preSpikes: readonly number[],
  postSpikes: readonly number[],
  options: StdpOptions & { cutoff?: number } = {},
): number {
  const p = stdpParams(options);
  const reach = (options.cutoff ?? 8) * Math.max(p.tauPlus, p.tauMinus);
  for (const [name, train] of [["preSpikes", preSpikes], ["postSpikes", postSpikes]] as const) {
    for (let i = 1; i < train.length; i++) {
      if (train[i]! < train[i - 1]!) {
        throw new RangeError(
          `stdpWeightChange: ${name} must be sorted, but spike ${i} comes first`,
        );
      }
    }
  }
  let total = 0;
  let first = 0; // first postsynaptic spike that can still pair with the current presynaptic one
  for (const tPre of preSpikes) {
    while (first < postSpikes.length && postSpikes[first]! < tPre - reach) first++;
    for (let j = first; j < postSpikes.length && postSpikes[j]! <= tPre + reach; j++) {
      total += stdpWindow(postSpikes[j]! - tPre, p);
    }
  }
  return total;
}
