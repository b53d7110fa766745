/**
 * Sizes of what a cell sends, counted in the cell worker before it leaves the sandbox.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dataSize, formatBytes } from "./output_size.ts";
 * assert.equal(dataSize({ ab: "xyz", n: 1 }, Infinity), 2 + 3 + 1 + 8);
 * assert.equal(formatBytes(2 * 1048576), "2 MiB");
 * ```
 *
 * @module
 */

/** A byte count as a notice says it: `1 MiB`, or `1500 bytes`. */
export function formatBytes(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${bytes} bytes`;
}

/** Characters of strings and keys in `value` (8 per other leaf), counting no further than `cap`. */
export function dataSize(value: unknown, cap: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= cap) {
    const item = stack.pop();
    if (typeof item === "string") total += item.length;
    else if (Array.isArray(item)) stack.push(...item);
    else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        total += key.length;
        stack.push(child);
      }
    } else total += 8;
  }
  return total;
}
