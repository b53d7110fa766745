/**
 * Turns any value into a Jupyter MIME bundle, with the protocol Deno's own Jupyter kernel uses:
 * an object with a `[Symbol.for("Jupyter.display")]()` method describes itself; anything else
 * is shown as `text/plain`, formatted like `console.log` (Deno's inspect).
 *
 * @module
 */

import type { MimeBundle } from "../vocabulary.ts";

/** The symbol an object implements to choose how it is displayed (shared with Deno Jupyter). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** An object that knows how to display itself. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** Formats a value for text output like Deno's `console.log` does (strings stay raw). */
export function inspectValue(value: unknown): string {
  if (typeof value === "string") return value;
  return Deno.inspect(value, { colors: false, depth: 4, strAbbreviateSize: 10_000 });
}

/**
 * Returns the MIME bundle that displays `value`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toMimeBundle } from "./mime.ts";
 * assert.equal(toMimeBundle({ a: 1 })["text/plain"], "{ a: 1 }");
 * ```
 */
export function toMimeBundle(value: unknown): MimeBundle {
  if (hasDisplayMethod(value)) {
    const bundle = value[JUPYTER_DISPLAY]();
    if (bundle !== null && typeof bundle === "object") {
      return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": inspectValue(value) };
    }
  }
  return { "text/plain": inspectValue(value) };
}

function hasDisplayMethod(value: unknown): value is Displayable {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as Partial<Displayable>)[JUPYTER_DISPLAY] === "function";
}
