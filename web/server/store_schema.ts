/**
 * The notebook database's schema, as append-only migrations (`PRAGMA user_version` counts how
 * many ran), for `store.ts`.
 *
 * @module
 */

/** Schema migrations; entry i moves the database from version i to i + 1. Append only. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE cell_sources (
     lesson TEXT NOT NULL,
     cell_id TEXT NOT NULL,
     source TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (lesson, cell_id)
   );
   CREATE TABLE cell_runs (
     lesson TEXT NOT NULL,
     cell_id TEXT NOT NULL,
     outputs_json TEXT NOT NULL,
     execution_count INTEGER,
     status TEXT NOT NULL,
     elapsed_ms REAL NOT NULL,
     finished_at INTEGER NOT NULL,
     PRIMARY KEY (lesson, cell_id)
   );
   CREATE TABLE exercise_attempts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     lesson TEXT NOT NULL,
     exercise_id TEXT NOT NULL,
     source TEXT NOT NULL,
     passed INTEGER NOT NULL,
     score REAL NOT NULL,
     details_json TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX exercise_attempts_by_exercise ON exercise_attempts (lesson, exercise_id);`,
  `CREATE TABLE exercise_progress (
     lesson TEXT NOT NULL,
     exercise_id TEXT NOT NULL,
     hints_unlocked INTEGER NOT NULL DEFAULT 0,
     solution_revealed_at INTEGER,
     PRIMARY KEY (lesson, exercise_id)
   );`,
  `CREATE TABLE widget_values (
     lesson TEXT NOT NULL,
     cell_id TEXT NOT NULL,
     key TEXT NOT NULL,
     value_json TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (lesson, cell_id, key)
   );`,
  `ALTER TABLE cell_runs ADD COLUMN epoch TEXT;`,
  // Progress counts a cell that ever ran without error: experimenting never lowers it.
  `ALTER TABLE cell_runs ADD COLUMN ever_ok INTEGER NOT NULL DEFAULT 0;
   UPDATE cell_runs SET ever_ok = 1 WHERE status = 'ok';`,
  // A learner's own cells between the lesson's (`notebook/course/scratch_cells.ts`), in order.
  `CREATE TABLE scratch_cells (
     lesson TEXT NOT NULL,
     cell_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     source TEXT NOT NULL,
     anchor TEXT,
     place TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (lesson, cell_id)
   );`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
