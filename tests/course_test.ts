import { assertEquals } from "../runtime/testing/assert.ts";
import { loadCourse } from "../notebook/course/parse_lesson.ts";

Deno.test("every lesson in lessons/ parses, with its math rendered by KaTeX", async () => {
  const { lessons, errors } = await loadCourse("lessons");
  assertEquals(errors.map((e) => e.message), []);
  assertEquals(lessons.length > 0, true);
});
