import { assertEquals } from "../../runtime/testing/assert.ts";
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
    ["Kind", "Model", "Options", "Shape", "Tensor", "d", "gen", "lr", "nn", "o", "plot"],
  );
});

Deno.test("mentionsAny() matches whole words only", () => {
  const names = new Set(["lr"]);
  assertEquals(mentionsAny("opt.step(lr)", names), true);
  assertEquals(mentionsAny("const lrs = [1]; // lr2", names), false);
});
