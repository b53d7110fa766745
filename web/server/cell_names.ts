/**
 * What each runnable cell of a lesson declares and reads, for the page's stale marking before
 * any cell has run (afterwards, every run's "started" message carries the names of the code
 * that ran).
 *
 * @module
 */
import { parseCell } from "../../notebook/cell/cell_model.ts";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { CellNames } from "../messages.ts";
import type { ScratchCell } from "../../notebook/course/scratch_cells.ts";

/**
 * Analyses the current source (the saved edit, else the lesson's) of every runnable cell, and
 * of the learner's scratch cells.
 *
 * @example
 * ```ts ignore
 * const names = lessonCellNames(lesson, store.lessonState(slug).sources);
 * ```
 */
export function lessonCellNames(
  lesson: PublicLesson,
  sources: Record<string, string>,
  scratch: readonly ScratchCell[] = [],
): Record<string, CellNames> {
  const names: Record<string, CellNames> = {};
  for (const block of lesson.blocks) {
    if (block.kind === "markdown" || (block.kind === "code" && !block.runnable)) continue;
    const source = sources[block.id] ?? (block.kind === "code" ? block.source : block.starter);
    const { declares, reads } = parseCell(source);
    names[block.id] = { declares, reads };
  }
  for (const cell of scratch) {
    const { declares, reads } = parseCell(cell.source);
    names[cell.id] = { declares, reads };
  }
  return names;
}
