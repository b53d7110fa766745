/**
 * The one rule by which tables print their values: `table()`'s text and HTML forms in the
 * kernel, and the notebook's table view in the browser, all call {@link formatCell}.
 *
 * @module
 */

/** Significant digits a table keeps of a number that is not an integer. */
export const TABLE_DIGITS = 4;

/**
 * Formats a number for a table cell: integers in full; other numbers to `digits` significant
 * digits with trailing zeros dropped (`4.7`, `476.6`, `0.1235`), never more decimals than
 * `digits`; magnitudes below 1e-3 or from 1e6 up in exponent form (`1.235e-4`); `NaN`, `∞`, `-∞`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNumberCell } from "./format_cell.ts";
 * assert.equal(formatNumberCell(4.7), "4.7");
 * assert.equal(formatNumberCell(476.6), "476.6");
 * assert.equal(formatNumberCell(0.123456), "0.1235");
 * assert.equal(formatNumberCell(12345.678), "12346");
 * assert.equal(formatNumberCell(0.000123456), "1.235e-4");
 * assert.equal(formatNumberCell(-Infinity), "-∞");
 * ```
 */
export function formatNumberCell(value: number, digits = TABLE_DIGITS): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) {
    return value.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, "e").replace("e+", "e");
  }
  const before = abs < 1 ? 0 : Math.floor(Math.log10(abs)) + 1;
  const decimals = Math.min(digits, Math.max(0, digits - before));
  const text = value.toFixed(decimals);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * Formats any table value: numbers by {@link formatNumberCell}, strings as they are, `null` and
 * `undefined` as an empty cell, and anything else with `other` (default `String`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCell } from "./format_cell.ts";
 * assert.deepEqual([0.25, "dqn", undefined, true].map((v) => formatCell(v)), ["0.25", "dqn", "", "true"]);
 * ```
 */
export function formatCell(
  value: unknown,
  digits = TABLE_DIGITS,
  other: (value: unknown) => string = String,
): string {
  if (typeof value === "number") return formatNumberCell(value, digits);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return other(value);
}
