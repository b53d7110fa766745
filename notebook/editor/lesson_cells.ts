/**
 * A lesson's cells in execution order, as the language service sees them. Kept apart from
 * `language_service.ts` so the server can build a request without loading TypeScript (which
 * runs in the language worker, `language_worker.ts`).
 *
 * @module
 */
import type { CodeCell, Lesson, PublicLesson } from "../course/types.ts";
import type { ProgramCell } from "./virtual_program.ts";
import { isScratchId, SCRATCH_LIMITS } from "../course/scratch_cells.ts";

/**
 * A lesson's cells in execution order, as the notebook runs them: runnable code cells and each
 * exercise's starter, with `sources` (cell id -> edited source) in place of the originals. With
 * `order` (the page's cell ids top to bottom), the learner's scratch cells in it (ids of
 * `isScratchId` form with a source in `sources`) go right after the lesson cell above them;
 * the lesson's own order always wins.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { lessonProgramCells } from "./lesson_cells.ts";
 * import type { PublicLesson } from "../course/types.ts";
 * const lesson: PublicLesson = {
 *   slug: "l",
 *   meta: { title: "L", summary: "", objectives: [], prerequisites: [], minutes: 1, order: 1 },
 *   blocks: [{ kind: "code", id: "c1", source: "let a = 1;", hidden: false, runnable: true, line: 1 }],
 * };
 * const cells = lessonProgramCells(lesson, { "scratch-x": "a + 1" }, ["c1", "scratch-x"]);
 * deepStrictEqual(cells.map((c) => c.id), ["c1", "scratch-x"]);
 * ```
 */
export function lessonProgramCells(
  lesson: Lesson | PublicLesson,
  sources: Readonly<Record<string, string>> = {},
  order: readonly string[] = [],
): ProgramCell[] {
  const followers = scratchFollowers(lesson, sources, order);
  const cells: ProgramCell[] = [];
  for (const block of lesson.blocks) {
    if (block.kind === "markdown" || (block.kind === "code" && !(block as CodeCell).runnable)) {
      continue;
    }
    const original = block.kind === "code" ? block.source : block.starter;
    const edited = Object.hasOwn(sources, block.id) ? sources[block.id] : undefined;
    cells.push({ id: block.id, source: typeof edited === "string" ? edited : original });
    cells.push(...(followers.get(block.id) ?? []));
  }
  return [...(followers.get(null) ?? []), ...cells];
}

/** The scratch cells of `order` grouped by the lesson cell right above them (null: the top). */
function scratchFollowers(
  lesson: Lesson | PublicLesson,
  sources: Readonly<Record<string, string>>,
  order: readonly string[],
): Map<string | null, ProgramCell[]> {
  const lessonIds = new Set(lesson.blocks.flatMap((b) => b.kind === "markdown" ? [] : [b.id]));
  const followers = new Map<string | null, ProgramCell[]>();
  const seen = new Set<string>();
  let above: string | null = null;
  for (const id of order.slice(0, 4 * SCRATCH_LIMITS.cellsPerLesson)) {
    if (lessonIds.has(id)) {
      above = id;
      continue;
    }
    const source = Object.hasOwn(sources, id) ? sources[id] : undefined;
    if (!isScratchId(id) || seen.has(id) || typeof source !== "string") continue;
    seen.add(id);
    let group = followers.get(above);
    if (group === undefined) followers.set(above, group = []);
    group.push({ id, source });
  }
  return followers;
}
