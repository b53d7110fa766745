/**
 * A learner's scratch cells (`notebook/course/scratch_cells.ts`) in the notebook database: one
 * ordered list per lesson, replaced as a whole. A scratch cell that leaves the list takes its
 * saved run and widget values with it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { ScratchCell } from "../../notebook/course/scratch_cells.ts";

/** A lesson's scratch cells, in order. */
export function readScratch(db: DatabaseSync, lesson: string): ScratchCell[] {
  const rows = db.prepare(
    `SELECT cell_id, source, anchor, place FROM scratch_cells WHERE lesson = ?
     ORDER BY position`,
  ).all(lesson) as { cell_id: string; source: string; anchor: string | null; place: string }[];
  return rows.map((row) => ({
    id: row.cell_id,
    source: row.source,
    anchor: row.anchor,
    place: row.place === "before" ? "before" : "after",
  }));
}

/** Every lesson's scratch cells, by lesson (lessons without any left out). */
export function readAllScratch(db: DatabaseSync): Map<string, ScratchCell[]> {
  const lessons = db.prepare("SELECT DISTINCT lesson FROM scratch_cells ORDER BY lesson").all() as {
    lesson: string;
  }[];
  return new Map(lessons.map(({ lesson }) => [lesson, readScratch(db, lesson)]));
}

/**
 * Replaces a lesson's scratch cells with `cells` (checked by the caller, who also holds the
 * transaction); the runs and widget values of cells no longer in the list are deleted.
 */
export function writeScratch(db: DatabaseSync, lesson: string, cells: ScratchCell[]): void {
  const kept = new Set(cells.map((c) => c.id));
  const gone = readScratch(db, lesson).filter((c) => !kept.has(c.id));
  for (const cell of gone) {
    db.prepare("DELETE FROM cell_runs WHERE lesson = ? AND cell_id = ?").run(lesson, cell.id);
    db.prepare("DELETE FROM widget_values WHERE lesson = ? AND cell_id = ?").run(lesson, cell.id);
  }
  db.prepare("DELETE FROM scratch_cells WHERE lesson = ?").run(lesson);
  const insert = db.prepare(
    `INSERT INTO scratch_cells (lesson, cell_id, position, source, anchor, place, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  cells.forEach((cell, position) =>
    insert.run(lesson, cell.id, position, cell.source, cell.anchor, cell.place, now)
  );
}
