import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { angularError, DirectionTunedPopulation, populationVector } from "./population.ts";

Deno.test("DirectionTunedPopulation.rates() follows cosine tuning b + k cos(theta - theta_i)", () => {
  const pop = new DirectionTunedPopulation({ size: 4, baseline: 10, modulation: 5 });
  assertEquals(pop.preferred, [0, Math.PI / 2, Math.PI, 1.5 * Math.PI]);
  const r = pop.rates(0);
  for (const [i, x] of [15, 10, 5, 10].entries()) assertAlmostEquals(r[i]!, x, 1e-12);
  const clipped = new DirectionTunedPopulation({ size: 2, baseline: 2, modulation: 5 });
  assertEquals(clipped.rates(0)[1], 0);
});

Deno.test("populationVector() decodes noise-free rates of an even population exactly", () => {
  const pop = new DirectionTunedPopulation({ size: 12 });
  for (const theta of [0, 0.7, 2.5, -2.9]) {
    const decoded = populationVector(pop.rates(theta), pop.preferred, pop.baseline);
    assertAlmostEquals(angularError(decoded, theta), 0, 1e-12);
  }
});

Deno.test("populationVector() error shrinks with longer counting windows", () => {
  const g = new Generator(11);
  const pop = new DirectionTunedPopulation({ size: 32 });
  const meanError = (windowMs: number) => {
    let e = 0;
    for (let t = 0; t < 300; t++) {
      const theta = (g.random() * 2 - 1) * Math.PI;
      const counts = pop.sampleCounts(theta, windowMs, g);
      const base = (pop.baseline * windowMs) / 1000;
      e += angularError(populationVector(counts, pop.preferred, base), theta);
    }
    return e / 300;
  };
  const short = meanError(50);
  const long = meanError(1000);
  assert(long < short / 2.5, `50 ms: ${short} rad, 1000 ms: ${long} rad`);
  assert(long < 0.1, `1000 ms error ${long} rad`);
});

Deno.test("angularError() wraps around the circle", () => {
  assertAlmostEquals(angularError(3, -3), 2 * Math.PI - 6, 1e-12);
  assertAlmostEquals(angularError(0.1, 0.1 + 4 * Math.PI), 0, 1e-12);
  assertThrows(() => populationVector([1], [0, 1]), RangeError, "1 rates but 2 preferred");
});
