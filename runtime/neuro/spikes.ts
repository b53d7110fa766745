/**
 * Spike trains: homogeneous Poisson trains, Poisson counts, binning and firing rates. Times are in
 * ms and rates in Hz (spikes per second), as in the LIF model.
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";

/**
 * Spike times (ms, sorted) of a homogeneous Poisson process with `rate` Hz on [0, duration),
 * drawn exactly through exponential inter-spike intervals of mean $1000/\text{rate}$ ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro, seed } from "gradbook";
 * seed(0);
 * const times = neuro.poissonSpikeTrain(20, 1000); // about 20 spikes in one second
 * assert.ok(times.length > 8 && times.length < 35);
 * assert.ok(times.every((t) => t >= 0 && t < 1000));
 * ```
 */
export function poissonSpikeTrain(
  rate: number,
  duration: number,
  generator: Generator = globalGenerator,
): number[] {
  if (!(rate >= 0)) throw new RangeError(`poissonSpikeTrain: rate must be >= 0 Hz, got ${rate}`);
  if (!(duration >= 0)) {
    throw new RangeError(`poissonSpikeTrain: duration must be >= 0 ms, got ${duration}`);
  }
  const times: number[] = [];
  if (rate === 0) return times;
  const meanInterval = 1000 / rate;
  let t = 0;
  for (;;) {
    t += -meanInterval * Math.log(1 - generator.random());
    if (t >= duration) return times;
    times.push(t);
  }
}

/**
 * A Poisson-distributed count with the given mean: the number of spikes of a Poisson process in a
 * window (Knuth's product-of-uniforms method, split into chunks so large means do not underflow).
 */
export function poissonCount(mean: number, generator: Generator = globalGenerator): number {
  if (!(mean >= 0)) throw new RangeError(`poissonCount: mean must be >= 0, got ${mean}`);
  let count = 0;
  let remaining = mean;
  while (remaining > 0) {
    // NOTE: exp(-m) underflows for m above ~700; 30 per chunk keeps the product well inside range.
    const chunk = Math.min(remaining, 30);
    remaining -= chunk;
    const limit = Math.exp(-chunk);
    let product = generator.random();
    while (product > limit) {
      count++;
      product *= generator.random();
    }
  }
  return count;
}

/** Options of {@link binSpikes}. */
export interface BinOptions {
  /** Width of each bin in ms. */
  binWidth: number;
  /** End of the last bin in ms; spikes at or after it are dropped. */
  duration: number;
  /** Start of the first bin in ms (default 0). */
  start?: number;
}

/**
 * Counts spikes in consecutive bins $[start + k w, start + (k+1) w)$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * assert.deepEqual(neuro.binSpikes([1, 2, 12, 25], { binWidth: 10, duration: 30 }), [2, 1, 1]);
 * ```
 */
export function binSpikes(spikeTimes: readonly number[], options: BinOptions): number[] {
  const { binWidth, duration } = options;
  const start = options.start ?? 0;
  if (!(binWidth > 0)) throw new RangeError(`binSpikes: binWidth must be > 0 ms, got ${binWidth}`);
  if (!(duration > start)) {
    throw new RangeError(`binSpikes: duration (${duration}) must exceed start (${start})`);
  }
  const bins = Math.ceil((duration - start) / binWidth - 1e-9);
  const counts = new Array<number>(bins).fill(0);
  for (const t of spikeTimes) {
    if (t < start || t >= duration) continue;
    const k = Math.min(Math.floor((t - start) / binWidth), bins - 1);
    counts[k]! += 1;
  }
  return counts;
}

/**
 * Mean firing rate in Hz of the spikes that fall in [start, end) ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * assert.equal(neuro.firingRate([100, 300, 700], 0, 1000), 3); // Hz
 * ```
 */
export function firingRate(spikeTimes: readonly number[], start: number, end: number): number {
  if (!(end > start)) throw new RangeError(`firingRate: end (${end}) must exceed start (${start})`);
  let count = 0;
  for (const t of spikeTimes) if (t >= start && t < end) count++;
  return (1000 * count) / (end - start);
}

/** Converts spike counts per bin into rates in Hz. */
export function countsToRates(counts: readonly number[], binWidth: number): number[] {
  if (!(binWidth > 0)) {
    throw new RangeError(`countsToRates: binWidth must be > 0 ms, got ${binWidth}`);
  }
  return counts.map((c) => (1000 * c) / binWidth);
}
