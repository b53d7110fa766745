/**
 * Turns the checks an answer ran into the score and the check list a learner sees: the checks'
 * points are scaled so that they add up to the exercise's points (the header's number), and a
 * failed hidden test names the property it checks, never the values it expected.
 *
 * @module
 */
import type { GradedCheck } from "./types.ts";

const cents = (x: number) => Math.round(x * 100);

/**
 * Scales each check's points (authored weights) so that they add up to `exercisePoints`, in
 * hundredths, the rounding remainder going to the largest fractions first; a passed check earns
 * its scaled points. The score is the sum of what was earned, so the list and the total agree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scoreChecks } from "./score.ts";
 * const check = (passed: boolean) =>
 *   ({ name: "n", passed, points: 1, earned: passed ? 1 : 0, message: "", elapsedMs: 0, visible: true });
 * const { checks, score } = scoreChecks([check(true), check(true), check(false)], 2);
 * assert.deepEqual(checks.map((c) => c.points), [0.67, 0.67, 0.66]);
 * assert.equal(score, 1.34);
 * ```
 */
export function scoreChecks(
  checks: readonly GradedCheck[],
  exercisePoints: number,
): { checks: GradedCheck[]; score: number } {
  const weight = checks.reduce((sum, c) => sum + c.points, 0);
  if (checks.length === 0 || !(weight > 0)) {
    return { checks: checks.map((c) => ({ ...c, points: 0, earned: 0 })), score: 0 };
  }
  const exact = checks.map((c) => cents(exercisePoints) * c.points / weight);
  const shares = exact.map(Math.floor);
  let left = cents(exercisePoints) - shares.reduce((sum, s) => sum + s, 0);
  const byRemainder = exact.map((x, i) => ({ i, rest: x - Math.floor(x) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i]! += 1;
    left--;
  }
  const scaled = checks.map((c, i) => {
    const points = shares[i]! / 100;
    return { ...c, points, earned: c.passed ? points : 0 };
  });
  const earned = scaled.reduce((sum, c) => sum + cents(c.earned), 0);
  return { checks: scaled, score: earned / 100 };
}

/**
 * What a learner may see of a check: a visible check keeps its message (examples may show
 * values); a failed hidden test says only which property failed (its name, written by the
 * lesson as a property such as "wrong for negative inputs").
 */
export function forLearner(check: GradedCheck): GradedCheck {
  if (check.visible || check.passed) return check;
  return { ...check, message: `Hidden test failed: ${check.name.replace(/[.\s]+$/, "")}.` };
}

/**
 * The rule for revealed solutions: once a learner reveals an exercise's reference solution,
 * that exercise counts for at most this fraction of its points (in the notebook's check results
 * and in `deno task grade`'s gradebook).
 */
export const REVEALED_SOLUTION_CAP = 0.5;

/** The sentence the UI and the results show for {@link REVEALED_SOLUTION_CAP}. */
export const REVEALED_SOLUTION_RULE = `Revealing the solution caps this exercise at ${
  REVEALED_SOLUTION_CAP * 100
}% of its points.`;

/**
 * Applies {@link REVEALED_SOLUTION_CAP}: the score, and whether the cap lowered it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { capRevealed } from "./score.ts";
 * assert.deepEqual(capRevealed(3, 3, true), { score: 1.5, capped: true });
 * assert.deepEqual(capRevealed(1, 3, true), { score: 1, capped: false });
 * assert.deepEqual(capRevealed(3, 3, false), { score: 3, capped: false });
 * ```
 */
export function capRevealed(
  score: number,
  maxScore: number,
  revealed: boolean,
): { score: number; capped: boolean } {
  const cap = Math.floor(cents(maxScore) * REVEALED_SOLUTION_CAP) / 100;
  return revealed && score > cap ? { score: cap, capped: true } : { score, capped: false };
}
