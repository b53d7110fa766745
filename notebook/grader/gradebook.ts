/**
 * The progress export format (one JSON file per learner: edits, cells run, exercise attempts,
 * hints and revealed solutions), its strict validator, and the gradebook (CSV and JSON) that
 * `deno task grade` writes from such files.
 *
 * The notebook server writes the format (`GET /api/progress/export`) and reads it back
 * (`POST /api/progress/import`); the grader reads it with {@link parseSubmission}. The code
 * graded for an exercise is the learner's latest edit of the exercise cell
 * (`lessons[slug].sources[exerciseId]`), else the source of their newest attempt.
 *
 * @module
 */

import type { WidgetValue } from "../../runtime/vocabulary.ts";
import type { GradedCheck, GradeResult, GradeStatus } from "./types.ts";
import { readScratchCells, type ScratchCell } from "../course/scratch_cells.ts";

/** The `format` field of a progress export. */
export const PROGRESS_FORMAT = "gradbook-progress";
/** The `version` of the progress export format this code writes and reads. */
export const PROGRESS_VERSION = 1;

/** Limits a progress file must keep (a file over them is refused, not truncated). */
export const PROGRESS_LIMITS = {
  /** Whole file, in bytes of JSON text. */
  fileBytes: 16 * 1024 * 1024,
  /** One cell source or attempt source, in characters. */
  sourceChars: 256 * 1024,
  /** A name, message or other short text, in characters. */
  textChars: 10_000,
  lessons: 1000,
  cellsPerLesson: 2000,
  attemptsPerExercise: 1000,
  checksPerAttempt: 500,
  widgetsPerCell: 100,
} as const;

/** One check of an exported attempt. */
export interface ExportedCheck {
  name: string;
  passed: boolean;
  points: number;
  earned: number;
  /** True for the exercise's visible example checks, false for hidden tests. */
  visible: boolean;
  message: string;
}

/** A graded check as progress files and gradebooks keep it (without its timing). */
export function exportedCheck(
  { name, passed, points, earned, visible, message }: GradedCheck,
): ExportedCheck {
  return { name, passed, points, earned, visible, message };
}

/** One graded attempt at an exercise. */
export interface ExportedAttempt {
  /** Unix time in ms. */
  createdAt: number;
  /** The code that was checked. */
  source: string;
  status: GradeStatus;
  score: number;
  maxScore: number;
  checks: ExportedCheck[];
  message: string;
}

/** A learner's progress on one exercise. */
export interface ExportedExercise {
  /** How many hints the learner unlocked. */
  hintsUnlocked: number;
  /** Unix time in ms when the learner revealed the solution, or null. */
  solutionRevealedAt: number | null;
  /** Oldest first. */
  attempts: ExportedAttempt[];
}

/** A learner's progress in one lesson. */
export interface ExportedLesson {
  /** Edited cell sources by cell id (an exercise's cell id is the exercise id). */
  sources: Record<string, string>;
  /** Ids of the cells whose last run ended "ok". */
  cellsDone: string[];
  exercises: Record<string, ExportedExercise>;
  /**
   * Values the learner set on the lesson's widgets (`input.slider`, ...), by cell id and widget
   * key; absent when they set none (and in files written before widgets were exported).
   */
  widgets?: Record<string, Record<string, WidgetValue>>;
  /** The learner's scratch cells, in order (never graded); absent when they have none. */
  scratch?: ScratchCell[];
}

/** A progress export file (`format: "gradbook-progress"`, `version: 1`). */
export interface ProgressExport {
  format: typeof PROGRESS_FORMAT;
  version: typeof PROGRESS_VERSION;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** The learner's name, when they gave one. */
  learner?: string;
  /** Progress by lesson slug. */
  lessons: Record<string, ExportedLesson>;
}

/** Keys that could reach an object's prototype if a consumer copied them naively. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const STATUSES: readonly string[] = [
  "graded",
  "syntax-error",
  "timeout",
  "crash",
  "setup-error",
  "tests-error",
] satisfies GradeStatus[];

/** A progress file that is not valid; the message says where and what, for the learner. */
export class ProgressFileError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "ProgressFileError";
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

const show = (value: unknown): string => {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** Walks a parsed file, building typed values and failing with the path of the first problem. */
class Reader {
  fail(path: string, what: string, value: unknown): never {
    throw new ProgressFileError(`${path} must be ${what}, got ${show(value)}`);
  }
  record(value: unknown, path: string, allowed?: readonly string[]): Record<string, unknown> {
    if (!isRecord(value)) this.fail(path, "an object", value);
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new ProgressFileError(`${path} has the forbidden key "${key}"`);
      }
      if (allowed !== undefined && !allowed.includes(key)) {
        throw new ProgressFileError(
          `${path} has the unknown key "${key}" (expected ${allowed.join(", ")})`,
        );
      }
    }
    return value;
  }
  id(key: string, path: string): string {
    if (!ID.test(key)) {
      throw new ProgressFileError(
        `${path} has the key ${show(key)}, which is not a lesson, cell or exercise id`,
      );
    }
    return key;
  }
  string(value: unknown, path: string, maxChars: number = PROGRESS_LIMITS.textChars): string {
    if (typeof value !== "string") this.fail(path, "a string", value);
    if (value.length > maxChars) {
      throw new ProgressFileError(
        `${path} is ${value.length} characters long, more than the limit of ${maxChars}`,
      );
    }
    return value;
  }
  number(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      this.fail(path, `a number from ${min} to ${max}`, value);
    }
    return value;
  }
  integer(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const n = this.number(value, path, min, max);
    if (!Number.isInteger(n)) this.fail(path, "a whole number", value);
    return n;
  }
  boolean(value: unknown, path: string): boolean {
    if (typeof value !== "boolean") this.fail(path, "true or false", value);
    return value;
  }
  array(value: unknown, path: string, maxItems: number): unknown[] {
    if (!Array.isArray(value)) this.fail(path, "an array", value);
    if (value.length > maxItems) {
      throw new ProgressFileError(
        `${path} has ${value.length} entries, more than the limit of ${maxItems}`,
      );
    }
    return value;
  }
  entries(value: unknown, path: string, maxKeys: number): [string, unknown][] {
    const entries = Object.entries(this.record(value, path));
    if (entries.length > maxKeys) {
      throw new ProgressFileError(
        `${path} has ${entries.length} entries, more than the limit of ${maxKeys}`,
      );
    }
    return entries.map(([key, v]) => [this.id(key, path), v]);
  }
}

const at = (path: string, key: string) => `${path}[${JSON.stringify(key)}]`;

function readAttempt(r: Reader, value: unknown, path: string): ExportedAttempt {
  const a = r.record(value, path, [
    "createdAt",
    "source",
    "status",
    "score",
    "maxScore",
    "checks",
    "message",
  ]);
  const status = r.string(a.status, `${path}.status`);
  if (!STATUSES.includes(status)) r.fail(`${path}.status`, `one of ${STATUSES.join(", ")}`, status);
  const maxScore = r.number(a.maxScore, `${path}.maxScore`, 0, 1e6);
  const checks = r.array(a.checks, `${path}.checks`, PROGRESS_LIMITS.checksPerAttempt).map(
    (c, i): ExportedCheck => {
      const p = `${path}.checks[${i}]`;
      const check = r.record(c, p, ["name", "passed", "points", "earned", "visible", "message"]);
      const points = r.number(check.points, `${p}.points`, 0, 1e6);
      return {
        name: r.string(check.name, `${p}.name`),
        passed: r.boolean(check.passed, `${p}.passed`),
        points,
        earned: r.number(check.earned, `${p}.earned`, 0, points),
        visible: r.boolean(check.visible, `${p}.visible`),
        message: r.string(check.message, `${p}.message`),
      };
    },
  );
  return {
    createdAt: r.integer(a.createdAt, `${path}.createdAt`),
    source: r.string(a.source, `${path}.source`, PROGRESS_LIMITS.sourceChars),
    status: status as GradeStatus,
    score: r.number(a.score, `${path}.score`, 0, maxScore),
    maxScore,
    checks,
    message: r.string(a.message, `${path}.message`),
  };
}

function readLesson(r: Reader, value: unknown, path: string): ExportedLesson {
  const lesson = r.record(value, path, ["sources", "cellsDone", "exercises", "widgets", "scratch"]);
  const sources: Record<string, string> = {};
  const limit = PROGRESS_LIMITS.cellsPerLesson;
  for (const [id, source] of r.entries(lesson.sources, `${path}.sources`, limit)) {
    sources[id] = r.string(source, at(`${path}.sources`, id), PROGRESS_LIMITS.sourceChars);
  }
  const cellsDone = r.array(lesson.cellsDone, `${path}.cellsDone`, limit).map((id, i) =>
    r.id(r.string(id, `${path}.cellsDone[${i}]`), `${path}.cellsDone`)
  );
  const exercises: Record<string, ExportedExercise> = {};
  for (const [id, raw] of r.entries(lesson.exercises, `${path}.exercises`, limit)) {
    const p = at(`${path}.exercises`, id);
    const ex = r.record(raw, p, ["hintsUnlocked", "solutionRevealedAt", "attempts"]);
    exercises[id] = {
      hintsUnlocked: r.integer(ex.hintsUnlocked, `${p}.hintsUnlocked`, 0, 1000),
      solutionRevealedAt: ex.solutionRevealedAt === null
        ? null
        : r.integer(ex.solutionRevealedAt, `${p}.solutionRevealedAt`),
      attempts: r.array(ex.attempts, `${p}.attempts`, PROGRESS_LIMITS.attemptsPerExercise)
        .map((a, i) => readAttempt(r, a, `${p}.attempts[${i}]`)),
    };
  }
  const result: ExportedLesson = { sources, cellsDone, exercises };
  if (lesson.widgets !== undefined) {
    result.widgets = readWidgets(r, lesson.widgets, `${path}.widgets`);
  }
  if (lesson.scratch !== undefined) {
    try {
      result.scratch = readScratchCells(lesson.scratch);
    } catch (error) {
      throw new ProgressFileError(`${path}.scratch: ${(error as Error).message}`);
    }
  }
  return result;
}

function readWidgets(
  r: Reader,
  value: unknown,
  path: string,
): Record<string, Record<string, WidgetValue>> {
  const widgets: Record<string, Record<string, WidgetValue>> = {};
  for (const [cellId, cell] of r.entries(value, path, PROGRESS_LIMITS.cellsPerLesson)) {
    const cellPath = at(path, cellId);
    const values: Record<string, WidgetValue> = {};
    // Widget keys are free text ("slider:learning rate"), not ids: only their length is limited.
    const keys = Object.entries(r.record(cell, cellPath));
    if (keys.length > PROGRESS_LIMITS.widgetsPerCell) {
      throw new ProgressFileError(
        `${cellPath} has ${keys.length} widgets, more than the limit of ${PROGRESS_LIMITS.widgetsPerCell}`,
      );
    }
    for (const [key, v] of keys) {
      const p = at(cellPath, r.string(key, `a widget key of ${cellPath}`, 200));
      if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) values[key] = v;
      else if (typeof v === "string") values[key] = r.string(v, p, 200);
      else r.fail(p, "a finite number, a string or true/false", v);
    }
    widgets[cellId] = values;
  }
  return widgets;
}

/**
 * Parses and validates a progress export completely: format and version, every type, sizes
 * against {@link PROGRESS_LIMITS}, ids, and keys such as `__proto__`. Unknown keys are refused.
 *
 * @example
 * ```ts
 * import { parseProgressExport } from "./gradebook.ts";
 * const file = parseProgressExport(
 *   '{"format":"gradbook-progress","version":1,"exportedAt":"2026-01-01T00:00:00Z","lessons":{}}',
 * );
 * console.log(Object.keys(file.lessons).length); // 0
 * ```
 * @throws {ProgressFileError} naming the first problem and where it is.
 */
export function parseProgressExport(text: string): ProgressExport {
  if (text.length > PROGRESS_LIMITS.fileBytes) {
    throw new ProgressFileError(
      `The file is ${(text.length / 1048576).toFixed(1)} MiB, more than the limit of ` +
        `${PROGRESS_LIMITS.fileBytes / 1048576} MiB`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ProgressFileError(`The file is not valid JSON (${(error as Error).message})`);
  }
  const r = new Reader();
  if (!isRecord(data) || data.format !== PROGRESS_FORMAT) {
    throw new ProgressFileError(
      `The file is not a gradbook progress export (its "format" is ${
        show(isRecord(data) ? data.format : data)
      }, expected "${PROGRESS_FORMAT}")`,
    );
  }
  if (data.version !== PROGRESS_VERSION) {
    throw new ProgressFileError(
      `The file has format version ${show(data.version)}; this gradbook reads version ` +
        `${PROGRESS_VERSION}`,
    );
  }
  const top = r.record(data, "The file", ["format", "version", "exportedAt", "learner", "lessons"]);
  const exportedAt = r.string(top.exportedAt, "exportedAt", 40);
  if (Number.isNaN(Date.parse(exportedAt))) r.fail("exportedAt", "an ISO 8601 time", exportedAt);
  const result: ProgressExport = {
    format: PROGRESS_FORMAT,
    version: PROGRESS_VERSION,
    exportedAt,
    lessons: {},
  };
  if (top.learner !== undefined) result.learner = r.string(top.learner, "learner", 200);
  for (const [slug, lesson] of r.entries(top.lessons, "lessons", PROGRESS_LIMITS.lessons)) {
    result.lessons[slug] = readLesson(r, lesson, at("lessons", slug));
  }
  return result;
}

/**
 * The code to grade for an exercise: the learner's latest edit of its cell, else the source of
 * their newest attempt; `undefined` when they left it untouched and never checked it.
 */
export function answerFor(
  file: ProgressExport,
  lessonSlug: string,
  exerciseId: string,
): string | undefined {
  const lesson = file.lessons[lessonSlug];
  if (lesson === undefined) return undefined;
  if (Object.hasOwn(lesson.sources, exerciseId)) return lesson.sources[exerciseId];
  const attempts = lesson.exercises[exerciseId]?.attempts ?? [];
  let newest: ExportedAttempt | undefined;
  for (const attempt of attempts) {
    if (newest === undefined || attempt.createdAt >= newest.createdAt) newest = attempt;
  }
  return newest?.source;
}

/** A learner's exported progress, read for grading. */
export interface Submission {
  /** The export's `learner`, else the file name without `.json`. */
  learner: string;
  file: string;
  progress: ProgressExport;
}

/** One gradebook row: one learner, one exercise. */
export interface GradebookRow {
  learner: string;
  lesson: string;
  exercise: string;
  /** "missing" when the learner submitted nothing for this exercise. */
  status: GradeResult["status"] | "missing";
  points: number;
  maxPoints: number;
  /** The learner revealed the reference solution (the progress file's `solutionRevealedAt`). */
  solutionRevealed: boolean;
  /** The revealed-solution cap lowered `points` (see `REVEALED_SOLUTION_CAP` in score.ts). */
  capped: boolean;
  checks: ExportedCheck[];
  message: string;
}

/**
 * Parses an exported progress file into a submission.
 *
 * @throws {ProgressFileError} naming the file and what is wrong when it is not a valid export.
 */
export function parseSubmission(text: string, file: string): Submission {
  let progress: ProgressExport;
  try {
    progress = parseProgressExport(text);
  } catch (error) {
    if (!(error instanceof ProgressFileError)) throw error;
    throw new ProgressFileError(`${file}: ${error.message}`);
  }
  const fallback = file.split(/[\\/]/).pop()!.replace(/\.json$/, "");
  const learner = progress.learner !== undefined && progress.learner.trim() !== ""
    ? progress.learner.trim()
    : fallback;
  return { learner, file, progress };
}

/**
 * One CSV field. Text a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return) gets a leading `'`, as OWASP advises for CSV injection; numbers
 * are written as they are.
 */
const csvField = (value: string | number) => {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Formats rows as CSV: one line per learner and exercise, failed checks listed by name. */
export function gradebookCsv(rows: GradebookRow[]): string {
  const header = [
    "learner",
    "lesson",
    "exercise",
    "status",
    "points",
    "max_points",
    "solution_revealed",
    "capped",
    "checks_passed",
    "checks_total",
    "failed_checks",
  ];
  const lines = rows.map((r) =>
    [
      r.learner,
      r.lesson,
      r.exercise,
      r.status,
      r.points,
      r.maxPoints,
      r.solutionRevealed ? "yes" : "no",
      r.capped ? "yes" : "no",
      r.checks.filter((c) => c.passed).length,
      r.checks.length,
      r.checks.filter((c) => !c.passed).map((c) => c.name).join("; "),
    ].map(csvField).join(",")
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}
