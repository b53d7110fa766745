/**
 * Pins lesson 5's stored runs to the script that wrote them: the configuration they record is
 * the script's, the cells the script runs are still in the lesson, and the stored curves have
 * the shape the lesson reads. (That the lesson's live runs retrace the stored seed 0, number for
 * number, is checked by `tests/lessons/deep_rl_test.ts`, which runs the lesson.)
 */
import { assert, assertEquals } from "../tests/assert.ts";
import { loadPretrained } from "../runtime/datasets/pretrained.ts";
import { parseLessonFile } from "../notebook/course/parse_lesson.ts";
import { RL_LESSON, RL_RUNS_CONFIG, type StoredDqnRun, trainerCells } from "./train_rl_runs.ts";

Deno.test("the stored Pendulum runs record the script's configuration and seed 0's policy", async () => {
  const { stateDict, metadata } = await loadPretrained<{
    producedBy: string;
    lesson: string;
    iterations: number;
    seeds: number[];
    clipped: number[][];
    onePass: number[][];
  }>("pendulum_gaussian_policy");
  assertEquals(
    [metadata.producedBy, metadata.lesson, metadata.iterations, metadata.seeds],
    [
      "tools/train_rl_runs.ts",
      RL_LESSON,
      RL_RUNS_CONFIG.pendulumIterations,
      [...RL_RUNS_CONFIG.seeds],
    ],
  );
  for (const curves of [metadata.clipped, metadata.onePass]) {
    assertEquals(curves.map((c) => c.length), RL_RUNS_CONFIG.seeds.map(() => 60));
  }
  assertEquals(Object.keys(stateDict).sort(), [
    "logStd",
    "mean.0.bias",
    "mean.0.weight",
    "mean.2.bias",
    "mean.2.weight",
  ]);
});

Deno.test("the stored DQN runs record the script's configuration", async () => {
  const { stateDict, metadata } = await loadPretrained<{
    producedBy: string;
    steps: number;
    seeds: number[];
    dqn: StoredDqnRun[];
    double: StoredDqnRun[];
  }>("cartpole_dqn_seeds");
  assertEquals([metadata.producedBy, metadata.steps, metadata.seeds], [
    "tools/train_rl_runs.ts",
    RL_RUNS_CONFIG.dqnSteps,
    [...RL_RUNS_CONFIG.seeds],
  ]);
  assertEquals(Object.keys(stateDict), []);
  for (const run of [...metadata.dqn, ...metadata.double]) {
    assertEquals(run.returns.length, run.stepsAtEpisodeEnd.length);
    assert(run.stepsAtEpisodeEnd.at(-1)! <= RL_RUNS_CONFIG.dqnSteps);
    assertEquals(
      run.valueChecks.map((c) => c.step),
      Array.from({ length: RL_RUNS_CONFIG.dqnSteps / 2500 }, (_, i) => 2500 * (i + 1)),
    );
  }
});

Deno.test("the lesson still has the cells the script runs", async () => {
  const cells = trainerCells(await parseLessonFile(RL_LESSON));
  assert(cells.some((c) => c.includes("function trainDqn(")));
  assert(cells.some((c) => c.includes("function trainPendulum(")));
});
