import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { GridWorld } from "./grid_world.ts";
import { valueIteration } from "./value_iteration.ts";

const layout = [
  "S..G",
  ".#.P",
  "....",
];

Deno.test("GridWorld.step() moves deterministically, bumps into walls and edges, and pays rewards", () => {
  const env = new GridWorld({ layout, stepReward: -0.04 });
  assertEquals(env.reset({ seed: 0 }).observation, 0);
  let step = env.step(0); // up: off the grid, stay
  assertEquals([step.observation, step.reward, step.terminated], [0, -0.04, false]);
  step = env.step(2); // down to (1, 0)
  assertEquals(step.observation, env.stateOf(1, 0));
  step = env.step(1); // right into the wall at (1, 1): stay
  assertEquals(step.observation, env.stateOf(1, 0));
  env.step(2); // (2, 0)
  env.step(1); // (2, 1)
  env.step(1); // (2, 2)
  env.step(1); // (2, 3)
  step = env.step(0); // up into the pit at (1, 3)
  assertEquals([step.observation, step.reward, step.terminated, step.truncated], [
    7,
    -1,
    true,
    false,
  ]);
  assertThrows(() => env.step(0), Error, "the episode already ended after 8 steps");
  env.reset();
  env.step(1);
  env.step(1);
  step = env.step(1);
  assertEquals([step.observation, step.reward, step.terminated], [3, 1, true]);
});

Deno.test("GridWorld truncates at maxEpisodeSteps", () => {
  const env = new GridWorld({ layout: ["S.G"], maxEpisodeSteps: 2 });
  env.reset({ seed: 0 });
  assertEquals(env.step(3).truncated, false);
  const step = env.step(3);
  assertEquals([step.truncated, step.terminated], [true, false]);
});

Deno.test("GridWorld.transitionModel() lists slip outcomes that sum to 1 and match sampled steps", () => {
  const env = new GridWorld({ layout, slip: 0.2 });
  const model = env.transitionModel();
  assertEquals([model.numStates, model.numActions], [12, 4]);
  // From (0, 1) moving right: (0, 2) with 0.8; slipping up stays (0.1); slipping down hits the
  // wall and stays (0.1): merged into one outcome of 0.2.
  const outcomes = model.transitions[1]![1]!;
  assertEquals(outcomes.length, 2);
  assertAlmostEquals(outcomes.find((o) => o.nextState === 2)!.probability, 0.8, 1e-15);
  assertAlmostEquals(outcomes.find((o) => o.nextState === 1)!.probability, 0.2, 1e-15);
  for (let s = 0; s < 12; s++) {
    for (const list of model.transitions[s]!) {
      if (list.length === 0) continue;
      assertAlmostEquals(list.reduce((sum, o) => sum + o.probability, 0), 1, 1e-12);
    }
  }
  assertEquals(model.transitions[3], [[], [], [], []], "goal is terminal");
  assertEquals(model.transitions[5], [[], [], [], []], "wall has no transitions");
  // Sampled frequencies from (0, 1) moving right agree with the model.
  let moved = 0;
  const trials = 4000;
  env.reset({ seed: 5 });
  for (let i = 0; i < trials; i++) {
    env.reset();
    env.step(1); // (0, 0) -> right: (0, 1) with 0.8, else stays at (0, 0) or goes down to (1, 0)
    if (env.render().agent.col === 1) moved++;
  }
  assert(Math.abs(moved / trials - 0.8) < 0.03, `moved right in ${moved} of ${trials} steps`);
});

Deno.test("GridWorld options set rewards per cell and reject bad layouts", () => {
  const env = new GridWorld({
    layout: ["G.S.G"],
    cellRewards: [{ row: 0, col: 4, reward: 10 }],
  });
  env.reset({ seed: 0 });
  env.step(1);
  assertEquals(env.step(1).reward, 10);
  env.reset();
  env.step(3);
  assertEquals(env.step(3).reward, 1);
  assertThrows(() => new GridWorld({ layout: ["S.", "..."] }), RangeError, "[2, 3]");
  assertThrows(() => new GridWorld({ layout: ["S.x"] }), RangeError, 'unknown cell "x" at row 0');
  assertThrows(() => new GridWorld({ layout: ["..G"] }), RangeError, "no start cell");
  assertThrows(
    () => new GridWorld({ layout: ["S.G"], cellRewards: [{ row: 0, col: 1, reward: 1 }] }),
    RangeError,
    "which is empty, not a goal or pit",
  );
  assertThrows(() => new GridWorld({ layout: ["S"], slip: 2 }), RangeError, "slip must be in");
  env.reset();
  assertThrows(() => env.step(4), RangeError, "got 4");
});

Deno.test("GridWorld.renderValues() returns the value grid, NaN walls and policy arrows", () => {
  const env = new GridWorld({ layout, stepReward: -0.04 });
  const { values, policy } = valueIteration(env.transitionModel(), 1);
  const frame = env.renderValues(values, policy);
  assertEquals([frame.rows, frame.cols], [3, 4]);
  assert(Number.isNaN(frame.values[1]![1]!));
  // Entering the goal pays 1 (no step cost on that move); one step before it, 1 - 0.04.
  assertAlmostEquals(frame.values[0]![2]!, 1, 1e-12);
  assertAlmostEquals(frame.values[0]![1]!, 1 - 0.04, 1e-12);
  assertEquals([frame.values[0]![3], frame.values[1]![3]], [0, 0]);
  assertAlmostEquals(frame.max, 1, 1e-12);
  // No arrows on the goal, the pit or the wall: 12 - 3 = 9.
  assertEquals(frame.arrows.length, 9);
  assertEquals(frame.arrows.find((a) => a.row === 0 && a.col === 2), {
    row: 0,
    col: 2,
    action: 1,
    dx: 1,
    dy: 0,
  });
  assertEquals(frame.cells[1]![3], "pit");
  assertThrows(() => env.renderValues([1, 2]), RangeError, "expected 12 values");
  assertEquals(env.render().agent, { row: 0, col: 0 });
});
