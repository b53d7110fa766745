/**
 * Persistent notebook state in an embedded SQLite database (`node:sqlite`): edited cell sources,
 * the last run (outputs, count, status) of every cell, and exercise attempts. WAL mode, every
 * write in a transaction, schema versioned with `PRAGMA user_version`.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CellOutput, RunStatus, SavedLessonState, SavedRun } from "../messages.ts";

/** Schema migrations; entry i moves the database from version i to i + 1. Append only. */
const MIGRATIONS: string[] = [
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
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Stored outputs larger than this (JSON characters) are replaced by a notice. */
const MAX_OUTPUTS_JSON = 4 * 1024 * 1024;

/** One graded attempt at an exercise. */
export interface ExerciseAttempt {
  exerciseId: string;
  source: string;
  passed: boolean;
  score: number;
  details: unknown;
  createdAt: number;
}

/**
 * The notebook's database.
 *
 * @example
 * ```ts
 * import { Store } from "./store.ts";
 * const store = Store.open(await Deno.makeTempDir());
 * store.saveSources("intro", { c1: "1 + 1" });
 * console.log(store.lessonState("intro").sources.c1); // "1 + 1"
 * store.close();
 * ```
 */
export class Store {
  readonly #db: DatabaseSync;

  /** Opens (creating and migrating if needed) the database file at `path` (or ":memory:"). */
  constructor(readonly path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.#db.exec("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
    this.#migrate();
  }

  /** Opens `gradbook.sqlite` inside `dataDir`, creating the folder if it does not exist. */
  static open(dataDir: string): Store {
    mkdirSync(dataDir, { recursive: true });
    return new Store(join(dataDir, "gradbook.sqlite"));
  }

  /** The schema version of the open database. */
  get schemaVersion(): number {
    const row = this.#db.prepare("PRAGMA user_version").get() as { user_version: number };
    return row.user_version;
  }

  #migrate(): void {
    const current = this.schemaVersion;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `Cannot open ${this.path}: its schema version is ${current}, newer than this gradbook's ${SCHEMA_VERSION}`,
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      this.#transaction(() => {
        this.#db.exec(MIGRATIONS[version]!);
        this.#db.exec(`PRAGMA user_version = ${version + 1}`);
      });
    }
  }

  #transaction<T>(body: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Saves edited sources of a lesson's cells in one transaction; `null` deletes (resets) one. */
  saveSources(lesson: string, sources: Record<string, string | null>): void {
    const upsert = this.#db.prepare(
      `INSERT INTO cell_sources (lesson, cell_id, source, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (lesson, cell_id) DO UPDATE SET source = excluded.source,
       updated_at = excluded.updated_at`,
    );
    const remove = this.#db.prepare("DELETE FROM cell_sources WHERE lesson = ? AND cell_id = ?");
    const now = Date.now();
    this.#transaction(() => {
      for (const [cellId, source] of Object.entries(sources)) {
        if (source === null) remove.run(lesson, cellId);
        else upsert.run(lesson, cellId, source, now);
      }
    });
  }

  /** Saves the last run of a cell, replacing the previous one. */
  saveRun(lesson: string, cellId: string, run: SavedRun): void {
    let outputsJson = JSON.stringify(run.outputs);
    if (outputsJson.length > MAX_OUTPUTS_JSON) {
      const notice: CellOutput = {
        type: "notice",
        level: "warning",
        text: `Outputs were not saved: they take ${
          (outputsJson.length / 1048576).toFixed(1)
        } MiB, more than the 4 MiB limit`,
      };
      outputsJson = JSON.stringify([notice]);
    }
    this.#transaction(() => {
      this.#db.prepare(
        `INSERT INTO cell_runs (lesson, cell_id, outputs_json, execution_count, status, elapsed_ms,
         finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (lesson, cell_id) DO UPDATE SET outputs_json = excluded.outputs_json,
         execution_count = excluded.execution_count, status = excluded.status,
         elapsed_ms = excluded.elapsed_ms, finished_at = excluded.finished_at`,
      ).run(
        lesson,
        cellId,
        outputsJson,
        run.executionCount,
        run.status,
        run.elapsedMs,
        run.finishedAt,
      );
    });
  }

  /** Empties the saved outputs of some cells; their status (and so lesson progress) is kept. */
  clearOutputs(lesson: string, cellIds: string[]): void {
    const clear = this.#db.prepare(
      "UPDATE cell_runs SET outputs_json = '[]' WHERE lesson = ? AND cell_id = ?",
    );
    this.#transaction(() => {
      for (const cellId of cellIds) clear.run(lesson, cellId);
    });
  }

  /** Edited sources and last runs of one lesson. */
  lessonState(lesson: string): SavedLessonState {
    const sources: Record<string, string> = {};
    const sourceRows = this.#db.prepare(
      "SELECT cell_id, source FROM cell_sources WHERE lesson = ?",
    ).all(lesson) as { cell_id: string; source: string }[];
    for (const row of sourceRows) sources[row.cell_id] = row.source;
    const runs: Record<string, SavedRun> = {};
    const runRows = this.#db.prepare(
      `SELECT cell_id, outputs_json, execution_count, status, elapsed_ms, finished_at
       FROM cell_runs WHERE lesson = ?`,
    ).all(lesson) as {
      cell_id: string;
      outputs_json: string;
      execution_count: number | null;
      status: string;
      elapsed_ms: number;
      finished_at: number;
    }[];
    for (const row of runRows) {
      runs[row.cell_id] = {
        outputs: JSON.parse(row.outputs_json) as CellOutput[],
        executionCount: row.execution_count,
        status: row.status as RunStatus,
        elapsedMs: row.elapsed_ms,
        finishedAt: row.finished_at,
      };
    }
    return { sources, runs };
  }

  /** Ids of the cells of each lesson whose last run ended "ok" (for progress). */
  cellsDone(): Map<string, Set<string>> {
    const rows = this.#db.prepare(
      "SELECT lesson, cell_id FROM cell_runs WHERE status = 'ok'",
    ).all() as { lesson: string; cell_id: string }[];
    const done = new Map<string, Set<string>>();
    for (const row of rows) {
      let cells = done.get(row.lesson);
      if (cells === undefined) done.set(row.lesson, cells = new Set());
      cells.add(row.cell_id);
    }
    return done;
  }

  /** Records a graded exercise attempt. */
  recordAttempt(lesson: string, attempt: ExerciseAttempt): void {
    this.#transaction(() => {
      this.#db.prepare(
        `INSERT INTO exercise_attempts (lesson, exercise_id, source, passed, score, details_json,
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        lesson,
        attempt.exerciseId,
        attempt.source,
        attempt.passed ? 1 : 0,
        attempt.score,
        JSON.stringify(attempt.details ?? null),
        attempt.createdAt,
      );
    });
  }

  /** Attempts at one exercise, oldest first. */
  attempts(lesson: string, exerciseId: string): ExerciseAttempt[] {
    const rows = this.#db.prepare(
      `SELECT exercise_id, source, passed, score, details_json, created_at FROM exercise_attempts
       WHERE lesson = ? AND exercise_id = ? ORDER BY id`,
    ).all(lesson, exerciseId) as {
      exercise_id: string;
      source: string;
      passed: number;
      score: number;
      details_json: string;
      created_at: number;
    }[];
    return rows.map((row) => ({
      exerciseId: row.exercise_id,
      source: row.source,
      passed: row.passed !== 0,
      score: row.score,
      details: JSON.parse(row.details_json),
      createdAt: row.created_at,
    }));
  }

  /** Closes the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
