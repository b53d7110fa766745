import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { binSpikes, countsToRates, firingRate, poissonCount, poissonSpikeTrain } from "./spikes.ts";

Deno.test("poissonSpikeTrain() has mean count rate*T, Fano factor 1 and ISI CV 1", () => {
  const g = new Generator(3);
  const counts: number[] = [];
  const intervals: number[] = [];
  for (let trial = 0; trial < 2000; trial++) {
    const times = poissonSpikeTrain(40, 500, g);
    counts.push(times.length);
  }
  // intervals from one long train: inside short windows long intervals would be cut off
  const long = poissonSpikeTrain(40, 200_000, g);
  for (let i = 1; i < long.length; i++) intervals.push(long[i]! - long[i - 1]!);
  const mean = counts.reduce((a, b) => a + b) / counts.length;
  const variance = counts.reduce((s, c) => s + (c - mean) ** 2, 0) / (counts.length - 1);
  assertAlmostEquals(mean, 20, 0.4);
  assertAlmostEquals(variance / mean, 1, 0.1);
  const isiMean = intervals.reduce((a, b) => a + b) / intervals.length;
  const isiSd = Math.sqrt(intervals.reduce((s, x) => s + (x - isiMean) ** 2, 0) / intervals.length);
  assertAlmostEquals(isiMean, 25, 0.6);
  assertAlmostEquals(isiSd / isiMean, 1, 0.05);
});

Deno.test("poissonSpikeTrain() is reproducible from a seed and sorted", () => {
  const a = poissonSpikeTrain(30, 1000, new Generator(9));
  assertEquals(a, poissonSpikeTrain(30, 1000, new Generator(9)));
  for (let i = 1; i < a.length; i++) assert(a[i]! > a[i - 1]!);
  assert(a.every((t) => t >= 0 && t < 1000));
  assertEquals(poissonSpikeTrain(0, 1000), []);
});

Deno.test("poissonCount() has the requested mean and variance, also for large means", () => {
  const g = new Generator(5);
  for (const m of [0.5, 8, 120]) {
    const xs = Array.from({ length: 4000 }, () => poissonCount(m, g));
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    assertAlmostEquals(mean, m, 0.06 * m + 0.03);
    assertAlmostEquals(variance / m, 1, 0.1);
  }
});

Deno.test("binSpikes() counts spikes per half-open bin and drops those outside", () => {
  assertEquals(binSpikes([1, 2, 10, 25, 30, -1], { binWidth: 10, duration: 30 }), [2, 1, 1]);
  assertEquals(binSpikes([5, 15], { binWidth: 10, duration: 20, start: 10 }), [1]);
  assertThrows(() => binSpikes([], { binWidth: 0, duration: 10 }), RangeError, "binWidth");
});

Deno.test("firingRate() and countsToRates() convert counts to Hz", () => {
  assertEquals(firingRate([100, 300, 700, 1200], 0, 1000), 3);
  assertEquals(countsToRates([2, 0, 5], 50), [40, 0, 100]);
  assertThrows(() => firingRate([], 5, 5), RangeError, "end (5) must exceed start (5)");
});
