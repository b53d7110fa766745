import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { cosineSimilarity, hebbStep, ojaStep, vectorNorm } from "./hebbian.ts";

// Zero-mean 2-D Gaussian with covariance [[3, 1], [1, 2]]; its top eigenvector has angle
// atan2(lambda1 - 3, 1) with lambda1 = (5 + sqrt(5)) / 2.
function sample(g: Generator): number[] {
  // Cholesky factor of [[3, 1], [1, 2]]
  const a = g.normal();
  const b = g.normal();
  const l11 = Math.sqrt(3);
  const l21 = 1 / l11;
  const l22 = Math.sqrt(2 - l21 * l21);
  return [l11 * a, l21 * a + l22 * b];
}

Deno.test("hebbStep() and ojaStep() apply their update formulas", () => {
  const w = [0.5, 0];
  assertEquals(hebbStep(w, [1, 1], 0.1), 0.5);
  assertEquals(w, [0.55, 0.05]);
  const v = new Float64Array([0.5, 0]);
  assertEquals(ojaStep(v, [1, 1], 0.1), 0.5);
  assertAlmostEquals(v[0]!, 0.5375, 1e-15);
  assertAlmostEquals(v[1]!, 0.05, 1e-15);
  assertThrows(() => ojaStep([1, 2], [1], 0.1), RangeError, "weights have 2 entries");
});

Deno.test("Oja's rule converges to the unit top eigenvector of the input covariance", () => {
  const g = new Generator(1);
  const w = new Float64Array([0.1, -0.3]);
  for (let t = 0; t < 20000; t++) ojaStep(w, sample(g), 0.002);
  const lambda1 = (5 + Math.sqrt(5)) / 2;
  const top = [1, lambda1 - 3];
  assert(Math.abs(cosineSimilarity(w, top)) > 0.995, `cos = ${cosineSimilarity(w, top)}`);
  assertAlmostEquals(vectorNorm(w), 1, 0.05);
});

Deno.test("plain Hebbian learning grows the weight norm without bound", () => {
  const g = new Generator(1);
  const w = [0.1, -0.3];
  for (let t = 0; t < 2000; t++) hebbStep(w, sample(g), 0.002);
  assert(vectorNorm(w) > 100, `norm ${vectorNorm(w)}`);
});
