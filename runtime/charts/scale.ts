/**
 * Linear and log scales mapping data values to pixels, and finite-aware extents.
 *
 * @module
 */
import { logTicks, niceDomain, niceTicks } from "./ticks.ts";

/** A 1-D mapping from a data domain to a pixel range. */
export interface Scale {
  /** Data interval `[d0, d1]` with `d0 < d1` (for log scales, both positive). */
  readonly domain: readonly [number, number];
  /** Pixel interval; `range[0]` is where `domain[0]` lands (it may be the larger one, for y). */
  readonly range: readonly [number, number];
  readonly isLog: boolean;
  /** Maps a data value to pixels; NaN for values outside a log scale's support. */
  map(value: number): number;
  /** Tick values inside the domain. */
  ticks(count?: number): number[];
}

/**
 * Returns `[min, max]` of the finite values (and positive ones when `positiveOnly`),
 * or `undefined` when there is none. NaN and ±Infinity are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteExtent } from "./scale.ts";
 * assert.deepEqual(finiteExtent([3, NaN, -1, Infinity]), [-1, 3]);
 * ```
 */
export function finiteExtent(
  values: Iterable<number>,
  positiveOnly = false,
): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && !(v > 0))) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

/**
 * Widens an empty or zero-width extent into a usable linear domain: none → `[0, 1]`,
 * `[v, v]` → `v ± 10%` (or `[-1, 1]` for 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeDomain } from "./scale.ts";
 * assert.deepEqual(safeDomain([5, 5]), [4.5, 5.5]);
 * ```
 */
export function safeDomain(extent: [number, number] | undefined): [number, number] {
  if (!extent) return [0, 1];
  const [min, max] = extent;
  if (min < max) return [min, max];
  const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
  return [min - pad, max + pad];
}

/**
 * Creates a linear scale. With `nice`, the domain is first widened to round tick values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linearScale } from "./scale.ts";
 * const x = linearScale([0, 10], [40, 640]);
 * assert.equal(x.map(5), 340);
 * ```
 */
export function linearScale(
  extent: [number, number] | undefined,
  range: [number, number],
  nice = false,
): Scale {
  const safe = safeDomain(extent);
  const [d0, d1] = nice ? niceDomain(safe[0], safe[1]) : safe;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  return {
    domain: [d0, d1],
    range: [r0, r1],
    isLog: false,
    map: (value) => r0 + (value - d0) * k,
    ticks: (count = 5) => niceTicks(d0, d1, count),
  };
}

/**
 * Creates a log10 scale over the positive part of the data. With `nice`, the domain is widened
 * to whole decades. An empty extent gives `[1, 10]`; a single value `v` gives `[v/2, 2v]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logScale } from "./scale.ts";
 * const y = logScale([1e-3, 10], [300, 0]);
 * assert.equal(y.map(0.1), 150);
 * ```
 */
export function logScale(
  extent: [number, number] | undefined,
  range: [number, number],
  nice = false,
): Scale {
  let [d0, d1] = extent && extent[0] > 0 ? extent : [1, 10];
  if (d0 >= d1) [d0, d1] = [d0 / 2, d1 * 2];
  if (nice && Math.log10(d1 / d0) >= 1) {
    [d0, d1] = [10 ** Math.floor(Math.log10(d0) + 1e-9), 10 ** Math.ceil(Math.log10(d1) - 1e-9)];
  }
  const [r0, r1] = range;
  const l0 = Math.log10(d0);
  const k = (r1 - r0) / (Math.log10(d1) - l0);
  return {
    domain: [d0, d1],
    range: [r0, r1],
    isLog: true,
    map: (value) => (value > 0 ? r0 + (Math.log10(value) - l0) * k : NaN),
    ticks: (count = 8) => logTicks(d0, d1, Math.max(count, 2)),
  };
}
