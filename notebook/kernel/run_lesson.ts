/**
 * Runs a lesson headless, like `jupyter nbconvert --execute`: every runnable code cell in order
 * in a fresh kernel, one line per cell with its time, stopping at the first error with the
 * lesson file and line. Used by `deno task check` (see `notebook/grader/check_main.ts`) and the lesson tests.
 *
 * @module
 */
import type { CodeCell, Lesson } from "../course/types.ts";
import { type KernelOptions, KernelProcess } from "./kernel_process.ts";
import type { ExecuteStatus, KernelEvent } from "./protocol.ts";

/** Options of {@link runLessonHeadless}. */
export interface RunLessonOptions {
  /** Limits of the kernel the lesson runs in. */
  kernel?: KernelOptions;
  /** Receives each output line (default `console.log`). */
  log?: (line: string) => void;
  /** Also print the cells' stdout/stderr (default false). */
  showOutput?: boolean;
}

/** How one cell went. */
export interface CellRun {
  cellId: string;
  /** 1-based line of the cell's opening fence in the lesson file. */
  line: number;
  status: ExecuteStatus;
  elapsedMs: number;
  /** Everything the cell printed to stdout. */
  stdout: string;
}

/** How a lesson went; `failure` names `file:line` of the first failing cell. */
export interface LessonRun {
  file: string;
  ok: boolean;
  cells: CellRun[];
  failure?: string;
}

/**
 * Runs every runnable code cell of `lesson` in a fresh kernel (exercise blocks are skipped).
 *
 * @example
 * ```ts ignore
 * const run = await runLessonHeadless(await parseLessonFile("lessons/00-tour.md"));
 * if (!run.ok) console.error(run.failure);
 * ```
 */
export async function runLessonHeadless(
  lesson: Lesson,
  options: RunLessonOptions = {},
): Promise<LessonRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cells = lesson.blocks.filter((b): b is CodeCell => b.kind === "code" && b.runnable);
  const result: LessonRun = { file: lesson.file, ok: true, cells: [] };
  log(`${lesson.file}: ${cells.length} cells`);
  const kernel = new KernelProcess(options.kernel);
  try {
    await kernel.start();
    for (const cell of cells) {
      let error: Extract<KernelEvent, { type: "error" }> | undefined;
      let stdout = "";
      const reply = await kernel.execute(cell.id, cell.source, (event) => {
        if (event.type === "error") error = event;
        if (event.type === "stream" && event.name === "stdout") stdout += event.text;
        if (options.showOutput && event.type === "stream") {
          for (const text of event.text.replace(/\n$/, "").split("\n")) log(`      | ${text}`);
        }
      });
      result.cells.push({
        cellId: cell.id,
        line: cell.line,
        status: reply.status,
        elapsedMs: reply.elapsedMs,
        stdout,
      });
      const where = `${lesson.file}:${cell.line}`;
      if (reply.status === "ok") {
        log(`  ok    ${where.padEnd(32)} ${String(reply.elapsedMs).padStart(6)} ms`);
        continue;
      }
      result.ok = false;
      // NOTE: line 1 of a cell is the line after its opening fence.
      const errorLine = error?.line;
      const at = errorLine === undefined
        ? where
        : `${lesson.file}:${cell.line + errorLine} (line ${errorLine} of cell ${cell.id})`;
      const what = error !== undefined
        ? `${error.name}: ${error.message}`
        : `${reply.status}${reply.message ? `: ${reply.message}` : ""}`;
      result.failure = `${at}: ${what}`;
      log(`  FAIL  ${where.padEnd(32)} ${String(reply.elapsedMs).padStart(6)} ms`);
      log(`  ${result.failure}`);
      if (error?.stack) log(error.stack.replace(/^/gm, "    "));
      break;
    }
  } finally {
    await kernel.shutdown();
  }
  return result;
}
