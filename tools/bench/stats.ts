/**
 * Timing and statistics helpers shared by the bench sections.
 *
 * @module
 */
import type { BenchOptions } from "./section.ts";

/**
 * The median of `values` (mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * import { median } from "./stats.ts";
 * if (median([5, 1, 3]) !== 3) throw new Error("median");
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median: cannot take the median of no values");
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Fits $y = c \cdot x^p$ by least squares on $\log y$ against $\log x$ and returns the exponent
 * $p$. A workload that grows linearly with its width gives about 1.
 *
 * @example
 * ```ts
 * import { fitExponent } from "./stats.ts";
 * const p = fitExponent([1, 2, 4], [3, 12, 48]); // y = 3x²
 * if (Math.abs(p - 2) > 1e-12) throw new Error(`exponent ${p}`);
 * ```
 */
export function fitExponent(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) {
    throw new RangeError(
      `fitExponent: needs at least two (x, y) pairs of equal count, got ${xs.length} x and ${ys.length} y`,
    );
  }
  if ([...xs, ...ys].some((v) => !(v > 0))) {
    throw new RangeError(`fitExponent: every x and y must be positive, got x=${xs} y=${ys}`);
  }
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  if (sxx === 0) throw new RangeError("fitExponent: all x are equal, so no slope can be fitted");
  return sxy / sxx;
}

/** What the timers read: `performance` (tests pass a clock they move themselves). */
export interface Clock {
  now(): number;
}

/**
 * Times `fn`: untimed calls until there have been `warmup` of them and `warmupMs` have passed,
 * then `samples` timed samples, each repeating `fn` until it has run at least `minSampleMs`.
 * Returns the median milliseconds per call. The warm-up by time reaches the steady state a
 * training loop runs in: a fresh process's first allocations fault in new pages (about 12 µs
 * per 4 KiB page on this virtual machine, more than the multiply of a 256² product), and only
 * once the collector returns memory is it reused; the compiler's tiers take a while too.
 */
export function measure(fn: () => void, options: BenchOptions, clock: Clock = performance): number {
  warmUp([fn], options, clock);
  const repeats = repeatsFor(fn, options, clock);
  const perCall: number[] = [];
  for (let s = 0; s < options.samples; s++) perCall.push(timeBatch(fn, repeats, clock));
  return median(perCall);
}

/** Calls each of `fns` in turn until there were `warmup` rounds and `warmupMs` have passed. */
function warmUp(fns: readonly (() => void)[], options: BenchOptions, clock: Clock): void {
  const warmUntil = clock.now() + (options.warmupMs ?? 0);
  for (let i = 0; i < Math.max(1, options.warmup) || clock.now() < warmUntil; i++) {
    for (const fn of fns) fn();
  }
}

/** How many calls of `fn` (timed once) make a sample of at least `minSampleMs`. */
function repeatsFor(fn: () => void, options: BenchOptions, clock: Clock): number {
  const start = clock.now();
  fn();
  return Math.max(1, Math.ceil(options.minSampleMs / Math.max(clock.now() - start, 1e-3)));
}

/** Milliseconds per call of `fn`, called `times` times in a row. */
function timeBatch(fn: () => void, times: number, clock: Clock): number {
  const t0 = clock.now();
  for (let r = 0; r < times; r++) fn();
  return (clock.now() - t0) / times;
}

/** What {@linkcode measurePair} found: each workload's median ms per call, and their ratio. */
export interface PairTiming {
  first: number;
  second: number;
  /** The median over samples of first ÷ second, each pair timed back to back. */
  ratio: number;
}

/**
 * Times two workloads in alternation (warm-up and samples both), for a ratio that a machine
 * whose speed drifts during the run (another job, a virtual machine's neighbour) does not
 * skew: sample s times a batch of each, back to back, in an order that swaps every sample.
 * Options as in {@linkcode measure}; the warm-up time is shared.
 */
export function measurePair(
  first: () => void,
  second: () => void,
  options: BenchOptions,
  clock: Clock = performance,
): PairTiming {
  warmUp([first, second], options, clock);
  const firstRepeats = repeatsFor(first, options, clock);
  const secondRepeats = repeatsFor(second, options, clock);
  const firsts: number[] = [];
  const seconds: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    // Back to back, in an order that swaps every sample.
    if (s % 2 === 0) {
      firsts.push(timeBatch(first, firstRepeats, clock));
      seconds.push(timeBatch(second, secondRepeats, clock));
    } else {
      seconds.push(timeBatch(second, secondRepeats, clock));
      firsts.push(timeBatch(first, firstRepeats, clock));
    }
  }
  return {
    first: median(firsts),
    second: median(seconds),
    ratio: median(firsts.map((ms, s) => ms / seconds[s]!)),
  };
}
