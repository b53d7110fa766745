/**
 * `deno task check [lesson.md...]`: runs every cell of the given lessons (default: all of
 * `lessons/`) headless in a fresh kernel each, printing a line per cell with its time, validates
 * every exercise (its solution passes, its starter fails, its hints render), and exits with
 * status 1 at the first error, naming the lesson file and line.
 *
 * @module
 */
import { loadCourse, parseLessonFile } from "../course/parse_lesson.ts";
import type { Lesson } from "../course/types.ts";
import { validateExercises } from "./validate_exercises.ts";
import { runLessonHeadless } from "../kernel/run_lesson.ts";

async function main(paths: string[]): Promise<number> {
  let lessons: Lesson[];
  if (paths.length > 0) {
    lessons = [];
    for (const path of paths) lessons.push(await parseLessonFile(path));
  } else {
    const course = await loadCourse("lessons");
    for (const error of course.errors) console.error(error.message);
    if (course.errors.length > 0) return 1;
    lessons = course.lessons;
  }
  const started = performance.now();
  let cellCount = 0;
  for (const lesson of lessons) {
    const run = await runLessonHeadless(lesson);
    cellCount += run.cells.length;
    if (!run.ok) {
      console.error(`check failed: ${run.failure}`);
      return 1;
    }
    const exerciseCount = lesson.blocks.filter((b) => b.kind === "exercise").length;
    if (exerciseCount > 0) {
      const t0 = performance.now();
      const problems = await validateExercises(lesson, { cellTimeoutMs: 60_000 });
      for (const problem of problems) console.error(`check failed: ${problem.message}`);
      if (problems.length > 0) return 1;
      const ms = Math.round(performance.now() - t0);
      console.log(
        `  ${exerciseCount} exercises validated (solution passes, starter fails) in ${ms} ms`,
      );
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`check passed: ${lessons.length} lessons, ${cellCount} cells in ${seconds} s`);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exit(1);
  }
}
