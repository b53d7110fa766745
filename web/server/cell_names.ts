/**
 * What each runnable cell of a lesson declares and reads, for the page's stale marking before
 * any cell has run (afterwards, every run's "started" message carries the names of the code
 * that ran). Each source is parsed once: a lesson page asked TypeScript to parse every cell on
 * every load, most of the server's time for a lesson page (tens of ms idle, hundreds loaded).
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
    names[block.id] = namesOf(source);
  }
  for (const cell of scratch) names[cell.id] = namesOf(cell.source);
  return names;
}

/** Characters of source the cache keeps at most (the oldest entries go first). */
const CACHE_CHARS = 4 * 1024 * 1024;
const cache = new Map<string, CellNames>();
let cachedChars = 0;

/** The names of `source`, parsed once while it stays in the cache. */
function namesOf(source: string): CellNames {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const { declares, reads } = parseCell(source);
  const names: CellNames = { declares, reads };
  if (source.length <= CACHE_CHARS / 4) {
    cache.set(source, names);
    cachedChars += source.length;
    for (const [oldest] of cache) {
      if (cachedChars <= CACHE_CHARS) break;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
  }
  return names;
}
