/**
 * `deno task grade:starters [--out dir] [--solutions]`: the "starters earn nothing" check of the
 * whole course (issue #23). Writes a progress export whose every exercise answer is the untouched
 * starter, grades it with `deno task grade`'s own code (each exercise in fresh kernels: slow,
 * minutes), and fails unless every exercise of every lesson is graded and scores 0. With
 * `--solutions` it also grades a second learner whose answers are the reference solutions and
 * requires full marks everywhere. The gradebook (CSV, JSON, HTML) is left in `--out`.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCourse } from "../notebook/course/parse_lesson.ts";
import { gradeMain } from "../notebook/grader/grade_main.ts";
import {
  type GradebookRow,
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  type ProgressExport,
} from "../notebook/grader/gradebook.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string", default: "build/starters-gradebook" },
    solutions: { type: "boolean", default: false },
  },
});
const { lessons, errors } = await loadCourse("lessons");
if (errors.length > 0) throw errors[0];

function exportOf(learner: string, pick: "starter" | "solution"): ProgressExport {
  const file: ProgressExport = {
    format: PROGRESS_FORMAT,
    version: PROGRESS_VERSION,
    exportedAt: new Date().toISOString(),
    learner,
    lessons: {},
  };
  for (const lesson of lessons) {
    const sources: Record<string, string> = {};
    for (const b of lesson.blocks) if (b.kind === "exercise") sources[b.id] = b[pick];
    file.lessons[lesson.slug] = { sources, cellsDone: [], exercises: {} };
  }
  return file;
}

const dir = await Deno.makeTempDir({ prefix: "gradbook-starters-" });
await Deno.writeTextFile(
  join(dir, "starters.json"),
  JSON.stringify(exportOf("starters", "starter")),
);
if (values.solutions) {
  await Deno.writeTextFile(
    join(dir, "reference.json"),
    JSON.stringify(exportOf("reference", "solution")),
  );
}
const started = performance.now();
const code = await gradeMain([dir, "--out", values.out]);
const rows = JSON.parse(
  await Deno.readTextFile(join(values.out, "gradebook.json")),
) as GradebookRow[];
const bad = rows.filter((r) =>
  r.learner === "starters"
    ? r.status !== "graded" || r.points !== 0
    : r.status !== "graded" || r.points !== r.maxPoints
);
const starters = rows.filter((r) => r.learner === "starters");
console.log(
  `${starters.length} exercises in ${lessons.length} lessons; starters scored ` +
    `${starters.reduce((s, r) => s + r.points, 0)} of ${
      starters.reduce((s, r) => s + r.maxPoints, 0)
    } points; ${Math.round((performance.now() - started) / 1000)} s`,
);
for (const r of bad) {
  console.error(
    `NOT OK ${r.learner} ${r.lesson} ${r.exercise}: ${r.status} ${r.points}/${r.maxPoints} ${r.message}`,
  );
}
await Deno.remove(dir, { recursive: true });
Deno.exit(code !== 0 || bad.length > 0 ? 1 : 0);
