import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { join } from "node:path";
import { gradebookCsv, parseSubmission } from "./gradebook.ts";
import { gradeSubmissions } from "./grade_main.ts";

Deno.test("parseSubmission() prefers the edited exercise cell, then the newest attempt", () => {
  const submission = parseSubmission(
    JSON.stringify({
      learner: "ada",
      lessons: {
        "00-tour": {
          sources: { "ex-a": "edited a" },
          attempts: [
            { exerciseId: "ex-b", source: "newer b", createdAt: 2 },
            { exerciseId: "ex-b", source: "older b", createdAt: 1 },
            { exerciseId: "ex-a", source: "attempted a", createdAt: 3 },
          ],
        },
      },
      exercises: { "ex-c": "flat c" },
    }),
    "exports/ada.json",
  );
  equal(submission.learner, "ada");
  deepEqual(Object.fromEntries(submission.answers), {
    "ex-a": "edited a",
    "ex-b": "newer b",
    "ex-c": "flat c",
  });
  equal(parseSubmission('{"exercises": {}}', "in/bob.json").learner, "bob");
});

Deno.test("parseSubmission() refuses a file that is not a progress export, naming it", () => {
  throws(() => parseSubmission("{oops", "x.json"), /^TypeError: x\.json: not valid JSON/);
  throws(() => parseSubmission("[1]", "x.json"), /x\.json: expected a JSON object/);
  throws(() => parseSubmission('{"name": 1}', "x.json"), /neither "lessons" nor "exercises"/);
});

Deno.test("gradebookCsv() writes one quoted row per learner and exercise", () => {
  const csv = gradebookCsv([{
    learner: "Lovelace, Ada",
    lesson: "00-tour",
    exercise: "ex-a",
    status: "graded",
    points: 1.5,
    maxPoints: 2,
    checks: [
      { name: "ok", passed: true, points: 1, earned: 1, visible: true, message: "" },
      { name: 'the "sign"', passed: false, points: 1, earned: 0, visible: false, message: "m" },
    ],
    message: "",
  }]);
  equal(
    csv,
    "learner,lesson,exercise,status,points,max_points,checks_passed,checks_total,failed_checks\n" +
      '"Lovelace, Ada",00-tour,ex-a,graded,1.5,2,1,2,"the ""sign"""\n',
  );
});

const cellModules = await Deno.readTextFile(new URL("../kernel/cell_modules.ts", import.meta.url))
  .catch(() => "");

Deno.test({
  name: "gradeSubmissions() grades three exported learners against the tour lesson",
  ignore: !cellModules.includes('"gradbook/testing"'),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const lesson = (source: string) => ({
        lessons: { "00-tour": { sources: { "tour-quadratic-grad": source } } },
      });
      const solution = `import { tensor } from "gradbook";
function gradOfQuadratic(values: number[]): number[] {
  const x = tensor(values, { requiresGrad: true });
  x.mul(x).add(x).sum().backward();
  return x.grad!.toArray() as number[];
}`;
      await Deno.writeTextFile(
        join(dir, "ada.json"),
        JSON.stringify({ learner: "ada", ...lesson(solution) }),
      );
      await Deno.writeTextFile(
        join(dir, "bob.json"),
        JSON.stringify({
          learner: "bob",
          ...lesson("function gradOfQuadratic(v: number[]) { return v.map((x) => 2 * x); }"),
        }),
      );
      await Deno.writeTextFile(
        join(dir, "cy.json"),
        JSON.stringify({ learner: "cy", lessons: {} }),
      );
      const lessonsDir = new URL("../lessons", import.meta.url).pathname;
      const { rows, problems } = await gradeSubmissions([dir], {
        lessonsDir,
        cellTimeoutMs: 10_000,
      });
      deepEqual(problems, []);
      const tour = rows.filter((r) => r.exercise === "tour-quadratic-grad");
      deepEqual(tour.map((r) => [r.learner, r.status, r.points]), [
        ["ada", "graded", 2],
        ["bob", "graded", 0],
        ["cy", "missing", 0],
      ]);
      ok(tour[1]!.checks.every((c) => !c.passed && c.message.includes("expected")));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
