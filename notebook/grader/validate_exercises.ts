/**
 * Checks that every exercise of a lesson is sound: the reference solution passes every check
 * and test, the untouched starter code fails every one of them (a starter earns nothing), and
 * the prompt and hints rendered. `deno task check` calls this for every lesson.
 *
 * @module
 */

import { type Lesson, LessonError } from "../course/types.ts";
import { gradeExercise, type GradeOptions } from "./grade.ts";

/**
 * Validates every exercise of `lesson`, grading its solution and its starter code in fresh
 * kernels (two per exercise).
 *
 * @returns One `LessonError` per problem, naming the lesson file and the line of the part at
 * fault; empty when every exercise is sound.
 */
export async function validateExercises(
  lesson: Lesson,
  opts: GradeOptions = {},
): Promise<LessonError[]> {
  const problems: LessonError[] = [];
  opts = { ...opts, forAuthor: true };
  for (const block of lesson.blocks) {
    if (block.kind !== "exercise") continue;
    const lines = block.partLines;
    const at = (line: number | undefined, message: string) =>
      problems.push(
        new LessonError(lesson.file, line ?? block.line, `exercise "${block.id}": ${message}`),
      );
    if (block.promptHtml.trim() === "") at(block.line, "the prompt rendered empty");
    block.hintsHtml.forEach((hint, i) => {
      if (hint.trim() === "") at(lines?.hints[i], `hint ${i + 1} rendered empty`);
    });
    const solution = await gradeExercise(lesson, block.id, block.solution, opts);
    const failing = solution.checks.filter((c) => !c.passed);
    if (solution.status !== "graded") {
      at(
        lines?.solution,
        `the reference solution does not grade (${solution.status}): ${solution.message}`,
      );
    } else if (failing.length > 0) {
      at(
        lines?.solution,
        `the reference solution fails ${
          failing.map((c) => `"${c.name}" (${c.message})`).join(", ")
        }`,
      );
    }
    const starter = await gradeExercise(lesson, block.id, block.starter, opts);
    if (starter.status === "syntax-error") {
      at(lines?.starter, `the starter code does not parse: ${starter.message}`);
    } else if (starter.status === "graded" && starter.checks.some((c) => c.passed)) {
      const free = starter.checks.filter((c) => c.passed);
      at(
        free.every((c) => c.visible) ? lines?.checks ?? lines?.tests : lines?.tests,
        `the untouched starter code passes ${free.map((c) => `"${c.name}"`).join(", ")}; ` +
          "every check and test must fail on it, or a learner earns points for doing nothing",
      );
    }
  }
  return problems;
}
