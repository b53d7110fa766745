/**
 * Row helpers the store's modules share: transactions, exercise attempts and widget values as
 * SQLite rows (`store.ts`, `store_transfer.ts`, `scratch_store.ts`).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { ExportedAttempt } from "../../notebook/grader/gradebook.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";

/** One graded attempt at an exercise (the export format's attempt, with its exercise id). */
export interface ExerciseAttempt extends ExportedAttempt {
  exerciseId: string;
}

/** An `exercise_attempts` row as the queries select it. */
export interface AttemptRow {
  exercise_id: string;
  source: string;
  score: number;
  details_json: string;
  created_at: number;
}

/** Runs `body` in one immediate transaction: all of it is written, or nothing. */
export function inTransaction<T>(db: DatabaseSync, body: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = body();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** Rebuilds an attempt from its row. */
export function attemptFromRow(row: AttemptRow): ExerciseAttempt {
  const details = JSON.parse(row.details_json) as Omit<
    ExportedAttempt,
    "createdAt" | "source" | "score"
  >;
  return {
    exerciseId: row.exercise_id,
    createdAt: row.created_at,
    source: row.source,
    status: details.status,
    score: row.score,
    maxScore: details.maxScore,
    checks: details.checks,
    message: details.message,
  };
}

/** Inserts one attempt (the caller holds the transaction). */
export function insertAttempt(db: DatabaseSync, lesson: string, attempt: ExerciseAttempt): void {
  const { status, maxScore, checks, message } = attempt;
  db.prepare(
    `INSERT INTO exercise_attempts (lesson, exercise_id, source, passed, score, details_json,
     created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    lesson,
    attempt.exerciseId,
    attempt.source,
    status === "graded" && attempt.score >= maxScore ? 1 : 0,
    attempt.score,
    JSON.stringify({ status, maxScore, checks, message }),
    attempt.createdAt,
  );
}

/** Saves one widget's value, replacing the previous one. */
export function upsertWidget(
  db: DatabaseSync,
  lesson: string,
  cellId: string,
  key: string,
  value: WidgetValue,
): void {
  db.prepare(
    `INSERT INTO widget_values (lesson, cell_id, key, value_json, updated_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (lesson, cell_id, key)
     DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ).run(lesson, cellId, key, JSON.stringify(value), Date.now());
}
