/**
 * Scratch cells: a learner's own code cells between a lesson's cells (JupyterLab's "insert a
 * cell"). They are saved per learner, never graded, and never written into the lesson file.
 *
 * A scratch cell sits next to a lesson cell: `place: "after"` right below it, `"before"` right
 * above it (below the prose that leads into it); `anchor: null` (or an anchor the lesson no
 * longer has) puts it at the end of the notebook. Cells sharing an anchor and a place keep their
 * order in the list. This file holds the type, the validation of what a page or a progress file
 * sends, and the page layout (insert, move, remove), which the browser and the server share.
 *
 * @module
 */

/** One scratch cell of a lesson. */
export interface ScratchCell {
  /** `scratch-` and 1 to 40 letters, digits, `_` or `-`; never a lesson cell's id. */
  id: string;
  source: string;
  /** The lesson cell it sits next to (null: the end of the notebook). */
  anchor: string | null;
  place: "before" | "after";
}

/** Where a scratch cell sits, without its code. */
export type ScratchPlacement = Omit<ScratchCell, "source">;

/** Limits on a lesson's scratch cells (a page or file over them is refused, not truncated). */
export const SCRATCH_LIMITS = {
  cellsPerLesson: 200,
  /** One scratch cell's source, in characters. */
  sourceChars: 64 * 1024,
  /** All scratch sources of one lesson together, in characters. */
  lessonChars: 1024 * 1024,
} as const;

const SCRATCH_ID = /^scratch-[A-Za-z0-9_-]{1,40}$/;
const ANCHOR_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Whether `id` has the form of a scratch cell id.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { isScratchId } from "./scratch_cells.ts";
 * assertEquals(isScratchId("scratch-k2x9"), true);
 * assertEquals(isScratchId("c3"), false);
 * ```
 */
export function isScratchId(id: string): boolean {
  return SCRATCH_ID.test(id);
}

/** A fresh scratch cell id (random, so two tabs never pick the same one). */
export function newScratchId(): string {
  return `scratch-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/**
 * Checks the shape of a list of scratch cells (from a page or a progress file): an array of at
 * most {@link SCRATCH_LIMITS.cellsPerLesson} cells with exactly the keys of {@link ScratchCell},
 * unique scratch ids, sources within the limits. Returns clean copies.
 *
 * @example
 * ```ts
 * import { deepStrictEqual, throws } from "node:assert/strict";
 * import { readScratchCells } from "./scratch_cells.ts";
 * const cells = readScratchCells([{ id: "scratch-a", source: "1", anchor: "c1", place: "after" }]);
 * deepStrictEqual(cells.length, 1);
 * throws(() => readScratchCells([{ id: "c1", source: "", anchor: null, place: "after" }]));
 * ```
 * @throws {TypeError} naming the first problem.
 */
export function readScratchCells(value: unknown): ScratchCell[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`scratch cells must be an array, got ${show(value)}`);
  }
  if (value.length > SCRATCH_LIMITS.cellsPerLesson) {
    throw new RangeError(
      `${value.length} scratch cells is more than the limit of ${SCRATCH_LIMITS.cellsPerLesson} per lesson`,
    );
  }
  const seen = new Set<string>();
  let total = 0;
  return value.map((raw, index): ScratchCell => {
    const where = `scratch cell ${index + 1}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new TypeError(`${where} must be an object, got ${show(raw)}`);
    }
    const cell = raw as Record<string, unknown>;
    for (const key of Object.keys(cell)) {
      if (!["id", "source", "anchor", "place"].includes(key)) {
        throw new TypeError(`${where} has the unknown key ${show(key)}`);
      }
    }
    const { id, source, anchor, place } = cell;
    if (typeof id !== "string" || !SCRATCH_ID.test(id)) {
      throw new TypeError(`${where} has the id ${show(id)}, which is not a scratch cell id`);
    }
    if (seen.has(id)) throw new TypeError(`${where} repeats the id "${id}"`);
    seen.add(id);
    if (typeof source !== "string") throw new TypeError(`${where} has no source string`);
    if (source.length > SCRATCH_LIMITS.sourceChars) {
      throw new RangeError(
        `${where} is ${source.length} characters long, more than the limit of ${SCRATCH_LIMITS.sourceChars}`,
      );
    }
    total += source.length;
    if (total > SCRATCH_LIMITS.lessonChars) {
      throw new RangeError(
        `the scratch cells hold more than ${SCRATCH_LIMITS.lessonChars} characters together`,
      );
    }
    if (anchor !== null && (typeof anchor !== "string" || !ANCHOR_ID.test(anchor))) {
      throw new TypeError(`${where} has the anchor ${show(anchor)}, which is not a cell id`);
    }
    if (place !== "before" && place !== "after") {
      throw new TypeError(`${where} has the place ${show(place)} (expected "before" or "after")`);
    }
    return { id, source, anchor, place };
  });
}

/**
 * Fits checked scratch cells to a lesson: refuses an id a lesson cell has, and moves a cell
 * whose anchor the lesson no longer has to the end of the notebook.
 *
 * @throws {TypeError} when a scratch id is a lesson cell's id.
 */
export function fitScratchToLesson(
  cells: ScratchCell[],
  lessonIds: ReadonlySet<string>,
): ScratchCell[] {
  return cells.map((cell) => {
    if (lessonIds.has(cell.id)) {
      throw new TypeError(`the scratch cell id "${cell.id}" is a lesson cell's id`);
    }
    return cell.anchor === null || lessonIds.has(cell.anchor)
      ? cell
      : { ...cell, anchor: null, place: "after" };
  });
}

/** One entry of the page, top to bottom. */
export type PageItem =
  | { kind: "lesson"; id: string }
  | { kind: "prose"; index: number }
  | { kind: "scratch"; id: string };

/** The lesson's blocks as the layout sees them (prose has no id). */
export type LessonSlot = { kind: "markdown" } | { kind: "code" | "exercise"; id: string };

/**
 * The page top to bottom: the lesson's blocks with each scratch cell beside its anchor.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { layoutPage } from "./scratch_cells.ts";
 * const page = layoutPage(
 *   [{ kind: "markdown" }, { kind: "code", id: "c1" }],
 *   [{ id: "scratch-a", anchor: "c1", place: "before" }],
 * );
 * assertEquals(page.map((item) => item.kind), ["prose", "scratch", "lesson"]);
 * ```
 */
export function layoutPage(
  blocks: readonly LessonSlot[],
  scratch: readonly ScratchPlacement[],
): PageItem[] {
  const ids = new Set(blocks.flatMap((b) => b.kind === "markdown" ? [] : [b.id]));
  const group = (anchor: string | null, place: string): PageItem[] =>
    scratch.filter((s) => s.anchor === anchor && s.place === place)
      .map((s) => ({ kind: "scratch", id: s.id }));
  const items: PageItem[] = [];
  blocks.forEach((block, index) => {
    if (block.kind === "markdown") {
      items.push({ kind: "prose", index });
      return;
    }
    items.push(...group(block.id, "before"), { kind: "lesson", id: block.id });
    items.push(...group(block.id, "after"));
  });
  for (const s of scratch) {
    if (s.anchor === null || !ids.has(s.anchor)) items.push({ kind: "scratch", id: s.id });
  }
  return items;
}

/**
 * The placements that give the page `items`, in page order: a scratch cell right below a lesson
 * cell (other scratch cells between them aside) goes after it; one below prose or at the top goes
 * before the next lesson cell; one with no lesson cell below goes to the end.
 */
export function placementsOf(items: readonly PageItem[]): ScratchPlacement[] {
  const placements: ScratchPlacement[] = [];
  let previous: PageItem | null = null;
  items.forEach((item, index) => {
    if (item.kind !== "scratch") {
      previous = item;
      return;
    }
    const prev = previous as PageItem | null;
    if (prev?.kind === "lesson") {
      placements.push({ id: item.id, anchor: prev.id, place: "after" });
      return;
    }
    const next = items.slice(index + 1).find((i) => i.kind === "lesson");
    placements.push(
      next?.kind === "lesson"
        ? { id: item.id, anchor: next.id, place: "before" }
        : { id: item.id, anchor: null, place: "after" },
    );
  });
  return placements;
}

/**
 * Inserts scratch cell `id` right above or below the cell `relativeTo` (lesson or scratch; null:
 * at the end of the page). Returns the new placements.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { insertScratch } from "./scratch_cells.ts";
 * const blocks = [{ kind: "code", id: "c1" }, { kind: "markdown" }] as const;
 * assertEquals(insertScratch(blocks, [], "scratch-a", "c1", "below"), [
 *   { id: "scratch-a", anchor: "c1", place: "after" },
 * ]);
 * ```
 */
export function insertScratch(
  blocks: readonly LessonSlot[],
  scratch: readonly ScratchPlacement[],
  id: string,
  relativeTo: string | null,
  side: "above" | "below",
): ScratchPlacement[] {
  const items = layoutPage(blocks, scratch);
  const at = items.findIndex((i) => i.kind !== "prose" && i.id === relativeTo);
  const index = at < 0 ? items.length : side === "above" ? at : at + 1;
  items.splice(index, 0, { kind: "scratch", id });
  return placementsOf(items);
}

/**
 * Moves scratch cell `id` one place up (-1) or down (+1) the page, past a cell or a block of
 * prose. Returns the new placements (unchanged at either end).
 */
export function moveScratch(
  blocks: readonly LessonSlot[],
  scratch: readonly ScratchPlacement[],
  id: string,
  delta: 1 | -1,
): ScratchPlacement[] {
  const items = layoutPage(blocks, scratch);
  const at = items.findIndex((i) => i.kind === "scratch" && i.id === id);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= items.length) return [...scratch];
  [items[at], items[to]] = [items[to]!, items[at]!];
  return placementsOf(items);
}
