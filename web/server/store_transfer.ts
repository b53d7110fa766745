/**
 * The progress file's side of the store (`store.ts`): everything a learner did, written out in
 * the export format (`notebook/grader/gradebook.ts`), and such a file merged back in.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type {
  ExportedExercise,
  ExportedLesson,
  ProgressExport,
} from "../../notebook/grader/gradebook.ts";
import { isScratchId } from "../../notebook/course/scratch_cells.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import { attemptFromRow, type AttemptRow, insertAttempt, upsertWidget } from "./store_rows.ts";
import { readAllScratch, writeScratch } from "./scratch_store.ts";

/** What {@link importProgress} added or replaced. */
export interface ImportCounts {
  lessons: number;
  sources: number;
  cellsDone: number;
  attempts: number;
  /** Widget values set from the file. */
  widgets: number;
  /** Scratch cells set from the file. */
  scratch: number;
}

/**
 * Everything a learner did, by lesson, in the export format (lessons with no progress left
 * out); `done` is the store's cells that ever ran without error.
 */
export function exportLessons(
  db: DatabaseSync,
  done: Map<string, Set<string>>,
): Record<string, ExportedLesson> {
  const lessons: Record<string, ExportedLesson> = {};
  const lesson = (slug: string) => lessons[slug] ??= { sources: {}, cellsDone: [], exercises: {} };
  const exercise = (slug: string, id: string): ExportedExercise =>
    lesson(slug).exercises[id] ??= { hintsUnlocked: 0, solutionRevealedAt: null, attempts: [] };
  const sources = db.prepare(
    "SELECT lesson, cell_id, source FROM cell_sources ORDER BY lesson, cell_id",
  ).all() as { lesson: string; cell_id: string; source: string }[];
  for (const row of sources) lesson(row.lesson).sources[row.cell_id] = row.source;
  // NOTE: scratch cells are the learner's own: they never count as the lesson's cells run.
  for (const [slug, cells] of done) {
    lesson(slug).cellsDone.push(...[...cells].filter((id) => !isScratchId(id)).sort());
  }
  const unlocks = db.prepare(
    "SELECT lesson, exercise_id, hints_unlocked, solution_revealed_at FROM exercise_progress",
  ).all() as {
    lesson: string;
    exercise_id: string;
    hints_unlocked: number;
    solution_revealed_at: number | null;
  }[];
  for (const row of unlocks) {
    const entry = exercise(row.lesson, row.exercise_id);
    entry.hintsUnlocked = row.hints_unlocked;
    entry.solutionRevealedAt = row.solution_revealed_at;
  }
  const attempts = db.prepare(
    `SELECT lesson, exercise_id, source, score, details_json, created_at FROM exercise_attempts
     ORDER BY created_at, id`,
  ).all() as unknown as (AttemptRow & { lesson: string })[];
  for (const row of attempts) {
    const { exerciseId: _, ...attempt } = attemptFromRow(row);
    exercise(row.lesson, row.exercise_id).attempts.push(attempt);
  }
  const widgets = db.prepare(
    "SELECT lesson, cell_id, key, value_json FROM widget_values ORDER BY lesson, cell_id, key",
  ).all() as { lesson: string; cell_id: string; key: string; value_json: string }[];
  for (const row of widgets) {
    const cells = lesson(row.lesson).widgets ??= {};
    (cells[row.cell_id] ??= {})[row.key] = JSON.parse(row.value_json) as WidgetValue;
  }
  for (const [slug, cells] of readAllScratch(db)) lesson(slug).scratch = cells;
  return lessons;
}

/**
 * Merges an exported file into the database (the caller holds the transaction: all or nothing):
 * its edited sources, widget values and scratch cells (of each lesson that has them in the file)
 * replace the local ones, cells it ran count as run where this
 * machine has no run, attempts are added unless already here (same time and code), and hints
 * and revealed solutions keep the furthest of both.
 */
export function importProgress(db: DatabaseSync, file: ProgressExport): ImportCounts {
  const counts: ImportCounts = {
    lessons: 0,
    sources: 0,
    cellsDone: 0,
    attempts: 0,
    widgets: 0,
    scratch: 0,
  };
  const finishedAt = Date.parse(file.exportedAt);
  const addRun = db.prepare(
    `INSERT INTO cell_runs (lesson, cell_id, outputs_json, execution_count, status, elapsed_ms,
     finished_at) VALUES (?, ?, '[]', NULL, 'ok', 0, ?) ON CONFLICT (lesson, cell_id) DO NOTHING`,
  );
  const hasAttempt = db.prepare(
    `SELECT 1 FROM exercise_attempts WHERE lesson = ? AND exercise_id = ? AND created_at = ?
     AND source = ?`,
  );
  const unlock = db.prepare(
    `INSERT INTO exercise_progress (lesson, exercise_id, hints_unlocked, solution_revealed_at)
     VALUES (?, ?, ?, ?) ON CONFLICT (lesson, exercise_id) DO UPDATE
     SET hints_unlocked = MAX(hints_unlocked, excluded.hints_unlocked),
     solution_revealed_at = CASE
       WHEN solution_revealed_at IS NULL THEN excluded.solution_revealed_at
       WHEN excluded.solution_revealed_at IS NULL THEN solution_revealed_at
       ELSE MIN(solution_revealed_at, excluded.solution_revealed_at) END`,
  );
  for (const [slug, lesson] of Object.entries(file.lessons)) {
    counts.lessons++;
    const upsert = db.prepare(
      `INSERT INTO cell_sources (lesson, cell_id, source, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (lesson, cell_id) DO UPDATE SET source = excluded.source,
       updated_at = excluded.updated_at`,
    );
    for (const [cellId, source] of Object.entries(lesson.sources)) {
      upsert.run(slug, cellId, source, finishedAt);
      counts.sources++;
    }
    for (const cellId of lesson.cellsDone) {
      counts.cellsDone += Number(addRun.run(slug, cellId, finishedAt).changes);
    }
    if (lesson.scratch !== undefined) {
      // Before the widgets: replacing scratch cells drops the widget values of those it removes.
      writeScratch(db, slug, lesson.scratch);
      counts.scratch += lesson.scratch.length;
    }
    for (const [cellId, values] of Object.entries(lesson.widgets ?? {})) {
      for (const [key, value] of Object.entries(values)) {
        upsertWidget(db, slug, cellId, key, value);
        counts.widgets++;
      }
    }
    for (const [exerciseId, exercise] of Object.entries(lesson.exercises)) {
      unlock.run(slug, exerciseId, exercise.hintsUnlocked, exercise.solutionRevealedAt);
      for (const attempt of exercise.attempts) {
        if (hasAttempt.get(slug, exerciseId, attempt.createdAt, attempt.source)) continue;
        insertAttempt(db, slug, { ...attempt, exerciseId });
        counts.attempts++;
      }
    }
  }
  return counts;
}
