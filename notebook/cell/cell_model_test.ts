import assert from "node:assert/strict";
import { parseCell } from "./cell_model.ts";

Deno.test("parseCell() lists every kind of top-level declaration in order, not nested ones", () => {
  const source = [
    'import def, { a as b, type T } from "gradbook";',
    'import * as ns from "gradbook/display";',
    "const { c, d: [e, , f = 1], ...g } = obj;",
    "let h; var i = 0;",
    "function j() { const nested = 1; }",
    "class K {} enum L { A } interface M {} type N = number; namespace O {}",
    "export const p = 1;",
    "declare const q: number;",
    "for (const loopVariable of []) {}",
  ].join("\n");
  const names = parseCell(source);
  assert.deepEqual(names.topLevel, [
    "def",
    "b",
    "T",
    "ns",
    "c",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "K",
    "L",
    "M",
    "N",
    "O",
    "p",
    "q",
  ]);
  assert.deepEqual(names.exported, ["p"]);
});

Deno.test("parseCell() finds static and literal dynamic imports", () => {
  const cell = parseCell(
    'import { nn } from "gradbook";\nimport type { Tensor } from "gradbook";\n' +
      'const m = await import("gradbook/display");\nconst dyn = await import(name);',
  );
  assert.deepEqual(cell.imports, ["gradbook", "gradbook", "gradbook/display"]);
});

Deno.test("parseCell() says whether the last line is a value", () => {
  assert.equal(parseCell("const x = 1;\nx + 1").hasResult, true);
  assert.equal(parseCell("const x = 1;\nx + 1;").hasResult, false);
  assert.equal(parseCell("const x = 1").hasResult, false);
  assert.equal(parseCell("").hasResult, false);
  assert.equal(parseCell("f(1) // a comment").hasResult, true);
});

Deno.test("parseCell() lists the values a cell defines: no imports, types or declare", () => {
  const cell = parseCell(
    "import { tensor } from 'gradbook';\nconst [a, { b }] = [1, { b: 2 }];\nfunction f() {}\n" +
      "function g(): void;\nclass C {}\ndeclare const d: number;\ninterface I {}\nlet e;",
  );
  assert.deepEqual(cell.values, ["a", "b", "f", "C", "e"]);
});
