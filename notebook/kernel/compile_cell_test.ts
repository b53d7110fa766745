import assert from "node:assert/strict";
import { CellSyntaxError, compileCell } from "./compile_cell.ts";
import { mapStack } from "./map_stack.ts";

Deno.test("compileCell() turns top-level declarations into globalThis assignments", () => {
  const { js } = compileCell(
    "const x: number = 1;\nlet { a, b: [c = 2, ...rest] } = o;\nvar v;\nclass A {}\nfunction f() {}",
  );
  assert.match(js, /globalThis\.x = 1;/);
  assert.match(
    js,
    /\(\{ a: globalThis\.a, b: \[globalThis\.c = 2, \.\.\.globalThis\.rest\] \} = o\);/,
  );
  assert.match(js, /globalThis\.v = globalThis\.v;/);
  assert.match(js, /globalThis\.A = class A \{/);
  assert.match(js, /globalThis\.f = f;[\s\S]*function f\(\) \{ \}/);
  assert.doesNotMatch(js, /\b(const|let) (x|a)\b/);
});

Deno.test("compileCell() keeps loop and block declarations local", () => {
  const { js } = compileCell("for (let i = 0; i < 2; i++) { const y = i; }");
  assert.match(js, /for \(let i = 0;/);
  assert.match(js, /const y = i;/);
});

Deno.test("compileCell() routes every import through the helper", () => {
  const { js } = compileCell(
    "import { tensor as t, type Tensor } from 'gradbook';\nimport * as d from 'gradbook/display';\n" +
      "import type { X } from 'gradbook';\nconst m = () => import('npm:x');",
  );
  assert.match(
    js,
    /const __gbm0 = await __gb\.import\("gradbook"\);\nglobalThis\.t = __gbm0\.tensor;/,
  );
  assert.match(js, /globalThis\.d = __gbm1;/);
  assert.match(js, /globalThis\.m = \(\) => __gb\.import\('npm:x'\);/);
  assert.doesNotMatch(js, /Tensor|\bX\b|^import|export \{\}/m);
});

Deno.test("compileCell() returns the last expression unless it ends with a semicolon", () => {
  assert.equal(compileCell("const a = 1;\na + 1").hasResult, true);
  assert.match(compileCell("a + 1").js, /return a \+ 1;/);
  assert.equal(compileCell("a + 1;").hasResult, false);
  assert.equal(compileCell("a + 1 // note").hasResult, true);
  assert.equal(compileCell("const a = 1").hasResult, false);
  assert.equal(compileCell("").hasResult, false);
});

Deno.test("compileCell() reports a syntax error with its line and column", () => {
  assert.throws(() => compileCell("let ok = 1;\nconst = 2;"), (error: unknown) => {
    assert.ok(error instanceof CellSyntaxError);
    assert.equal(error.line, 2);
    assert.equal(error.column, 7);
    return true;
  });
});

Deno.test("CompiledCell.map() maps emitted lines back past removed type declarations", () => {
  const cell = compileCell(
    "interface P {\n  a: number;\n}\ntype Q = P;\nconst q: Q = { a: 1 };\nq.a.b.c",
  );
  const lines = cell.js.split("\n");
  const emitted = lines.findIndex((l) => l.includes("q.a.b.c")) + 1;
  assert.deepEqual(cell.map(emitted, lines[emitted - 1]!.indexOf("q.a") + 1), {
    line: 6,
    column: 1,
  });
});

Deno.test("mapStack() shows cell and runtime frames and drops kernel and internal ones", () => {
  const root = "file:///srv/gradbook/";
  const cell = {
    cellId: "c3",
    map: (line: number, column: number) => ({ line: line - 1, column }),
  };
  const mapped = mapStack(
    [
      "RangeError: bad shape in file:///srv/gradbook/runtime/tensor.ts",
      "    at Tensor.view (file:///srv/gradbook/runtime/tensor.ts:10:5)",
      "    at helper (gbcell-1:4:2)",
      "    at Module.default (gbcell-2:3:7)",
      "    at run (file:///srv/gradbook/kernel/cell_worker.ts:150:3)",
      "    at ext:deno_web/02_event.js:1:1",
    ].join("\n"),
    (tag) => (tag === "gbcell-1" || tag === "gbcell-2" ? cell : undefined),
    "gbcell-2",
    root,
  );
  assert.equal(
    mapped.stack,
    [
      "RangeError: bad shape in gradbook/runtime/tensor.ts",
      "    at Tensor.view (gradbook/runtime/tensor.ts:10:5)",
      "    at helper (cell c3:3:2)",
      "    at cell:2:7",
    ].join("\n"),
  );
  assert.equal(mapped.line, 2);
  assert.equal(mapped.column, 7);
});
