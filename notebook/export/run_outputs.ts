/**
 * Runs a lesson headless in gradbook's own kernel (like `runLessonHeadless`) and keeps every
 * output of every cell: streams, displays (with in-place updates applied), results and errors,
 * for the static site export.
 *
 * @module
 */
import type { CodeCell, Lesson } from "../course/types.ts";
import { type KernelOptions, KernelProcess } from "../kernel/kernel_process.ts";
import type { ExecuteStatus } from "../kernel/protocol.ts";
import type { MimeBundle } from "../../runtime/vocabulary.ts";

/** One output of a cell, in the order it appeared. */
export type CellOutput =
  | { kind: "stream"; name: "stdout" | "stderr"; text: string }
  | { kind: "display"; displayId?: string; data: MimeBundle }
  | { kind: "result"; data: MimeBundle }
  | { kind: "error"; name: string; message: string; stack: string };

/** How one cell went, with its outputs. */
export interface CellRecord {
  cellId: string;
  status: ExecuteStatus;
  elapsedMs: number;
  outputs: CellOutput[];
  /** Why the cell did not finish (interrupted, timeout, died), when the kernel said. */
  message?: string;
}

/** The outputs of a lesson run; `failure` names `file:line` of the first failing cell. */
export interface LessonOutputs {
  file: string;
  ok: boolean;
  /** By cell id; cells after a failure are absent (not run). */
  cells: Map<string, CellRecord>;
  failure?: string;
}

/**
 * Runs every runnable code cell of `lesson` in a fresh kernel, stopping at the first failure,
 * and returns their outputs.
 */
export async function runLessonOutputs(
  lesson: Lesson,
  options: { kernel?: KernelOptions; log?: (line: string) => void } = {},
): Promise<LessonOutputs> {
  const log = options.log ?? (() => {});
  const cells = lesson.blocks.filter((b): b is CodeCell => b.kind === "code" && b.runnable);
  const result: LessonOutputs = { file: lesson.file, ok: true, cells: new Map() };
  const kernel = new KernelProcess(options.kernel);
  try {
    await kernel.start();
    for (const cell of cells) {
      const outputs: CellOutput[] = [];
      const reply = await kernel.execute(cell.id, cell.source, (event) => {
        if (event.type === "stream") {
          const last = outputs.at(-1);
          if (last?.kind === "stream" && last.name === event.name) last.text += event.text;
          else outputs.push({ kind: "stream", name: event.name, text: event.text });
        } else if (event.type === "display") {
          const earlier = event.displayId === undefined || !event.update
            ? -1
            : outputs.findIndex((o) => o.kind === "display" && o.displayId === event.displayId);
          const output: CellOutput = {
            kind: "display",
            displayId: event.displayId,
            data: event.data,
          };
          if (earlier >= 0) outputs[earlier] = output;
          else outputs.push(output);
        } else if (event.type === "result") {
          outputs.push({ kind: "result", data: event.data });
        } else if (event.type === "error") {
          outputs.push({
            kind: "error",
            name: event.name,
            message: event.message,
            stack: event.stack,
          });
        }
      });
      result.cells.set(cell.id, {
        cellId: cell.id,
        status: reply.status,
        elapsedMs: reply.elapsedMs,
        outputs,
        ...(reply.message ? { message: reply.message } : {}),
      });
      log(`  ${reply.status.padEnd(5)} ${lesson.file}:${cell.line} ${reply.elapsedMs} ms`);
      if (reply.status !== "ok") {
        result.ok = false;
        const error = outputs.find((o) => o.kind === "error");
        const what = error?.kind === "error"
          ? `${error.name}: ${error.message}`
          : `${reply.status}${reply.message ? `: ${reply.message}` : ""}`;
        result.failure = `${lesson.file}:${cell.line}: ${what}`;
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  return result;
}
