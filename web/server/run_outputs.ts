/**
 * A run's outputs as the page and the store keep them: kernel events folded into `CellOutput`s
 * (consecutive stream chunks merged, display updates replacing the display they name), and the
 * "started" message that tells pages what the running code declares and reads.
 *
 * @module
 */
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";
import type { MimeBundle } from "../../runtime/vocabulary.ts";
import type { CellOutput, RunStatus, ServerMessage } from "../messages.ts";
import { parseCell } from "../../notebook/cell/cell_model.ts";
import { enrichBundle } from "./render_output.ts";

/** Where finished runs go (the store, in the server). */
export type RunSink = (cellId: string, run: {
  outputs: CellOutput[];
  executionCount: number | null;
  status: RunStatus;
  elapsedMs: number;
  epoch: string;
}) => void;

/** A new kernel epoch id (random, so a restarted server never reuses one). */
export function newEpoch(): string {
  return crypto.randomUUID().slice(0, 13);
}

/** One run of a cell, queued or running, and the outputs it made so far. */
export interface Run {
  runId: string;
  cellId: string;
  code: string;
  outputs: CellOutput[];
  /** Queued by a widget change: a newer change replaces or interrupts it. */
  isReactive?: boolean;
}

/**
 * Appends an output, merging consecutive chunks of the same stream.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CellOutput } from "../messages.ts";
 * import { appendOutput } from "./run_outputs.ts";
 * const outputs: CellOutput[] = [];
 * appendOutput(outputs, { type: "stream", name: "stdout", text: "a" });
 * appendOutput(outputs, { type: "stream", name: "stdout", text: "b" });
 * assert.deepEqual(outputs, [{ type: "stream", name: "stdout", text: "ab" }]);
 * ```
 */
export function appendOutput(outputs: CellOutput[], output: CellOutput): void {
  const last = outputs[outputs.length - 1];
  if (output.type === "stream" && last?.type === "stream" && last.name === output.name) {
    last.text += output.text;
  } else {
    outputs.push(structuredClone(output));
  }
}

/** Replaces the data of outputs shown under `displayId`; returns whether any was found. */
export function updateDisplay(outputs: CellOutput[], displayId: string, data: MimeBundle): boolean {
  let found = false;
  for (const output of outputs) {
    if (output.type === "display" && output.displayId === displayId) {
      output.data = data;
      found = true;
    }
  }
  return found;
}

/**
 * The output a kernel event adds to its run, `{ update }` for a display update (already applied
 * to `outputs`), or null for events that are not outputs.
 */
export function outputOf(
  outputs: CellOutput[],
  event: KernelEvent,
): CellOutput | { update: { displayId: string; data: MimeBundle } } | null {
  switch (event.type) {
    case "stream":
      return { type: "stream", name: event.name, text: event.text };
    case "display": {
      const data = enrichBundle(event.data);
      if (event.update === true && event.displayId !== undefined) {
        updateDisplay(outputs, event.displayId, data);
        return { update: { displayId: event.displayId, data } };
      }
      return event.displayId === undefined
        ? { type: "display", data }
        : { type: "display", data, displayId: event.displayId };
    }
    case "result":
      return {
        type: "result",
        data: enrichBundle(event.data),
        executionCount: event.executionCount,
      };
    case "error": {
      const { name, message, stack, line, column } = event;
      const output: CellOutput = { type: "error", name, message, stack };
      if (line !== undefined) output.line = line;
      if (column !== undefined) output.column = column;
      return output;
    }
    default:
      return null;
  }
}

/** The "started" message of a run, with the code and the names it declares and reads. */
export function startedMessage(
  run: { runId: string; cellId: string; code: string },
): ServerMessage {
  const { declares, reads } = parseCell(run.code);
  return {
    type: "started",
    runId: run.runId,
    cellId: run.cellId,
    code: run.code,
    names: { declares, reads },
  };
}
