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
import type {
  ExportedAttempt,
  ExportedExercise,
  ExportedLesson,
  ProgressExport,
} from "../../notebook/grader/gradebook.ts";
import type { CellOutput, RunStatus, SavedLessonState, SavedRun } from "../messages.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";

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
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Stored outputs larger than this (JSON characters) are replaced by a notice. */
const MAX_OUTPUTS_JSON = 4 * 1024 * 1024;

/** One graded attempt at an exercise (the export format's attempt, with its exercise id). */
export interface ExerciseAttempt extends ExportedAttempt {
  exerciseId: string;
}

/** Hints unlocked and solution revealed for one exercise. */
export interface ExerciseUnlocks {
  hintsUnlocked: number;
  solutionRevealedAt: number | null;
}

/** What {@link Store.importProgress} added or replaced. */
export interface ImportCounts {
  lessons: number;
  sources: number;
  cellsDone: number;
  attempts: number;
  /** Widget values set from the file. */
  widgets: number;
}

interface AttemptRow {
  exercise_id: string;
  source: string;
  score: number;
  details_json: string;
  created_at: number;
}

function attemptFromRow(row: AttemptRow): ExerciseAttempt {
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
         finished_at, epoch, ever_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (lesson, cell_id) DO UPDATE SET outputs_json = excluded.outputs_json,
         execution_count = excluded.execution_count, status = excluded.status,
         elapsed_ms = excluded.elapsed_ms, finished_at = excluded.finished_at,
         epoch = excluded.epoch, ever_ok = MAX(cell_runs.ever_ok, excluded.ever_ok)`,
      ).run(
        lesson,
        cellId,
        outputsJson,
        run.executionCount,
        run.status,
        run.elapsedMs,
        run.finishedAt,
        run.epoch ?? null,
        run.status === "ok" ? 1 : 0,
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
      `SELECT cell_id, outputs_json, execution_count, status, elapsed_ms, finished_at, epoch,
       ever_ok FROM cell_runs WHERE lesson = ?`,
    ).all(lesson) as {
      cell_id: string;
      outputs_json: string;
      execution_count: number | null;
      status: string;
      elapsed_ms: number;
      finished_at: number;
      epoch: string | null;
      ever_ok: number;
    }[];
    for (const row of runRows) {
      runs[row.cell_id] = {
        outputs: JSON.parse(row.outputs_json) as CellOutput[],
        executionCount: row.execution_count,
        status: row.status as RunStatus,
        elapsedMs: row.elapsed_ms,
        finishedAt: row.finished_at,
        ...(row.epoch === null ? {} : { epoch: row.epoch }),
        ...(row.ever_ok === 1 && row.status !== "ok" ? { everOk: true } : {}),
      };
    }
    return { sources, runs, widgets: this.widgetValues(lesson) };
  }

  /** Saves one widget's value (`input.slider`, ...) of a cell. */
  saveWidget(lesson: string, cellId: string, key: string, value: WidgetValue): void {
    this.#db.prepare(
      `INSERT INTO widget_values (lesson, cell_id, key, value_json, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (lesson, cell_id, key)
       DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    ).run(lesson, cellId, key, JSON.stringify(value), Date.now());
  }

  /** Saved widget values of one lesson: cell id -> widget key -> value. */
  widgetValues(lesson: string): Record<string, Record<string, WidgetValue>> {
    const rows = this.#db.prepare(
      "SELECT cell_id, key, value_json FROM widget_values WHERE lesson = ?",
    ).all(lesson) as { cell_id: string; key: string; value_json: string }[];
    const values: Record<string, Record<string, WidgetValue>> = {};
    for (const row of rows) {
      (values[row.cell_id] ??= {})[row.key] = JSON.parse(row.value_json) as WidgetValue;
    }
    return values;
  }

  /** Ids of the cells of each lesson that ever ran without error (for progress). */
  cellsDone(): Map<string, Set<string>> {
    const rows = this.#db.prepare(
      "SELECT lesson, cell_id FROM cell_runs WHERE status = 'ok' OR ever_ok = 1",
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
    this.#transaction(() => this.#insertAttempt(lesson, attempt));
  }

  #insertAttempt(lesson: string, attempt: ExerciseAttempt): void {
    const { status, maxScore, checks, message } = attempt;
    this.#db.prepare(
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

  /** Attempts at one exercise, oldest first. */
  attempts(lesson: string, exerciseId: string): ExerciseAttempt[] {
    const rows = this.#db.prepare(
      `SELECT exercise_id, source, score, details_json, created_at FROM exercise_attempts
       WHERE lesson = ? AND exercise_id = ? ORDER BY created_at, id`,
    ).all(lesson, exerciseId) as unknown as AttemptRow[];
    return rows.map(attemptFromRow);
  }

  /** Hints unlocked and solution revealed, by exercise id, for one lesson. */
  unlocks(lesson: string): Map<string, ExerciseUnlocks> {
    const rows = this.#db.prepare(
      `SELECT exercise_id, hints_unlocked, solution_revealed_at FROM exercise_progress
       WHERE lesson = ?`,
    ).all(lesson) as {
      exercise_id: string;
      hints_unlocked: number;
      solution_revealed_at: number | null;
    }[];
    return new Map(rows.map((row) => [row.exercise_id, {
      hintsUnlocked: row.hints_unlocked,
      solutionRevealedAt: row.solution_revealed_at,
    }]));
  }

  /** Records that `count` hints are unlocked (never fewer than before); returns the count. */
  unlockHints(lesson: string, exerciseId: string, count: number): number {
    return this.#transaction(() => {
      this.#db.prepare(
        `INSERT INTO exercise_progress (lesson, exercise_id, hints_unlocked) VALUES (?, ?, ?)
         ON CONFLICT (lesson, exercise_id) DO UPDATE
         SET hints_unlocked = MAX(hints_unlocked, excluded.hints_unlocked)`,
      ).run(lesson, exerciseId, count);
      return this.unlocks(lesson).get(exerciseId)!.hintsUnlocked;
    });
  }

  /** Records that the solution was revealed (the first time counts); returns that time. */
  revealSolution(lesson: string, exerciseId: string, now: number): number {
    return this.#transaction(() => {
      this.#db.prepare(
        `INSERT INTO exercise_progress (lesson, exercise_id, solution_revealed_at)
         VALUES (?, ?, ?) ON CONFLICT (lesson, exercise_id) DO UPDATE
         SET solution_revealed_at = COALESCE(solution_revealed_at, excluded.solution_revealed_at)`,
      ).run(lesson, exerciseId, now);
      return this.unlocks(lesson).get(exerciseId)!.solutionRevealedAt!;
    });
  }

  /** Best score and number of attempts of every attempted exercise, by lesson then exercise. */
  exerciseScores(): Map<string, Map<string, { best: number; attempts: number }>> {
    const rows = this.#db.prepare(
      `SELECT lesson, exercise_id, MAX(score) AS best, COUNT(*) AS attempts
       FROM exercise_attempts GROUP BY lesson, exercise_id`,
    ).all() as { lesson: string; exercise_id: string; best: number; attempts: number }[];
    const scores = new Map<string, Map<string, { best: number; attempts: number }>>();
    for (const row of rows) {
      let lesson = scores.get(row.lesson);
      if (lesson === undefined) scores.set(row.lesson, lesson = new Map());
      lesson.set(row.exercise_id, { best: row.best, attempts: row.attempts });
    }
    return scores;
  }

  /** Everything a learner did, by lesson, in the export format (lessons with no progress left out). */
  exportLessons(): Record<string, ExportedLesson> {
    const lessons: Record<string, ExportedLesson> = {};
    const lesson = (slug: string) =>
      lessons[slug] ??= { sources: {}, cellsDone: [], exercises: {} };
    const exercise = (slug: string, id: string): ExportedExercise =>
      lesson(slug).exercises[id] ??= { hintsUnlocked: 0, solutionRevealedAt: null, attempts: [] };
    const sources = this.#db.prepare(
      "SELECT lesson, cell_id, source FROM cell_sources ORDER BY lesson, cell_id",
    ).all() as { lesson: string; cell_id: string; source: string }[];
    for (const row of sources) lesson(row.lesson).sources[row.cell_id] = row.source;
    for (const [slug, cells] of this.cellsDone()) lesson(slug).cellsDone.push(...[...cells].sort());
    const unlocks = this.#db.prepare(
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
    const attempts = this.#db.prepare(
      `SELECT lesson, exercise_id, source, score, details_json, created_at FROM exercise_attempts
       ORDER BY created_at, id`,
    ).all() as unknown as (AttemptRow & { lesson: string })[];
    for (const row of attempts) {
      const { exerciseId: _, ...attempt } = attemptFromRow(row);
      exercise(row.lesson, row.exercise_id).attempts.push(attempt);
    }
    const widgets = this.#db.prepare(
      "SELECT lesson, cell_id, key, value_json FROM widget_values ORDER BY lesson, cell_id, key",
    ).all() as { lesson: string; cell_id: string; key: string; value_json: string }[];
    for (const row of widgets) {
      const cells = lesson(row.lesson).widgets ??= {};
      (cells[row.cell_id] ??= {})[row.key] = JSON.parse(row.value_json) as WidgetValue;
    }
    return lessons;
  }

  /**
   * Merges an exported file into the database in one transaction (all or nothing): its edited
   * sources and widget values replace the local ones, cells it ran count as run where this
   * machine has no run, attempts are added unless already here (same time and code), and hints
   * and revealed solutions keep the furthest of both.
   */
  importProgress(file: ProgressExport): ImportCounts {
    const counts: ImportCounts = { lessons: 0, sources: 0, cellsDone: 0, attempts: 0, widgets: 0 };
    const finishedAt = Date.parse(file.exportedAt);
    const addRun = this.#db.prepare(
      `INSERT INTO cell_runs (lesson, cell_id, outputs_json, execution_count, status, elapsed_ms,
       finished_at) VALUES (?, ?, '[]', NULL, 'ok', 0, ?) ON CONFLICT (lesson, cell_id) DO NOTHING`,
    );
    const hasAttempt = this.#db.prepare(
      `SELECT 1 FROM exercise_attempts WHERE lesson = ? AND exercise_id = ? AND created_at = ?
       AND source = ?`,
    );
    const unlock = this.#db.prepare(
      `INSERT INTO exercise_progress (lesson, exercise_id, hints_unlocked, solution_revealed_at)
       VALUES (?, ?, ?, ?) ON CONFLICT (lesson, exercise_id) DO UPDATE
       SET hints_unlocked = MAX(hints_unlocked, excluded.hints_unlocked),
       solution_revealed_at = CASE
         WHEN solution_revealed_at IS NULL THEN excluded.solution_revealed_at
         WHEN excluded.solution_revealed_at IS NULL THEN solution_revealed_at
         ELSE MIN(solution_revealed_at, excluded.solution_revealed_at) END`,
    );
    this.#transaction(() => {
      for (const [slug, lesson] of Object.entries(file.lessons)) {
        counts.lessons++;
        const upsert = this.#db.prepare(
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
        for (const [cellId, values] of Object.entries(lesson.widgets ?? {})) {
          for (const [key, value] of Object.entries(values)) {
            this.saveWidget(slug, cellId, key, value);
            counts.widgets++;
          }
        }
        for (const [exerciseId, exercise] of Object.entries(lesson.exercises)) {
          unlock.run(slug, exerciseId, exercise.hintsUnlocked, exercise.solutionRevealedAt);
          for (const attempt of exercise.attempts) {
            if (hasAttempt.get(slug, exerciseId, attempt.createdAt, attempt.source)) continue;
            this.#insertAttempt(slug, { ...attempt, exerciseId });
            counts.attempts++;
          }
        }
      }
    });
    return counts;
  }

  /** Closes the database. */
  /** False once {@link close} ran (a message still in flight at shutdown must not write). */
  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
