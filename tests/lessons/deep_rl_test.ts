/**
 * Lesson 5 (deep RL): one headless run of the lesson, then assertions on the results its cells
 * print. The reproduction ("CartPole-v1 solved: mean return >= 475 over 100 consecutive training
 * episodes, REINFORCE with a value baseline, <= 120 s of training per seed, at least 2 of 3
 * seeds") runs inside the lesson itself, through the `trainReinforce` the lesson shows, so the
 * numbers asserted here are the ones a learner sees. A second test runs the lesson's own
 * `trainReinforce` cell for three further seeds.
 *
 * @module
 */
import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { parseLessonFile } from "../../notebook/course/parse_lesson.ts";
import type { CodeCell, Lesson } from "../../notebook/course/types.ts";
import { KernelProcess } from "../../notebook/kernel/kernel_process.ts";
import { parseResults, runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

interface SolvedRun {
  seed: number;
  solved: boolean;
  episodes: number;
  steps: number;
  seconds: number;
  last100: number;
}

Deno.test("the deep RL lesson solves CartPole-v1 with REINFORCE and its exercises are sound", async () => {
  const { lesson, results, seconds } = await runLessonForTest("lessons/05-deep-rl.md");
  const report = (name: string) => JSON.stringify(results.get(name));

  // The published bar, reproduced: at least 2 of 3 seeds within 120 s each.
  const runs = results.get("reinforce-solved") as SolvedRun[];
  assert(
    Array.isArray(runs) && runs.length === 3,
    `expected 3 seeds, got ${report("reinforce-solved")}`,
  );
  const solved = runs.filter((r) => r.solved && r.last100 >= 475 && r.seconds <= 120);
  assert(
    solved.length >= 2,
    `fewer than 2 of 3 seeds solved CartPole-v1: ${report("reinforce-solved")}`,
  );
  for (const run of solved) {
    assert(
      run.episodes >= 100 && run.steps >= 100 * 475,
      `a solve needs 100 long episodes: ${JSON.stringify(run)}`,
    );
  }

  // DQN learns: its best 20-episode mean is well above its random start.
  const dqn = results.get("dqn") as { best20: number; first20: number; seconds: number };
  assert(dqn.first20 < 60 && dqn.best20 >= 150, `DQN did not learn: ${report("dqn")}`);

  // The tables: Q-learning recovers most of value iteration's policy on the grid world, and a
  // Q-table on binned CartPole stays far from the bar (the lesson's motivation for networks).
  const grid = results.get("qlearning-agreement") as { agreeing: number; states: number };
  assert(
    grid.agreeing >= 0.7 * grid.states,
    `Q-learning disagrees too often: ${report("qlearning-agreement")}`,
  );
  const tabular = results.get("tabular-cartpole") as { last100: number };
  assert(
    tabular.last100 < 400,
    `the binned Q-table did unexpectedly well: ${report("tabular-cartpole")}`,
  );

  // Sample efficiency and compute, as the prose describes them.
  const efficiency = results.get("sample-efficiency") as Record<string, number | null>;
  assert(
    efficiency.dqnStepsTo100 !== null,
    `DQN never reached 100: ${report("sample-efficiency")}`,
  );
  assert(
    efficiency.dqnMicrosecondsPerStep! > 3 * efficiency.reinforceMicrosecondsPerStep!,
    `DQN steps should cost several times REINFORCE's: ${report("sample-efficiency")}`,
  );

  assert(seconds < 150, `the lesson took ${seconds.toFixed(1)} s (budget 150 s)`);
  assert((await validateLessonExercises(lesson)) >= 4);
});

/** The source of the one runnable cell of the lesson that contains `needle`. */
function cellSource(lesson: Lesson, needle: string): string {
  const matches = lesson.blocks.filter((b): b is CodeCell =>
    b.kind === "code" && b.runnable && b.source.includes(needle)
  );
  if (matches.length !== 1) {
    throw new Error(
      `expected one cell of ${lesson.file} containing "${needle}", found ${matches.length}`,
    );
  }
  return matches[0]!.source;
}

Deno.test("the lesson's own trainReinforce cell solves CartPole-v1 on three further seeds", async () => {
  // Guards against a lucky seed triple: the exact cells the lesson shows, run in a fresh kernel
  // for seeds 3, 4 and 5, each held to the same bar and the same 120 s cap.
  const lesson = await parseLessonFile("lessons/05-deep-rl.md");
  const cells = [
    'import { Generator, nn, noGrad, optim, rl, seed, tensor, tick } from "gradbook";',
    cellSource(lesson, "const movingAverage ="),
    cellSource(lesson, "function trainReinforce("),
    `for (const s of [3, 4, 5]) {
      const run = trainReinforce({ seed: s, maxSeconds: 120 });
      const last100 = movingAverage(run.returns).at(-1);
      console.log("RESULT seed-" + s + " " + JSON.stringify({ solvedAtEpisode: run.solvedAtEpisode, steps: run.steps, seconds: run.seconds, last100 }));
    }`,
  ];
  const kernel = new KernelProcess({ cellTimeoutMs: 400_000 });
  let stdout = "";
  try {
    await kernel.start();
    for (const [i, code] of cells.entries()) {
      const reply = await kernel.execute(`seeds-${i}`, code, (event) => {
        if (event.type === "stream" && event.name === "stdout") stdout += event.text;
        if (event.type === "error") stdout += `${event.name}: ${event.message}\n`;
      });
      assertEquals(reply.status, "ok", `cell ${i} failed: ${reply.message ?? ""}\n${stdout}`);
    }
  } finally {
    await kernel.shutdown();
  }
  const results = parseResults(stdout);
  for (const s of [3, 4, 5]) {
    const run = results.get(`seed-${s}`) as
      | { solvedAtEpisode: number | null; seconds: number; last100: number }
      | undefined;
    assert(run !== undefined, `no result for seed ${s}:\n${stdout}`);
    assert(
      run.solvedAtEpisode !== null && run.last100 >= 475 && run.seconds <= 120,
      `seed ${s} did not solve CartPole-v1 within 120 s: ${JSON.stringify(run)}`,
    );
  }
});
