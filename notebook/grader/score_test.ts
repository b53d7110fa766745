import assert from "node:assert/strict";
import type { GradedCheck } from "../../runtime/testing/types.ts";
import { forLearner, scoreChecks } from "./score.ts";

const check = (name: string, passed: boolean, points = 1, visible = true): GradedCheck => ({
  name,
  passed,
  points,
  earned: passed ? points : 0,
  message: passed ? "" : `expected 0.25, got 0.5`,
  elapsedMs: 1,
  visible,
});

Deno.test("scoreChecks() scales check points so they add up to the exercise's points", () => {
  const { checks, score } = scoreChecks([check("a", true), check("b", true), check("c", false)], 2);
  assert.deepEqual(checks.map((c) => c.points), [0.67, 0.67, 0.66]);
  assert.equal(checks.reduce((sum, c) => sum + c.points, 0).toFixed(2), "2.00");
  assert.deepEqual(checks.map((c) => c.earned), [0.67, 0.67, 0]);
  assert.equal(score, 1.34);
});

Deno.test("scoreChecks() keeps authored weights and gives the full points when all pass", () => {
  const { checks, score } = scoreChecks([check("a", true, 3), check("b", true, 1)], 2);
  assert.deepEqual(checks.map((c) => c.points), [1.5, 0.5]);
  assert.equal(score, 2);
  assert.equal(scoreChecks([check("a", false), check("b", false)], 4).score, 0);
  assert.deepEqual(scoreChecks([], 3), { checks: [], score: 0 });
});

Deno.test("forLearner() tells which hidden property failed, never the expected values", () => {
  const hidden = forLearner(check("wrong for negative inputs", false, 1, false));
  assert.equal(hidden.message, "Hidden test failed: wrong for negative inputs.");
  assert.doesNotMatch(JSON.stringify(hidden), /0\.25|0\.5/);
  const visible = forLearner(check("an example", false));
  assert.equal(visible.message, "expected 0.25, got 0.5");
  assert.equal(forLearner(check("fine", true, 1, false)).message, "");
});
