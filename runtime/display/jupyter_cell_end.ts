/**
 * The end of a cell in an exported notebook run by Deno's own Jupyter kernel
 * (`import { endCell } from "gradbook/jupyter"`).
 *
 * Deno's kernel (2.9) reports a cell idle while some of its outputs are still on their way: the
 * last expression's `execute_result` is sent after the cell's code returns, console lines pass
 * through a separate task, and a display is queued, not sent, when `Deno.jupyter.display`
 * returns. Jupyter clients stop listening to a cell at idle, so stock `nbclient` (`jupyter
 * execute`, `nbconvert --execute`) drops those outputs, and a live Run All shows them under the
 * next cell, whose request the kernel then tags them with.
 *
 * Every exported code cell therefore ends in `await endCell(value)` (or `await endCell()`): the
 * last expression's value goes out as an awaited display instead of an `execute_result`, pending
 * display updates are sent, every display is awaited, and a pause (150 ms, longer after a cell
 * that sent megabytes of charts) lets the kernel's output queue drain before the cell returns.
 *
 * @module
 */
import { flushDisplays, jupyterDisplaysSent, takeJupyterChars } from "./sink.ts";

/** How long a cell waits at its end for output still in the kernel's queue (ms), at least. */
export const SETTLE_MS = 150;
/**
 * More waiting per million characters of display data the cell sent (a cell that updates a
 * chart all through a long training loop queues megabytes of SVG), up to {@link MAX_SETTLE_MS}.
 */
export const SETTLE_MS_PER_MEGACHAR = 250;
/** The longest a cell waits at its end (ms). */
export const MAX_SETTLE_MS = 10_000;

interface DenoJupyterDisplay {
  display(value: unknown): Promise<void>;
}

/**
 * Shows `value` (when given and not `undefined`), sends every pending output and waits until
 * the kernel has it; outside Deno's Jupyter kernel it only flushes pending display updates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { endCell } from "./jupyter_cell_end.ts";
 * // Not inside `deno jupyter`: nothing to wait for, and nothing is shown.
 * assert.equal(await endCell(), undefined);
 * ```
 */
export async function endCell(...value: [unknown?]): Promise<void> {
  let jupyter: DenoJupyterDisplay | undefined;
  try {
    jupyter = (Deno as unknown as { jupyter?: DenoJupyterDisplay }).jupyter;
  } catch {
    jupyter = undefined;
  }
  flushDisplays();
  if (jupyter === undefined) return;
  // The value is shown the way Deno shows an execute_result (same formatter), but awaited.
  if (value.length > 0 && value[0] !== undefined) await jupyter.display(value[0]);
  await jupyterDisplaysSent();
  const chars = takeJupyterChars();
  const settle = Math.min(MAX_SETTLE_MS, SETTLE_MS + (chars / 1e6) * SETTLE_MS_PER_MEGACHAR);
  await new Promise((resolve) => setTimeout(resolve, settle));
}
