/**
 * The name under the editor's cursor, for the kernel's `inspect` request (hover). Its own module:
 * the kernel process's main thread needs it, and `inspect_value.ts` brings in the whole runtime,
 * which belongs to the cell worker (see `kernel_graph_test.ts`).
 *
 * @module
 */

/**
 * The identifier at (or just before) `cursor` in `code`, or null when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { identifierAt } from "./identifier_at.ts";
 * assert.equal(identifierAt("model.forward(x)", 3), "model");
 * ```
 */
export function identifierAt(code: string, cursor: number): string | null {
  let start = Math.min(Math.max(cursor, 0), code.length);
  let end = start;
  while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
  while (end < code.length && /[\w$]/.test(code[end]!)) end++;
  const name = code.slice(start, end);
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : null;
}
