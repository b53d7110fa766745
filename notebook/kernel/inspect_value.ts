/**
 * One-line summaries of live values for the editor's hover (the kernel's `inspect` request, like
 * Jupyter's Shift+Tab): a tensor's shape and dtype, a module's parameter count, an array's length,
 * a short printout of anything else.
 *
 * @module
 */
import { nn, Tensor } from "gradbook";

/** Longest summary returned, in characters. */
export const MAX_SUMMARY_CHARS = 200;

/**
 * Summarises a value in one short line.
 *
 * @example
 * ```ts
 * import { zeros } from "gradbook";
 * import { summarizeValue } from "./inspect_value.ts";
 * console.log(summarizeValue(zeros([64, 784]))); // Tensor [64, 784] float32
 * ```
 */
export function summarizeValue(value: unknown): string {
  if (value instanceof Tensor) {
    const grad = value.requiresGrad ? ", requiresGrad" : "";
    return `${value.constructor.name} [${value.shape.join(", ")}] ${value.dtype}${grad}`;
  }
  if (value instanceof nn.Module) {
    let count = 0;
    for (const parameter of value.parameters()) count += parameter.numel();
    return `${value.constructor.name} (${count.toLocaleString("en-US")} parameters)`;
  }
  if (Array.isArray(value)) {
    const first = value.length > 0 ? `, first: ${shorten(inspect(value[0]), 80)}` : "";
    return shorten(`Array(${value.length})${first}`, MAX_SUMMARY_CHARS);
  }
  if (typeof value === "function") {
    const kind = /^class[\s{]/.test(Function.prototype.toString.call(value)) ? "class" : "function";
    return `${kind} ${value.name || "(anonymous)"}`;
  }
  return shorten(inspect(value), MAX_SUMMARY_CHARS);
}

function inspect(value: unknown): string {
  if (value instanceof Tensor) return summarizeValue(value);
  return Deno.inspect(value, { colors: false, depth: 1, compact: true, breakLength: Infinity })
    .replace(/\s+/g, " ");
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
