/**
 * `deno task grade <export.json | folder>... [--out dir] [--lessons dir] [--timeout seconds]`:
 * grades exported submissions headless, each exercise in a fresh kernel, and writes
 * `gradebook.csv` and `gradebook.json` (default folder `gradebook/`), like nbgrader's autograde,
 * and `gradebook.html`, a per-exercise summary for the instructor (see `gradebook_html.ts`).
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCourse } from "../course/parse_lesson.ts";
import { gradeExercise } from "./grade.ts";
import { gradebookHtml } from "./gradebook_html.ts";
import { capRevealed, REVEALED_SOLUTION_RULE } from "./score.ts";
import {
  answerFor,
  exportedCheck,
  gradebookCsv,
  type GradebookRow,
  parseSubmission,
  type Submission,
} from "./gradebook.ts";

/** Lists the `.json` files of the given paths (a folder contributes its `*.json`, sorted). */
async function submissionFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await Deno.stat(path);
    if (!info.isDirectory) {
      files.push(path);
      continue;
    }
    const inside: string[] = [];
    for await (const entry of Deno.readDir(path)) {
      if (entry.isFile && entry.name.endsWith(".json")) inside.push(join(path, entry.name));
    }
    files.push(...inside.sort());
  }
  return files;
}

/**
 * Grades every submission against every exercise of the course.
 *
 * @returns The gradebook rows, and one message per submission file that could not be read.
 */
export async function gradeSubmissions(
  paths: string[],
  options: { lessonsDir?: string; cellTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<{ rows: GradebookRow[]; problems: string[] }> {
  const log = options.log ?? (() => {});
  const { lessons, errors } = await loadCourse(options.lessonsDir ?? "lessons");
  const problems = errors.map((e) => `Lesson not graded: ${e.message}`);
  const submissions: Submission[] = [];
  for (const file of await submissionFiles(paths)) {
    try {
      submissions.push(parseSubmission(await Deno.readTextFile(file), file));
    } catch (error) {
      problems.push(`Submission skipped: ${(error as Error).message}`);
    }
  }
  const rows: GradebookRow[] = [];
  for (const submission of submissions) {
    for (const lesson of lessons) {
      for (const block of lesson.blocks) {
        if (block.kind !== "exercise") continue;
        const base = {
          learner: submission.learner,
          lesson: lesson.slug,
          exercise: block.id,
          maxPoints: block.points,
          solutionRevealed:
            submission.progress.lessons[lesson.slug]?.exercises[block.id]?.solutionRevealedAt !=
              null,
        };
        const code = answerFor(submission.progress, lesson.slug, block.id);
        if (code === undefined) {
          rows.push({
            ...base,
            status: "missing",
            points: 0,
            capped: false,
            checks: [],
            message: "No answer submitted.",
          });
          continue;
        }
        const result = await gradeExercise(lesson, block.id, code, {
          cellTimeoutMs: options.cellTimeoutMs,
        });
        const checks = result.checks.map(exportedCheck);
        const cap = capRevealed(result.score, block.points, base.solutionRevealed);
        rows.push({
          ...base,
          status: result.status,
          points: cap.score,
          capped: cap.capped,
          checks,
          message: cap.capped
            ? `${result.message} Capped at ${cap.score}/${block.points}: ${REVEALED_SOLUTION_RULE}`
            : result.message,
        });
        log(
          `${printable(submission.learner)}  ${block.id}  ${result.status}  ` +
            `${result.score}/${block.points}`,
        );
      }
    }
  }
  return { rows, problems };
}

/**
 * `text` safe for one console line: control characters (newlines, escapes that move the cursor
 * or recolour the terminal) are written as `\n`, `\u001b`, ..., so a learner's name cannot
 * forge another learner's result line.
 */
export function printable(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => c === "\n" ? "\\n" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const USAGE =
  "Usage: deno task grade <export.json | folder>... [--out dir] [--lessons dir] [--timeout seconds]";

/**
 * Runs `deno task grade` with `args`: grades, writes `gradebook.json` and `gradebook.csv` into
 * `--out`, and prints a line per answer.
 *
 * @returns The exit code: 0 when every file was graded, 1 when some could not be read, 2 for
 * bad arguments.
 */
export async function gradeMain(
  args: string[],
  print: (line: string) => void = console.log,
  printError: (line: string) => void = console.error,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: "string", default: "gradebook" },
      lessons: { type: "string", default: "lessons" },
      timeout: { type: "string", default: "60" },
    },
  });
  const timeout = Number(values.timeout);
  if (positionals.length === 0 || !(timeout > 0)) {
    printError(
      positionals.length === 0
        ? USAGE
        : `--timeout must be a positive number of seconds, got "${values.timeout}"`,
    );
    return 2;
  }
  const { rows, problems } = await gradeSubmissions(positionals, {
    lessonsDir: values.lessons,
    cellTimeoutMs: timeout * 1000,
    log: print,
  });
  for (const problem of problems) printError(printable(problem));
  await Deno.mkdir(values.out, { recursive: true });
  await Deno.writeTextFile(
    join(values.out, "gradebook.json"),
    JSON.stringify(rows, null, 2) + "\n",
  );
  await Deno.writeTextFile(join(values.out, "gradebook.csv"), gradebookCsv(rows));
  await Deno.writeTextFile(join(values.out, "gradebook.html"), gradebookHtml(rows));
  const learners = new Set(rows.map((r) => r.learner)).size;
  print(
    `Graded ${rows.length} answers from ${learners} learners into ${values.out}/gradebook.{csv,json,html}`,
  );
  return problems.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await gradeMain(Deno.args));
