/**
 * A lesson's cells in execution order, as the language service sees them. Kept apart from
 * `language_service.ts` so the server can build a request without loading TypeScript (which
 * runs in the language worker, `language_worker.ts`).
 *
 * @module
 */
import type { CodeCell, Lesson, PublicLesson } from "../course/types.ts";
import type { ProgramCell } from "./virtual_program.ts";

/**
 * A lesson's cells in execution order, as the notebook runs them: runnable code cells and each
 * exercise's starter, with `sources` (cell id -> edited source) in place of the originals.
 */
export function lessonProgramCells(
  lesson: Lesson | PublicLesson,
  sources: Readonly<Record<string, string>> = {},
): ProgramCell[] {
  const cells: ProgramCell[] = [];
  for (const block of lesson.blocks) {
    if (block.kind === "markdown" || (block.kind === "code" && !(block as CodeCell).runnable)) {
      continue;
    }
    const original = block.kind === "code" ? block.source : block.starter;
    const edited = Object.hasOwn(sources, block.id) ? sources[block.id] : undefined;
    cells.push({ id: block.id, source: typeof edited === "string" ? edited : original });
  }
  return cells;
}
