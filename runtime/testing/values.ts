/**
 * Helpers of the test API: turn tensors and typed arrays into plain nested arrays, find their
 * shape, and describe values briefly for learner-facing messages.
 *
 * @module
 */

/** Converts a tensor (anything with `toArray()`) or typed array to plain numbers and arrays. */
export function toPlain(value: unknown): unknown {
  if (typeof value === "object" && value !== null) {
    const toArray = (value as { toArray?: unknown }).toArray;
    if (typeof toArray === "function") return toPlain(toArray.call(value));
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number>, Number);
    }
    if (Array.isArray(value)) return value.map(toPlain);
  }
  return value;
}

/** Shape of a number (`[]`) or of regular nested arrays of numbers; null for anything else. */
export function shapeOf(value: unknown): number[] | null {
  if (typeof value === "number") return [];
  if (!Array.isArray(value)) return null;
  if (value.length === 0) return [0];
  const inner = shapeOf(value[0]);
  if (inner === null) return null;
  for (const item of value) {
    const shape = shapeOf(item);
    if (shape === null || shape.join() !== inner.join()) return null;
  }
  return [value.length, ...inner];
}

const MAX_ITEMS = 8;

/**
 * Describes a value in a few characters: numbers to 6 significant digits, arrays elided after
 * a few items, strings quoted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeValue } from "./values.ts";
 * assert.equal(describeValue([0.1 + 0.2, -2]), "[0.3, -2]");
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map(describeValue);
    if (value.length > MAX_ITEMS) items.push(`... ${value.length - MAX_ITEMS} more`);
    return `[${items.join(", ")}]`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object" && typeof (value as { toArray?: unknown }).toArray === "function") {
    return `tensor ${describeValue(toPlain(value))}`;
  }
  if (typeof value === "object") {
    const name = (value as object).constructor?.name ?? "object";
    return name === "Object" ? "an object" : `a ${name}`;
  }
  return String(value);
}
