/**
 * `display(x)`: shows a value now and returns a handle to replace it later, for charts that
 * update live during training.
 *
 * @module
 */
import { toMimeBundle } from "./mime.ts";
import { emitDisplay, registerFlusher } from "./sink.ts";

/** Updates a displayed output in place. */
export interface DisplayHandle {
  /** Id of the output this handle replaces. */
  readonly displayId: string;
  /**
   * Replaces the output with `value`. Calls are coalesced to at most one every
   * {@link DISPLAY_UPDATE_INTERVAL_MS} ms, so a tight training loop is not slowed down; the
   * last value is always shown when the cell ends.
   */
  update(value: unknown): void;
}

/** Minimum time between two updates of one display that are actually sent. */
export const DISPLAY_UPDATE_INTERVAL_MS = 100;

let nextDisplay = 0;

/**
 * Displays `value` (anything with `[Symbol.for("Jupyter.display")]()`, a chart, a table, or a
 * plain value shown as text) and returns a handle to update it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { display } from "./display.ts";
 * import { flushDisplays, setDisplaySink } from "./sink.ts";
 * const shown: string[] = [];
 * setDisplaySink((data, _id, update) => shown.push(`${update ? "update" : "show"} ${data["text/plain"]}`));
 * const h = display("epoch 0");
 * for (let epoch = 1; epoch <= 3; epoch++) h.update(`epoch ${epoch}`);
 * flushDisplays(); // the kernel does this when the cell ends
 * setDisplaySink(null);
 * // Updates within 100 ms of each other are coalesced: the last one is sent.
 * assert.deepEqual(shown, ["show epoch 0", "update epoch 3"]);
 * ```
 */
export function display(value: unknown): DisplayHandle {
  const displayId = `d${Date.now().toString(36)}-${(nextDisplay++).toString(36)}`;
  emitDisplay(toMimeBundle(value), displayId, false);
  let lastSent = performance.now();
  let pending: { value: unknown } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unregister: (() => void) | null = null;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    unregister?.();
    unregister = null;
    if (pending === null) return;
    const next = pending.value;
    pending = null;
    lastSent = performance.now();
    emitDisplay(toMimeBundle(next), displayId, true);
  };
  return {
    displayId,
    update(value: unknown) {
      pending = { value };
      const wait = lastSent + DISPLAY_UPDATE_INTERVAL_MS - performance.now();
      if (wait <= 0) return flush();
      unregister ??= registerFlusher(flush);
      // NOTE: in a synchronous loop this timer cannot fire; the time check above sends the
      // update instead, and the kernel flushes what is left when the cell ends.
      timer ??= setTimeout(flush, wait);
    },
  };
}
