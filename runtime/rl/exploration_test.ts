import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { tensor } from "../tensor.ts";
import { epsilonGreedy, exponentialSchedule, linearSchedule } from "./exploration.ts";

Deno.test("epsilonGreedy() picks the greedy action with probability 1 - ε + ε/n", () => {
  const generator = new Generator(123);
  const counts = [0, 0, 0, 0];
  const trials = 20_000;
  for (let i = 0; i < trials; i++) counts[epsilonGreedy([0.1, 0.7, 0.3, -1], 0.2, generator)]!++;
  // Greedy: 0.8 + 0.2 / 4 = 0.85; each other action 0.05. Std of a frequency <= 0.0036.
  assertAlmostEquals(counts[1]! / trials, 0.85, 0.015);
  for (const a of [0, 2, 3]) assertAlmostEquals(counts[a]! / trials, 0.05, 0.01);
  // The same seed gives the same choices.
  const draw = (seed: number) => {
    const g = new Generator(seed);
    return Array.from({ length: 20 }, () => epsilonGreedy([1, 2, 3], 0.5, g));
  };
  assertEquals(draw(5), draw(5));
});

Deno.test("epsilonGreedy() is greedy at ε = 0 and breaks ties at random", () => {
  const generator = new Generator(0);
  for (let i = 0; i < 100; i++) assertEquals(epsilonGreedy([0, 5, 2], 0, generator), 1);
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) seen.add(epsilonGreedy([3, 1, 3, 3], 0, generator));
  assertEquals([...seen].sort(), [0, 2, 3]);
  assertEquals(epsilonGreedy(tensor([0, 0, 9]), 0, generator), 2);
  assertEquals(epsilonGreedy(new Float64Array([-2, -1]), 0, generator), 1);
});

Deno.test("epsilonGreedy() reports empty, NaN and out-of-range inputs", () => {
  assertThrows(() => epsilonGreedy([], 0.1), RangeError, "qValues is empty");
  assertThrows(() => epsilonGreedy([1, NaN], 0), RangeError, "qValues[1] is NaN");
  assertThrows(() => epsilonGreedy([1], 1.5), RangeError, "epsilon must be in [0, 1], got 1.5");
});

Deno.test("linearSchedule() hits its endpoints and stays at the end", () => {
  const epsilon = linearSchedule({ start: 1, end: 0.05, duration: 1000 });
  assertEquals(epsilon(0), 1);
  assertAlmostEquals(epsilon(500), 0.525, 1e-15);
  assertEquals(epsilon(1000), 0.05);
  assertEquals(epsilon(10 ** 6), 0.05);
  assertEquals(epsilon(-5), 1);
  assertThrows(() => linearSchedule({ start: 1, end: 0, duration: 0 }), RangeError, "positive");
});

Deno.test("exponentialSchedule() starts at start, shrinks the gap by e per decay, tends to end", () => {
  const epsilon = exponentialSchedule({ start: 0.9, end: 0.05, decay: 1000 });
  assertEquals(epsilon(0), 0.9);
  assertAlmostEquals(epsilon(1000), 0.05 + 0.85 / Math.E, 1e-15);
  assertAlmostEquals(epsilon(100_000), 0.05, 1e-15);
  for (let t = 1; t < 5000; t += 250) assert(epsilon(t) < epsilon(t - 1));
  assertThrows(() => exponentialSchedule({ start: 1, end: 0, decay: -1 }), RangeError, "positive");
});
