/**
 * "Nice" axis ticks for linear and log scales, and compact tick labels.
 *
 * @module
 */

/** Removes floating-point noise such as `0.30000000000000004` → `0.3`. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * Returns a step of the form 1, 2 or 5 × 10^k that splits `span` into about `count` intervals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { niceStep } from "./ticks.ts";
 * assert.equal(niceStep(0.93, 5), 0.2);
 * ```
 */
export function niceStep(span: number, count: number): number {
  const raw = Math.abs(span) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  // NOTE: thresholds are the geometric means of 1-2, 2-5 and 5-10, as in d3-array's tickStep
  const factor = error >= Math.sqrt(50)
    ? 10
    : error >= Math.sqrt(10)
    ? 5
    : error >= Math.SQRT2
    ? 2
    : 1;
  return clean(factor * power);
}

/**
 * Returns about `count` round tick values (multiples of 1, 2 or 5 × 10^k) inside `[min, max]`.
 * Degenerate input (reversed, equal or non-finite bounds) gives `[min]` or `[]`, never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { niceTicks } from "./ticks.ts";
 * assert.deepEqual(niceTicks(0, 0.93), [0, 0.2, 0.4, 0.6, 0.8]);
 * ```
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [clean(min)];
  const step = niceStep(max - min, count);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last && ticks.length < 1000; k++) ticks.push(clean(k * step));
  return ticks;
}

/**
 * Extends `[min, max]` outwards to multiples of the nice step, like d3's `scale.nice()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { niceDomain } from "./ticks.ts";
 * assert.deepEqual(niceDomain(0.03, 0.93), [0, 1]);
 * ```
 */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) return [min, max];
  const step = niceStep(max - min, count);
  return [clean(Math.floor(min / step + 1e-9) * step), clean(Math.ceil(max / step - 1e-9) * step)];
}

/**
 * Returns ticks for a log scale: powers of ten (every k-th decade when there are more than
 * `maxTicks`), or 1-2-5 multiples when the domain spans less than about a decade.
 * Non-positive bounds give `[]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logTicks } from "./ticks.ts";
 * assert.deepEqual(logTicks(1e-3, 10), [0.001, 0.01, 0.1, 1, 10]);
 * ```
 */
export function logTicks(min: number, max: number, maxTicks = 8): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  if (hi - lo >= 1) {
    const every = Math.ceil((hi - lo + 1) / maxTicks);
    const ticks: number[] = [];
    for (let k = lo; k <= hi; k++) if ((k - lo) % every === 0) ticks.push(clean(10 ** k));
    return ticks;
  }
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of [1, 2, 5]) {
      const v = clean(m * 10 ** k);
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks.length >= 2 ? ticks : niceTicks(min, max, 4);
}

const SUFFIXES: [number, string][] = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];

/**
 * Formats a tick value compactly: `0.25`, `1e-3`, `12k`, `1.5M`.
 * Values below 0.01 in magnitude use exponent notation; 10 000 and above use a k/M/G/T suffix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTick } from "./ticks.ts";
 * assert.equal(formatTick(0.001), "1e-3");
 * assert.equal(formatTick(12000), "12k");
 * ```
 */
export function formatTick(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const v = clean(value);
  if (v === 0) return "0";
  const abs = Math.abs(v);
  const sign = v < 0 ? "−" : "";
  if (abs < 0.01) return sign + clean(abs).toExponential().replace("e+", "e");
  if (abs >= 1e15) return sign + abs.toExponential(1).replace(".0e", "e").replace("e+", "e");
  if (abs >= 1e4) {
    for (const [size, suffix] of SUFFIXES) {
      if (abs >= size) return sign + String(Number((abs / size).toPrecision(3))) + suffix;
    }
  }
  return sign + String(Number(abs.toPrecision(4)));
}

/**
 * Formats a data value (bar label, heatmap cell) to about `digits` significant digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatValue } from "./ticks.ts";
 * assert.equal(formatValue(0.123456), "0.123");
 * ```
 */
export function formatValue(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return formatTick(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 0.01 && abs < 1e4) {
    return (value < 0 ? "−" : "") + String(Number(abs.toPrecision(digits)));
  }
  return formatTick(Number(value.toPrecision(digits)));
}
