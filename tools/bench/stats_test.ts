import { assertAlmostEquals, assertEquals, assertThrows } from "../../runtime/testing/assert.ts";
import { fitExponent, median } from "./stats.ts";

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
