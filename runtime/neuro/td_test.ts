import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../../tests/assert.ts";
import { simulateTdConditioning } from "./td.ts";

Deno.test("simulateTdConditioning() moves the TD error from the reward to the cue", () => {
  const { errors, weights } = simulateTdConditioning({ trials: 400 });
  assertEquals(errors[0]![20], 1);
  assertEquals(errors[0]!.filter((d) => d !== 0).length, 1);
  const last = errors.at(-1)!;
  assertAlmostEquals(last[20]!, 0, 1e-3);
  assertAlmostEquals(last[5]!, 0.98 ** 15, 1e-3);
  for (let t = 6; t < 20; t++) assertAlmostEquals(last[t]!, 0, 1e-3);
  // V(t) = gamma^(reward - t - 1) between cue and reward
  for (let t = 5; t < 20; t++) assertAlmostEquals(weights[t - 5]!, 0.98 ** (19 - t), 1e-3);
});

Deno.test("simulateTdConditioning() gives a negative error when a predicted reward is withheld", () => {
  const { errors } = simulateTdConditioning({
    trials: 401,
    omitRewardOn: (trial) => trial === 400,
  });
  assertAlmostEquals(errors[400]![20]!, -1, 1e-3);
  assertAlmostEquals(errors[400]![5]!, 0.98 ** 15, 1e-3);
});

Deno.test("one TD(0) step matches the formula by hand", () => {
  // trial 2, step 20: V(19) = 0.2 after trial 1, V(20) = 0: delta = 1 + 0 - 0.2
  const { errors } = simulateTdConditioning({ trials: 2 });
  assertAlmostEquals(errors[1]![20]!, 0.8, 1e-15);
  assertAlmostEquals(errors[1]![19]!, 0.98 * 0.2, 1e-15);
  assert(errors[1]![18] === 0);
  assertThrows(() => simulateTdConditioning({ trials: 1, cueStep: 20 }), RangeError, "cueStep");
  assertThrows(() => simulateTdConditioning({ trials: 0 }), RangeError, "trials");
});
