import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { parseResults, runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

Deno.test("parseResults() reads RESULT lines as JSON by name", () => {
  const r = parseResults('noise\nRESULT loss {"adam":0.1}\nRESULT n 3\n');
  assertEquals(r.get("loss"), { adam: 0.1 });
  assertEquals(r.get("n"), 3);
});

Deno.test("the tour lesson runs top to bottom and its exercise is sound", async () => {
  const { lesson, run } = await runLessonForTest("lessons/00-tour.md");
  assert(run.cells.length >= 3, `ran ${run.cells.length} cells`);
  assert((await validateLessonExercises(lesson)) >= 1);
});
