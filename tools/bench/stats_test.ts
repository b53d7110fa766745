import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "../../runtime/testing/assert.ts";
import { fitExponent, measure, measurePair, median } from "./stats.ts";

Deno.test("median() takes the middle of an odd count without sorting its input in place", () => {
  const values = [9, 1, 5, 3, 7];
  assertEquals(median(values), 5);
  assertEquals(values, [9, 1, 5, 3, 7]);
});

Deno.test("median() averages the middle two of an even count", () => {
  assertEquals(median([4, 1, 3, 2]), 2.5);
});

Deno.test("median() of no values throws a RangeError", () => {
  assertThrows(() => median([]), RangeError, "no values");
});

Deno.test("fitExponent() recovers the power of an exact power law", () => {
  assertAlmostEquals(fitExponent([128, 256, 512, 1024], [2, 4, 8, 16]), 1, 1e-12);
  assertAlmostEquals(fitExponent([1, 2, 3], [5, 5 * 2 ** 1.5, 5 * 3 ** 1.5]), 1.5, 1e-12);
});

Deno.test("fitExponent() gives the least-squares slope on noisy points", () => {
  // log2 x = 0, 1, 2 and log2 y = 0, 2, 2 fit a slope of exactly 1.
  assertAlmostEquals(fitExponent([1, 2, 4], [1, 4, 4]), 1, 1e-12);
});

Deno.test("fitExponent() rejects too few, mismatched or non-positive points", () => {
  assertThrows(() => fitExponent([1], [1]), RangeError, "at least two");
  assertThrows(() => fitExponent([1, 2], [1]), RangeError, "equal count");
  assertThrows(() => fitExponent([1, 2], [0, 1]), RangeError, "positive");
  assertThrows(() => fitExponent([2, 2], [1, 3]), RangeError, "all x are equal");
});

/** A clock the workloads move: each call "takes" the milliseconds it adds. */
function fakeClock() {
  let now = 0;
  return { clock: { now: () => now }, spend: (ms: number) => (now += ms) };
}

Deno.test("measure() warms up for warmupMs before it times anything (a steady state, not a cold one)", () => {
  // A workload whose first 30 ms are slow (as a fresh process's first allocations fault in
  // their pages), then fast: only the fast calls may be timed.
  const { clock, spend } = fakeClock();
  let calls = 0;
  const step = () => {
    calls++;
    spend(clock.now() < 30 ? 2 : 0.2);
  };
  const options = { quick: false, warmup: 1, warmupMs: 40, samples: 5, minSampleMs: 2 };
  assertAlmostEquals(measure(step, options, clock), 0.2, 1e-9);
  assert(calls > 40, `${calls} calls`);
  // Without the warm-up by time, the slow start is what gets timed.
  const cold = fakeClock();
  const coldStep = () => cold.spend(cold.clock.now() < 30 ? 2 : 0.2);
  assertAlmostEquals(measure(coldStep, { ...options, warmupMs: 0 }, cold.clock), 2, 1e-9);
});

Deno.test("measurePair() alternates two workloads, so a machine slowing down mid-run leaves their ratio alone", () => {
  // Every call gets slower as time passes (1× at the start, 3× after 30 ms); B always costs
  // half of A. Timed one after the other, A would run while fast and B while slow.
  const { clock, spend } = fakeClock();
  const slowdown = () => 1 + clock.now() / 15;
  const pair = measurePair(() => spend(0.2 * slowdown()), () => spend(0.1 * slowdown()), {
    quick: false,
    warmup: 1,
    warmupMs: 0,
    samples: 7,
    minSampleMs: 1,
  }, clock);
  assert(pair.ratio > 1.8 && pair.ratio < 2.2, `paired ratio ${pair.ratio}`);
});
