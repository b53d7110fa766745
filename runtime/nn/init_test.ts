import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { type Tensor, zeros } from "../tensor.ts";
import { init } from "./mod.ts";

function stats(t: Tensor): { mean: number; std: number; maxAbs: number } {
  const v = t.toFlatArray();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, maxAbs: Math.max(...v.map(Math.abs)) };
}

Deno.test("calculateGain() gives torch.nn.init.calculate_gain's values", () => {
  assertAlmostEquals(init.calculateGain("tanh"), 1.6666666666666667, 1e-15);
  assertAlmostEquals(init.calculateGain("leaky_relu"), 1.4141428569978354, 1e-15);
  assertAlmostEquals(init.calculateGain("leakyRelu", 0.2), 1.3867504905630728, 1e-15);
  assertAlmostEquals(init.calculateGain("relu"), Math.SQRT2, 1e-15);
  assertEquals(init.calculateGain("selu"), 0.75);
  assertEquals(init.calculateGain("sigmoid"), 1);
});

Deno.test("computeFans() reads [out, in, ...kernel] and rejects 1-D tensors", () => {
  assertEquals(init.computeFans(zeros([3, 5])), [5, 3]);
  assertEquals(init.computeFans(zeros([4, 2, 3, 3])), [18, 36]);
  assertThrows(() => init.computeFans(zeros([3])), RangeError, "at least 2 dimensions, got [3]");
});

Deno.test("xavierUniform_() and kaimingUniform_() stay within their bounds and fill them", () => {
  const w = init.xavierUniform_(zeros([200, 100]), 2);
  const bound = 2 * Math.sqrt(6 / 300);
  const s = stats(w);
  assert(s.maxAbs <= bound && s.maxAbs > 0.99 * bound, `max |w| ${s.maxAbs}, bound ${bound}`);
  assertAlmostEquals(s.std, bound / Math.sqrt(3), 0.02 * bound);
  const k = init.kaimingUniform_(zeros([300, 50]), { nonlinearity: "relu", mode: "fanOut" });
  const kb = Math.SQRT2 * Math.sqrt(3 / 300);
  assert(stats(k).maxAbs <= kb && stats(k).maxAbs > 0.99 * kb);
});

Deno.test("xavierNormal_() and kaimingNormal_() have the prescribed standard deviation", () => {
  const x = init.xavierNormal_(zeros([300, 100]));
  assertAlmostEquals(stats(x).std, Math.sqrt(2 / 400), 0.002);
  assertAlmostEquals(stats(x).mean, 0, 0.002);
  const k = init.kaimingNormal_(zeros([100, 400]), { nonlinearity: "relu" });
  assertAlmostEquals(stats(k).std, Math.SQRT2 / 20, 0.002);
});

Deno.test("constant_(), zeros_() and ones_() fill in place; a generator makes init reproducible", () => {
  const t = zeros([2, 2]);
  assert(init.constant_(t, 3) === t);
  assertEquals(t.toArray(), [[3, 3], [3, 3]]);
  assertEquals(init.zeros_(t).toFlatArray(), [0, 0, 0, 0]);
  assertEquals(init.ones_(t).toFlatArray(), [1, 1, 1, 1]);
  const a = init.kaimingNormal_(zeros([4, 4]), { generator: new Generator(9) });
  const b = init.kaimingNormal_(zeros([4, 4]), { generator: new Generator(9) });
  assertEquals(a.toArray(), b.toArray());
});
