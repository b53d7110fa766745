import assert from "node:assert/strict";
import { parseLesson, toPublicLesson } from "../../notebook/course/parse_lesson.ts";
import { lessonCellNames } from "./cell_names.ts";

const LESSON = `---
title: Names
summary: Two cells.
objectives: []
minutes: 1
order: 1
---

\`\`\`ts
const rate = 0.1;
\`\`\`

\`\`\`ts
const step = rate * 2;
\`\`\`
`;

Deno.test("a lesson page's cell names are parsed once per source, not on every load", () => {
  const lesson = toPublicLesson(parseLesson(LESSON, "01-names.md"));
  const first = lessonCellNames(lesson, {});
  const again = lessonCellNames(lesson, {});
  assert.deepEqual(first.c2, { declares: ["step"], reads: ["rate"] });
  // The same object: TypeScript did not parse the cell again.
  assert.equal(again.c2, first.c2);
  const edited = lessonCellNames(lesson, { c2: "const step = rate * 3 + bonus;" });
  assert.deepEqual([...edited.c2!.reads].sort(), ["bonus", "rate"]);
  assert.equal(edited.c1, first.c1);
});
