/**
 * Helpers for lesson tests: run a lesson headless exactly as `deno task check` does, then read
 * the results its cells printed. A cell that reports a measured result prints one line
 * `RESULT <name> <json>`; tests assert on those values, so the numbers a learner reads are the
 * numbers the test checks.
 *
 * @module
 */
import { parseLessonFile } from "../../notebook/course/parse_lesson.ts";
import type { Lesson } from "../../notebook/course/types.ts";
import { validateExercises } from "../../notebook/grader/validate_exercises.ts";
import { type LessonRun, runLessonHeadless } from "../../notebook/kernel/run_lesson.ts";

/** A lesson after a full headless run. */
export interface LessonTestRun {
  lesson: Lesson;
  run: LessonRun;
  /** Values printed as `RESULT <name> <json>` by any cell, by name. */
  results: Map<string, unknown>;
  /** All stdout, cells joined in order. */
  stdout: string;
  /** Wall time of the whole run in seconds. */
  seconds: number;
}

const RESULT_LINE = /^RESULT (\S+) (.+)$/gm;

/** Parses every `RESULT <name> <json>` line in `text`. */
export function parseResults(text: string): Map<string, unknown> {
  const results = new Map<string, unknown>();
  for (const match of text.matchAll(RESULT_LINE)) results.set(match[1]!, JSON.parse(match[2]!));
  return results;
}

/** The value a lesson printed as `RESULT <name> <json>`; fails the test if it printed none. */
export function resultOf<T>(run: LessonTestRun, name: string): T {
  if (!run.results.has(name)) throw new Error(`the lesson printed no "RESULT ${name}" line`);
  return run.results.get(name) as T;
}

/** Runs every cell of the lesson at `path` in a fresh kernel; throws naming the failing cell. */
export async function runLessonForTest(path: string): Promise<LessonTestRun> {
  const lesson = await parseLessonFile(path);
  const t0 = performance.now();
  const run = await runLessonHeadless(lesson, { log: () => {} });
  const seconds = (performance.now() - t0) / 1000;
  if (!run.ok) throw new Error(`lesson ${path} failed: ${run.failure}`);
  const stdout = run.cells.map((c) => c.stdout).join("");
  return { lesson, run, results: parseResults(stdout), stdout, seconds };
}

/**
 * Time limit per grading cell while a lesson test validates its exercises. This checks soundness
 * (the solution passes, the starter fails), not speed: `rl-shape-reward`'s reference solution
 * trains nine MountainCar agents and ran past the 60 s limit the server grades with, in a
 * parallel suite beside another CPU-heavy job. Grading speed belongs to `deno task check`.
 */
const VALIDATION_CELL_TIMEOUT_MS = 240_000;

/** Validates the lesson's exercises (solution passes, starter fails); throws listing problems. */
export async function validateLessonExercises(lesson: Lesson): Promise<number> {
  const problems = await validateExercises(lesson, { cellTimeoutMs: VALIDATION_CELL_TIMEOUT_MS });
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
  return lesson.blocks.filter((b) => b.kind === "exercise").length;
}
