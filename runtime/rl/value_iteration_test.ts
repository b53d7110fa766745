import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import type { TabularModel } from "./tabular_model.ts";
import { GridWorld } from "./grid_world.ts";
import { bellmanBackup, valueIteration } from "./value_iteration.ts";

/** State 0: action 0 stays and pays 1; action 1 ends the episode paying 5. */
const stayOrLeave: TabularModel = {
  numStates: 2,
  numActions: 2,
  transitions: [
    [
      [{ probability: 1, nextState: 0, reward: 1, terminated: false }],
      [{ probability: 1, nextState: 1, reward: 5, terminated: true }],
    ],
    [[], []],
  ],
};

Deno.test("valueIteration() finds V* of a tiny MDP in closed form", () => {
  // Staying forever is worth 1 / (1 - gamma): 10 for gamma 0.9, beating 5; 2 for gamma 0.5.
  let result = valueIteration(stayOrLeave, 0.9);
  assertAlmostEquals(result.values[0]!, 10, 1e-8);
  assertEquals([...result.policy], [0, -1]);
  assertEquals(result.converged, true);
  result = valueIteration(stayOrLeave, 0.5);
  assertAlmostEquals(result.values[0]!, 5, 1e-12);
  assertAlmostEquals(result.qValues[0]![0]!, 1 + 0.5 * 5, 1e-12);
  assertEquals([...result.policy], [1, -1]);
  // The change shrinks geometrically, by gamma per sweep, while staying is the best action.
  const deltas = valueIteration(stayOrLeave, 0.9).deltas;
  assertAlmostEquals(deltas[20]! / deltas[19]!, 0.9, 1e-9);
});

Deno.test("valueIteration() solves a slippery corridor against hand-computed values", () => {
  // "S.G" with slip 0.5 moving right: 0.5 right, 0.25 up (stay), 0.25 down (stay).
  // V(1) = 0.5 * 1 + 0.5 * g V(1)  =>  V(1) = 0.5 / (1 - 0.5 g);  V(0) = 0.5 g V(1) / (1 - 0.5 g)
  const env = new GridWorld({ layout: ["S.G"], slip: 0.5 });
  const g = 0.9;
  const { values, policy } = valueIteration(env.transitionModel(), g);
  const v1 = 0.5 / (1 - 0.5 * g);
  assertAlmostEquals(values[1]!, v1, 1e-9);
  assertAlmostEquals(values[0]!, (0.5 * g * v1) / (1 - 0.5 * g), 1e-9);
  assertEquals([...policy], [1, 1, -1]);
});

Deno.test("bellmanBackup() computes one state's action values", () => {
  const env = new GridWorld({ layout: ["S.G"] });
  const q = bellmanBackup(env.transitionModel(), [0, 0.5, 0], 0.9, 1);
  assertEquals(q.length, 4);
  [0.45, 1, 0.45, 0].forEach((expected, a) => assertAlmostEquals(q[a]!, expected, 1e-12));
  assertEquals(bellmanBackup(env.transitionModel(), [0, 0, 0], 0.9, 2), []);
  assertThrows(() => bellmanBackup(stayOrLeave, [0, 0], 0.9, 5), RangeError, "state 5 is outside");
  assertThrows(() => valueIteration(stayOrLeave, 1.5), RangeError, "gamma must be in [0, 1]");
});

Deno.test("valueIteration() stops at maxIterations and says it did not converge", () => {
  const result = valueIteration(stayOrLeave, 0.99, { maxIterations: 3 });
  assertEquals([result.iterations, result.converged], [3, false]);
});
