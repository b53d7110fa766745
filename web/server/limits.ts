/**
 * Limits on the notebook kernels the server runs and on what one cell may send: the values of
 * {@link KernelLimits} (enforced by `kernel_registry.ts`, the one owner of kernel lifetime) and
 * the output budget of a cell ({@link budgetEvents}).
 *
 * @module
 */
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";

/** Limits of the kernels (`KernelRegistry`). */
export interface KernelLimits {
  /** Most kernels alive at once (default 10); the one idle longest is stopped to make room. */
  maxKernels?: number;
  /**
   * The one idle policy (ms, default 60 minutes, the README's "1 hour"; 0: never): a kernel
   * that runs no cell for this long is stopped, open page or not, and a lesson with no page
   * open for this long drops its session.
   */
  idleTimeoutMs?: number;
  /** Most cells one lesson may have waiting (default 200). */
  maxQueued?: number;
}

/** The defaults of {@link KernelLimits}. */
export const DEFAULT_LIMITS: Required<KernelLimits> = {
  maxKernels: 10,
  idleTimeoutMs: 60 * 60_000,
  maxQueued: 200,
};

/** Most output one cell may send to its page, in characters of text and data (16 Mi). */
export const OUTPUT_BUDGET_CHARS = 16 * 1024 * 1024;

/**
 * The size of a value as sent (characters of strings and keys, 8 per number), counting no
 * further than `cap`.
 */
export function outputSize(value: unknown, cap = Infinity): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= cap) {
    const item = stack.pop();
    if (typeof item === "string") total += item.length + 2;
    else if (Array.isArray(item)) stack.push(...item);
    else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        total += key.length + 4;
        stack.push(child);
      }
    } else total += 8;
  }
  return total;
}

/**
 * Passes a cell's events on until its new outputs (streams, displays, results) pass `budget`
 * characters, then drops them with one notice on stderr. Display updates replace an output
 * rather than add one, so they count one at a time: one larger than half the budget is dropped.
 * Errors and the reply always pass.
 *
 * @example
 * ```ts
 * import { budgetEvents } from "./limits.ts";
 * const seen: string[] = [];
 * const onEvent = budgetEvents((e) => seen.push(e.type === "stream" ? e.text : e.type), 10);
 * onEvent({ type: "stream", id: "x", name: "stdout", text: "a".repeat(20) });
 * console.log(seen[0]?.startsWith("[This cell's outputs passed")); // true
 * ```
 */
export function budgetEvents(
  onEvent: (event: KernelEvent) => void,
  budget = OUTPUT_BUDGET_CHARS,
): (event: KernelEvent) => void {
  let used = 0;
  const warned = new Set<string>();
  const warn = (id: string, what: string) => {
    if (warned.has(what)) return;
    warned.add(what);
    onEvent({ type: "stream", id, name: "stderr", text: `[${what}; the rest were not shown]\n` });
  };
  const limit = budget >= 1048576 ? `${Math.round(budget / 1048576)} MiB` : `${budget} characters`;
  return (event) => {
    if (event.type === "display" && event.update === true) {
      if (outputSize(event.data, budget) > budget / 2) {
        return warn(event.id, `A display update was larger than half of ${limit}`);
      }
      return onEvent(event);
    }
    if (event.type !== "stream" && event.type !== "display" && event.type !== "result") {
      return onEvent(event);
    }
    if (used > budget) return;
    used += outputSize(event.type === "stream" ? event.text : event.data, budget);
    if (used > budget) return warn(event.id, `This cell's outputs passed ${limit}`);
    onEvent(event);
  };
}
