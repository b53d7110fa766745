/**
 * The gradebook (CSV and JSON) that `deno task grade` writes from progress export files (one
 * JSON file per learner: edits, cells run, exercise attempts, hints and revealed solutions). The
 * format lives in `progress_format.ts` and its strict validator in `progress_reader.ts`; both are
 * re-exported here, the one entry point for the server and the grader.
 *
 * The notebook server writes the format (`GET /api/progress/export`) and reads it back
 * (`POST /api/progress/import`); the grader reads it with {@link parseSubmission}. The code
 * graded for an exercise is the learner's latest edit of the exercise cell
 * (`lessons[slug].sources[exerciseId]`), else the source of their newest attempt.
 *
 * @module
 */
import type { GradeResult } from "./types.ts";
import {
  type ExportedAttempt,
  type ExportedCheck,
  type ProgressExport,
  ProgressFileError,
} from "./progress_format.ts";
import { parseProgressExport } from "./progress_reader.ts";

export * from "./progress_format.ts";
export { parseProgressExport } from "./progress_reader.ts";

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
