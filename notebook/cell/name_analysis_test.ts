import assert from "node:assert/strict";
import { parseCell } from "./cell_model.ts";
import type { CellAnalysis } from "./name_analysis.ts";

/** Golden cases: a cell's source and the names it must declare and read. */
const CASES: { name: string; source: string; expected: Partial<CellAnalysis> }[] = [
  {
    name: "destructuring declares every bound name and reads defaults",
    source: "const { a, b: [c, d = e], ...rest } = obj;\nlet [x, , y] = arr;",
    expected: { declares: ["a", "c", "d", "rest", "x", "y"], reads: ["arr", "e", "obj"] },
  },
  {
    name: "a function declares its name; parameters and locals stay inside",
    source: "function f(p, q = r) {\n  const local = p + q + g;\n  return local;\n}",
    expected: { declares: ["f"], reads: ["g", "r"] },
  },
  {
    name: "a class reads its base and what its members use, not its own name or this",
    source:
      "class Net extends Base {\n  w = init();\n  forward(x) { return this.w * x + bias; }\n" +
      "  static make() { return new Net(); }\n}",
    expected: { declares: ["Net"], reads: ["Base", "bias", "init"] },
  },
  {
    name: "inner scopes shadow outer names and block bindings do not leak",
    source: "const y = 1;\nfunction h(x) { const y = x; return y + z; }\n{ let z = 2; w(z); }\n" +
      "try { risky(); } catch (err) { log(err); }",
    expected: { declares: ["h", "y"], reads: ["log", "risky", "w", "z"] },
  },
  {
    name: "value imports are declarations, type-only imports are not",
    source: 'import { plot, display as show } from "gradbook/display";\n' +
      'import * as gb from "gradbook";\nimport type { Tensor } from "gradbook";\n' +
      'import { type Module, nn } from "gradbook";\nlet t: Tensor; let m: Module;',
    expected: { declares: ["gb", "m", "nn", "plot", "show", "t"], reads: [], typeReads: [] },
  },
  {
    name: "names used only as types are type reads, not runtime reads",
    source: "const m: Model = build(cfg) as Trained;\ntype Pair = [Left, number];\n" +
      "interface Box { v: Inner }\nlet k: typeof cfg2;\nconst p: Pair = [m, 1];",
    expected: {
      declares: ["k", "m", "p"],
      reads: ["build", "cfg"],
      typeReads: ["Inner", "Left", "Model", "Trained", "cfg2"],
    },
  },
  {
    name: "well-known globals are ignored",
    source: "console.log(Math.max(...xs));\nconst t = performance.now();\nnew Float32Array(n);",
    expected: { declares: ["t"], reads: ["n", "xs"] },
  },
  {
    name: "top-level assignments to outer names count as declarations",
    source: "count += 1;\ntotal = 0;\nfor (item of items) {}\nobj.field = 2;\n" +
      "function bump() { hits++; }",
    expected: {
      declares: ["bump", "count", "item", "total"],
      reads: ["count", "hits", "items", "obj"],
    },
  },
  {
    name: "hoisted functions and vars are known before their line",
    source: "f();\nfunction f() { return g(); }\nif (ok) { var v = 1; }",
    expected: { declares: ["f", "v"], reads: ["g", "ok"] },
  },
  {
    name: "loop variables are local to the loop",
    source: "for (let i = 0; i < n; i++) { const sq = i * i; acc.push(sq); }",
    expected: { declares: [], reads: ["acc", "n"] },
  },
  {
    name: "object keys and property names are not reads, shorthand values are",
    source: "const o = { lr, momentum: beta, [key]: 1, step() { return lr2; } };\no.lr;",
    expected: { declares: ["o"], reads: ["beta", "key", "lr", "lr2"] },
  },
  {
    name: "arrow parameters with destructuring shadow outer names",
    source: "const loss = ({ pred, target }, w = scale) => (pred - target) ** 2 * w;",
    expected: { declares: ["loss"], reads: ["scale"] },
  },
  {
    name: "a widget cell declares its value and reads input",
    source: 'const lr = await input.slider({ label: "lr", min: 0, max: 1, value: 0.1 });\nlr',
    expected: { declares: ["lr"], reads: ["input"] },
  },
  {
    name: "a name declared and read in the same cell is not a read",
    source: "let steps = 0;\nwhile (steps < limit) steps++;",
    expected: { declares: ["steps"], reads: ["limit"] },
  },
];

for (const { name, source, expected } of CASES) {
  Deno.test(`parseCell(): ${name}`, () => {
    const actual = parseCell(source);
    for (const key of Object.keys(expected) as (keyof CellAnalysis)[]) {
      assert.deepEqual(actual[key], expected[key], `${key} of:\n${source}`);
    }
  });
}

Deno.test("parseCell() does not throw on a syntax error and keeps what it could read", () => {
  const actual = parseCell("const a = b +;\nconst c = (");
  assert.ok(actual.declares.includes("a"));
  assert.ok(actual.reads.includes("b"));
});
