import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { GridWorld } from "./grid_world.ts";
import { QLearning } from "./q_learning.ts";
import { valueIteration } from "./value_iteration.ts";

Deno.test("QLearning.update() applies the TD update and returns the TD error", () => {
  const agent = new QLearning({ numStates: 2, numActions: 2, learningRate: 0.5, gamma: 0.9 });
  agent.q[1]!.set([2, 4]);
  // target = 1 + 0.9 * 4 = 4.6; error 4.6; Q = 0 + 0.5 * 4.6
  assertAlmostEquals(agent.update(0, 1, 1, 1, false), 4.6, 1e-12);
  assertAlmostEquals(agent.q[0]![1]!, 2.3, 1e-12);
  // A terminal next state contributes nothing.
  assertAlmostEquals(agent.update(0, 0, 1, 1, true), 1, 1e-12);
  assertAlmostEquals(agent.q[0]![0]!, 0.5, 1e-12);
  assertThrows(() => agent.update(0, 2, 0, 0, false), RangeError, "got 2");
  assertThrows(() => agent.act(5, 0), RangeError, "state 5 is outside [0, 2)");
});

Deno.test("QLearning learns the optimal grid-world policy found by value iteration", () => {
  const env = new GridWorld({ layout: ["S..G", ".#.P", "...."], stepReward: -0.04 });
  const agent = new QLearning({
    numStates: 12,
    numActions: 4,
    learningRate: 0.5,
    gamma: 0.9,
    generator: new Generator(0),
  });
  env.reset({ seed: 0 });
  for (let episode = 0; episode < 1000; episode++) {
    let { observation: state } = env.reset();
    for (;;) {
      const action = agent.act(state, 0.5);
      const { observation, reward, terminated, truncated } = env.step(action);
      agent.update(state, action, reward, observation, terminated);
      state = observation;
      if (terminated || truncated) break;
    }
  }
  const optimal = valueIteration(env.transitionModel(), 0.9);
  const learned = agent.values();
  for (const s of [0, 1, 2, 4, 6, 8, 9, 10, 11]) {
    assertAlmostEquals(learned[s]!, optimal.values[s]!, 1e-3, `state ${s}`);
  }
  assertEquals(agent.greedyPolicy().slice(0, 3), [1, 1, 1]);
});
