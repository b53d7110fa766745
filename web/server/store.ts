/**
 * Persistent notebook state in an embedded SQLite database (`node:sqlite`): edited cell sources,
 * the last run (outputs, count, status) of every cell, exercise attempts, widget values and
 * scratch cells. The schema is in `store_schema.ts`, the progress file's export and import in
 * `store_transfer.ts`, scratch cells in `scratch_store.ts`. WAL mode, every
 * write in a transaction, schema versioned with `PRAGMA user_version`.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ExportedLesson, ProgressExport } from "../../notebook/grader/gradebook.ts";
import type { ScratchCell } from "../../notebook/course/scratch_cells.ts";
import type { CellOutput, RunStatus, SavedLessonState, SavedRun } from "../messages.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";

import { MIGRATIONS, SCHEMA_VERSION } from "./store_schema.ts";
import {
  attemptFromRow,
  type AttemptRow,
  type ExerciseAttempt,
  insertAttempt,
  inTransaction,
  upsertWidget,
} from "./store_rows.ts";
import { exportLessons, type ImportCounts, importProgress } from "./store_transfer.ts";
import { readScratch, writeScratch } from "./scratch_store.ts";
export { SCHEMA_VERSION };
export type { ExerciseAttempt, ImportCounts };

/** Stored outputs larger than this (JSON characters) are replaced by a notice. */
const MAX_OUTPUTS_JSON = 4 * 1024 * 1024;

/** Hints unlocked and solution revealed for one exercise. */
export interface ExerciseUnlocks {
  hintsUnlocked: number;
  solutionRevealedAt: number | null;
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
    return inTransaction(this.#db, body);
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
    const scratch = this.scratchCells(lesson);
    return {
      sources,
      runs,
      widgets: this.widgetValues(lesson),
      ...(scratch.length > 0 ? { scratch } : {}),
    };
  }

  /** Saves one widget's value (`input.slider`, ...) of a cell. */
  saveWidget(lesson: string, cellId: string, key: string, value: WidgetValue): void {
    upsertWidget(this.#db, lesson, cellId, key, value);
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
    this.#transaction(() => insertAttempt(this.#db, lesson, attempt));
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
    return exportLessons(this.#db, this.cellsDone());
  }

  /**
   * Merges an exported file into the database in one transaction (all or nothing); see
   * `store_transfer.ts` for what replaces and what merges.
   */
  importProgress(file: ProgressExport): ImportCounts {
    return inTransaction(this.#db, () => importProgress(this.#db, file));
  }

  /** A lesson's scratch cells, in order. */
  scratchCells(lesson: string): ScratchCell[] {
    return readScratch(this.#db, lesson);
  }

  /** Replaces a lesson's scratch cells (checked by the caller) in one transaction. */
  saveScratch(lesson: string, cells: ScratchCell[]): void {
    inTransaction(this.#db, () => writeScratch(this.#db, lesson, cells));
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
