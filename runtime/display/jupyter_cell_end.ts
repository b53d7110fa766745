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
 * display updates are sent, every display is awaited, and a short pause lets the kernel's
 * output task drain the console lines before the cell returns.
 *
 * @module
 */
import { flushDisplays, jupyterDisplaysSent } from "./sink.ts";

/** How long the cell waits at its end for console lines still in the kernel's queue (ms). */
export const SETTLE_MS = 150;

interface DenoJupyterDisplay {
  display(value: unknown): Promise<void>;
}

/**
 * Shows `value` (when given and not `undefined`), sends every pending output and waits until
 * the kernel has it; outside Deno's Jupyter kernel it only flushes pending display updates.
 *
 * @example
 * ```ts
 * import { endCell } from "./jupyter_cell_end.ts";
 * // Not inside `deno jupyter`: nothing to wait for.
 * await endCell();
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
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
