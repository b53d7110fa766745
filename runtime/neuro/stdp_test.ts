import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../../tests/assert.ts";
import { Generator } from "../random.ts";
import { stdpWeightChange, stdpWindow } from "./stdp.ts";

Deno.test("stdpWindow() potentiates causal pairs, depresses anti-causal ones, and is 0 at 0", () => {
  assertAlmostEquals(stdpWindow(1e-9), 0.005, 1e-12);
  assertAlmostEquals(stdpWindow(-1e-9), -0.00525, 1e-12);
  assertEquals(stdpWindow(0), 0);
  assertAlmostEquals(stdpWindow(40), 0.005 * Math.exp(-2), 1e-15);
  assertAlmostEquals(stdpWindow(-10, { aMinus: 1, tauMinus: 10 }), -Math.exp(-1), 1e-15);
  assertThrows(() => stdpWindow(1, { tauPlus: 0 }), RangeError, "tauPlus must be positive");
  assertThrows(() => stdpWindow(1, { aMinus: -1 }), RangeError, "aMinus must be non-negative");
});

Deno.test("stdpWeightChange() sums the window over every pair, as a brute-force double loop does", () => {
  const g = new Generator(3);
  const train = (n: number) =>
    Array.from({ length: n }, () => g.random() * 2000).sort((a, b) => a - b);
  const pre = train(60);
  const post = train(45);
  let brute = 0;
  for (const a of pre) for (const b of post) brute += stdpWindow(b - a);
  // pairs beyond the 160 ms cutoff contribute at most e^-8 of the peak each
  assertAlmostEquals(stdpWeightChange(pre, post), brute, 60 * 45 * 0.00525 * Math.exp(-8));
  assertAlmostEquals(stdpWeightChange(pre, post, { cutoff: 1e9 }), brute, 1e-12);
  assertEquals(stdpWeightChange([], post), 0);
  assertThrows(() => stdpWeightChange([2, 1], post), RangeError, "preSpikes must be sorted");
});

Deno.test("uncorrelated trains drift by rate_pre * rate_post * T * integral of the window", () => {
  // Song, Miller & Abbott (2000): with A- tau- > A+ tau+, independent spiking depresses.
  const g = new Generator(5);
  const poisson = (rateHz: number, durationMs: number) => {
    const out: number[] = [];
    for (
      let t = -Math.log(1 - g.random()) * 1000 / rateHz;
      t < durationMs;
      t += -Math.log(1 - g.random()) * 1000 / rateHz
    ) {
      out.push(t);
    }
    return out;
  };
  const duration = 1_000_000, rate = 20;
  let total = 0;
  const synapses = 20;
  for (let k = 0; k < synapses; k++) {
    total += stdpWeightChange(poisson(rate, duration), poisson(rate, duration));
  }
  const expected = (rate / 1000) ** 2 * duration * (0.005 * 20 - 0.00525 * 20);
  assert(total / synapses < 0, `mean drift ${total / synapses}`);
  assert(
    Math.abs(total / synapses - expected) < 0.3 * Math.abs(expected),
    `${total / synapses} vs ${expected}`,
  );
});
