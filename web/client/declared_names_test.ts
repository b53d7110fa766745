import fc from "fast-check";
import { parseCell } from "../../notebook/cell/cell_model.ts";
import { assertEquals } from "../../tests/assert.ts";
import { declaredNames, mentionsAny } from "./declared_names.ts";

Deno.test("declaredNames() finds variables, functions, classes, types and imports", () => {
  const code = `import { nn, optim as o, type Tensor } from "gradbook";
import * as d from "gradbook/datasets";
import plot from "x";
const lr = 0.1;
let [a] = [1];
function* gen() {}
class Model {}
interface Options {}
type Shape = number[];
enum Kind { A }`;
  assertEquals(
    [...declaredNames(code)].sort(),
    ["Kind", "Model", "Options", "Shape", "Tensor", "a", "d", "gen", "lr", "nn", "o", "plot"],
  );
});

Deno.test("mentionsAny() matches whole words only", () => {
  const names = new Set(["lr"]);
  assertEquals(mentionsAny("opt.step(lr)", names), true);
  assertEquals(mentionsAny("const lrs = [1]; // lr2", names), false);
});

const NAMES = ["lr", "model", "xs", "ys", "loss", "w", "b", "step", "net", "data", "k", "Tensor"];

/** Top-level statements of the kinds lesson cells use, over a small pool of names. */
const statement = fc.oneof(
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES)).map(([a, b]) => [
    `const ${a} = ${b} + 1;`,
    `let ${a};`,
    `var ${a} = [${b}];`,
    `function ${a}(p) { return p * ${b}; }`,
    `class ${a} extends Object { f() { return ${b}; } }`,
    `const { ${a}, key: ${b} } = source;`,
    `let [${a}, , ${b} = 1] = pair;`,
    `const { outer: [${a}], ...${b} } = nested;`,
    `import { ${a}, z as ${b} } from "gradbook";`,
    `import * as ${a} from "gradbook/display";`,
    `import ${a}, { q as ${b} } from "gradbook/datasets";`,
    `interface ${a} { v: ${b} }`,
    `type ${a} = ${b}[];`,
    `enum ${a} { A }`,
    `${a} = ${b};`,
    `${a} += 1;`,
    `for (const item of ${b}) ${a}(item);`,
    `${a}.fit(${b})`,
    `let t: ${b} = ${a};`,
  ]).chain((options) => fc.constantFrom(...options)),
);
const cell = fc.array(statement, { minLength: 1, maxLength: 6 }).map((lines) => lines.join("\n"));

Deno.test("declaredNames() never misses a top-level declaration the real cell model finds", () => {
  // The guess picks the cells the type checker looks at again, so it must cover what the
  // editor's virtual program shares: `topLevel` (a bare assignment `k = 1` changes no type).
  fc.assert(
    fc.property(cell, (code) => {
      const guess = declaredNames(code);
      for (const name of parseCell(code).topLevel) {
        if (!guess.has(name)) throw new Error(`missed ${name} in:\n${code}`);
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("mentionsAny() sees every name the real cell model says a cell reads", () => {
  fc.assert(
    fc.property(cell, (code) => {
      const model = parseCell(code);
      for (const name of [...model.reads, ...model.typeReads]) {
        if (!mentionsAny(code, new Set([name]))) throw new Error(`missed ${name} in:\n${code}`);
      }
    }),
    { numRuns: 500 },
  );
});
