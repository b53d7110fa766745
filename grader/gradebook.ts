/**
 * Reading exported submissions and writing the gradebook (CSV and JSON) for
 * `deno task grade`.
 *
 * A submission is a learner's exported progress file. The grader reads, per exercise id, the
 * code to grade: `lessons[slug].sources[exerciseId]` (the exercise cell as last edited), else
 * the `source` of the newest entry of `lessons[slug].attempts` with that `exerciseId`, else a
 * flat `exercises[exerciseId]`. The learner is `learner` (or the file name).
 *
 * @module
 */

import type { GradeResult } from "./types.ts";

/** A learner's answers, by exercise id. */
export interface Submission {
  learner: string;
  file: string;
  answers: Map<string, string>;
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
  checks: {
    name: string;
    passed: boolean;
    points: number;
    earned: number;
    visible: boolean;
    message: string;
  }[];
  message: string;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * Parses an exported progress file into a submission.
 *
 * @throws {TypeError} naming the file and what is wrong when it is not a progress export.
 */
export function parseSubmission(text: string, file: string): Submission {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(data)) {
    throw new TypeError(
      `${file}: expected a JSON object, got ${JSON.stringify(data)?.slice(0, 40)}`,
    );
  }
  const answers = new Map<string, string>();
  const lessons = data.lessons ?? {};
  if (!isRecord(lessons)) {
    throw new TypeError(`${file}: "lessons" must be an object keyed by lesson slug`);
  }
  for (const [slug, lesson] of Object.entries(lessons)) {
    if (!isRecord(lesson)) throw new TypeError(`${file}: lessons.${slug} must be an object`);
    const attempts = Array.isArray(lesson.attempts) ? lesson.attempts.filter(isRecord) : [];
    attempts.sort((a, b) => Number(a.createdAt ?? 0) - Number(b.createdAt ?? 0));
    for (const attempt of attempts) {
      if (typeof attempt.exerciseId === "string" && typeof attempt.source === "string") {
        answers.set(attempt.exerciseId, attempt.source);
      }
    }
    if (isRecord(lesson.sources)) {
      for (const [id, source] of Object.entries(lesson.sources)) {
        if (typeof source === "string") answers.set(id, source);
      }
    }
  }
  if (isRecord(data.exercises)) {
    for (const [id, source] of Object.entries(data.exercises)) {
      if (typeof source === "string" && !answers.has(id)) answers.set(id, source);
    }
  }
  if (!("lessons" in data) && !("exercises" in data)) {
    throw new TypeError(
      `${file}: not a gradbook progress export (it has neither "lessons" nor "exercises")`,
    );
  }
  const fallback = file.split("/").pop()!.replace(/\.json$/, "");
  const learner = typeof data.learner === "string" && data.learner.trim() !== ""
    ? data.learner
    : fallback;
  return { learner, file, answers };
}

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
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
      r.checks.filter((c) => c.passed).length,
      r.checks.length,
      r.checks.filter((c) => !c.passed).map((c) => c.name).join("; "),
    ].map(csvField).join(",")
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}
