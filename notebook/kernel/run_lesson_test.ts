import assert from "node:assert/strict";
import type { Block, Lesson } from "../course/types.ts";
import { runLessonHeadless } from "./run_lesson.ts";

function lesson(blocks: Block[]): Lesson {
  const meta = { title: "T", summary: "", objectives: [], prerequisites: [], minutes: 1, order: 1 };
  return { slug: "t", file: "lessons/t.md", meta, blocks };
}

function cell(id: string, source: string, line: number, runnable = true): Block {
  return { kind: "code", id, source, hidden: false, runnable, line };
}

Deno.test("runLessonHeadless() runs runnable cells in order and prints a line per cell", async () => {
  const lines: string[] = [];
  const run = await runLessonHeadless(
    lesson([
      cell("c1", "const n = 2;", 10),
      cell("c2", "throw new Error('display-only cells do not run')", 14, false),
      { kind: "markdown", html: "<p>x</p>", line: 18 },
      cell("c3", "if (n !== 2) throw new Error('state lost');\nn * 3", 20),
    ]),
    { log: (line) => lines.push(line) },
  );
  assert.equal(run.ok, true);
  assert.deepEqual(run.cells.map((c) => [c.cellId, c.status]), [["c1", "ok"], ["c3", "ok"]]);
  assert.equal(lines[0], "lessons/t.md: 2 cells");
  assert.match(lines[1] ?? "", /^ {2}ok {4}lessons\/t\.md:10 +\d+ ms$/);
  assert.equal(lines.length, 3);
});

Deno.test("runLessonHeadless() stops at the first error and names file:line of the cell", async () => {
  const lines: string[] = [];
  const run = await runLessonHeadless(
    lesson([
      cell("c1", "const a = 1;", 5),
      cell("c2", "const b = a;\nb.missing.field;", 9),
      cell("c3", "console.log('never')", 15),
    ]),
    { log: (line) => lines.push(line) },
  );
  assert.equal(run.ok, false);
  assert.equal(run.cells.length, 2);
  assert.equal(
    run.failure,
    "lessons/t.md:11 (line 2 of cell c2): TypeError: Cannot read properties of undefined " +
      "(reading 'field')",
  );
  assert.ok(lines.some((l) => l.startsWith("  FAIL  lessons/t.md:9")));
  assert.ok(lines.some((l) => l.includes("at cell:2:11")));
});
