import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { discountedReturns } from "./returns.ts";

function assertClose(actual: number[], expected: number[], tolerance = 1e-12): void {
  assertEquals(actual.length, expected.length);
  actual.forEach((value, i) => assertAlmostEquals(value, expected[i]!, tolerance));
}

Deno.test("discountedReturns() matches hand-computed returns", () => {
  // G2 = 3; G1 = 0 + 0.5 * 3 = 1.5; G0 = 1 + 0.5 * 1.5 = 1.75
  assertClose(discountedReturns([1, 0, 3], 0.5), [1.75, 1.5, 3]);
  assertClose(discountedReturns([1, 1, 1], 0.9), [2.71, 1.9, 1]);
  assertEquals(discountedReturns([1, 2, 3], 1), [6, 5, 3]);
  assertEquals(discountedReturns([1, 2, 3], 0), [1, 2, 3]);
  assertEquals(discountedReturns([], 0.9), []);
});

Deno.test("discountedReturns() stops at episode ends", () => {
  // Two episodes: [1, 1] then [2, 2].
  assertClose(
    discountedReturns([1, 1, 2, 2], 0.5, { episodeEnds: [false, true, false, true] }),
    [1.5, 1, 3, 2],
  );
  assertThrows(
    () => discountedReturns([1, 2], 0.5, { episodeEnds: [true] }),
    RangeError,
    "episodeEnds has 1 entries for 2 rewards",
  );
});

Deno.test("discountedReturns() normalizes like PyTorch's REINFORCE example (unbiased std)", () => {
  // Returns [3, 2, 1]: mean 2, unbiased std 1.
  const normalized = discountedReturns([1, 1, 1], 1, { normalize: true });
  const scale = 1 + 2 ** -23;
  assertClose(normalized, [1 / scale, 0, -1 / scale]);
  assertEquals(discountedReturns([5], 0.9, { normalize: true }), [0]);
  assertThrows(() => discountedReturns([1], 1.1), RangeError, "gamma must be in [0, 1], got 1.1");
});
