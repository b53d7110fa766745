/**
 * Runs lesson 5's own training cells for more seeds and longer than the lesson's time budget
 * allows, and stores what the lesson plots:
 *
 * - `runtime/datasets/pretrained/pendulum_gaussian_policy.{json,bin}`: the Gaussian policy of
 *   `trainPendulum` on Pendulum-v1, 60 iterations on seeds 0-4, with 10 clipped passes per batch
 *   and with one plain pass; the curves, and seed 0's final policy (the weights);
 * - `runtime/datasets/pretrained/cartpole_dqn_seeds.{json,bin}`: `trainDqn` on CartPole-v1 for 60 000
 *   steps on seeds 0-4, as DQN and as Double DQN: the episode returns and the value checks
 *   (Q estimates against realised returns). No weights (the `.bin` is empty).
 *
 * The code that trains is not copied here: the script reads the cells that define
 * `trainPendulum` and `trainDqn` from `lessons/05-deep-rl.md` and runs them in gradbook's kernel,
 * exactly as the lesson does. Everything is seeded, so a rerun writes the same files, and the
 * lesson's live runs (seed 0) retrace the stored ones number for number; the lesson's test
 * checks that.
 *
 *     deno run -A --unstable-worker-options tools/train_rl_runs.ts           # the stored run
 *     deno run -A --unstable-worker-options tools/train_rl_runs.ts --quick   # a smoke run, nothing written
 *
 * @module
 */
import { parseLessonFile } from "../notebook/course/parse_lesson.ts";
import type { CodeCell, Lesson } from "../notebook/course/types.ts";
import { KernelProcess } from "../notebook/kernel/kernel_process.ts";
import { encodePretrained, PRETRAINED_DIR } from "../runtime/datasets/pretrained.ts";
import type { nn } from "../runtime/mod.ts";

/** The lesson whose cells are run. */
export const RL_LESSON = "lessons/05-deep-rl.md";
/** What the stored runs are. */
export const RL_RUNS_CONFIG = {
  seeds: [0, 1, 2, 3, 4],
  pendulumIterations: 60,
  dqnSteps: 60_000,
} as const;

/** The source of the one runnable cell of `lesson` that contains `needle`. */
export function cellSource(lesson: Lesson, needle: string): string {
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

/** The lesson's cells that define the trainers, in order, with the imports they need. */
export function trainerCells(lesson: Lesson): string[] {
  return [
    'import { Generator, nn, noGrad, optim, rl, seed, tensor, tick } from "gradbook";\nimport { display, plot } from "gradbook/display";',
    cellSource(lesson, "const epsilonSchedule ="),
    cellSource(lesson, "function trainDqn("),
    cellSource(lesson, "function trainPendulum("),
  ];
}

/** Runs `cells` in one fresh kernel and returns the `RESULT <name> <json>` values they print. */
export async function runCells(
  cells: string[],
  log: (line: string) => void = () => {},
): Promise<Map<string, unknown>> {
  const kernel = new KernelProcess({ cellTimeoutMs: 1_800_000 });
  const results = new Map<string, unknown>();
  let stdout = "";
  try {
    await kernel.start();
    for (const [i, code] of cells.entries()) {
      const t0 = performance.now();
      const reply = await kernel.execute(`rl-runs-${i}`, code, (event) => {
        if (event.type === "stream" && event.name === "stdout") stdout += event.text;
        if (event.type === "error") stdout += `${event.name}: ${event.message}\n`;
      });
      if (reply.status !== "ok") {
        throw new Error(`cell ${i} failed: ${reply.message ?? ""}\n${stdout.slice(-2000)}`);
      }
      log(`cell ${i} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await kernel.shutdown();
  }
  for (const match of stdout.matchAll(/^RESULT (\S+) (.+)$/gm)) {
    results.set(match[1]!, JSON.parse(match[2]!));
  }
  return results;
}

/** One DQN run as stored. */
export interface StoredDqnRun {
  returns: number[];
  stepsAtEpisodeEnd: number[];
  valueChecks: { step: number; predicted: number; realised: number }[];
}

async function main(): Promise<void> {
  const quick = Deno.args.includes("--quick");
  const config = quick ? { seeds: [0], pendulumIterations: 2, dqnSteps: 2500 } : RL_RUNS_CONFIG;
  const lesson = await parseLessonFile(RL_LESSON);
  // Three groups, each in its own kernel, run side by side.
  const groups: string[][] = [[], [], []];
  for (const s of config.seeds) {
    groups[0]!.push(`{
      const run = trainPendulum({ seed: ${s}, iterations: ${config.pendulumIterations} });
      console.log("RESULT clipped-${s} " + JSON.stringify(run.meanReturns));
      if (${s} === 0) console.log("RESULT policy-0 " + JSON.stringify(run.policy.stateDict()));
    }`);
    groups[0]!.push(
      `console.log("RESULT onepass-${s} " + JSON.stringify(trainPendulum({ seed: ${s}, iterations: ${config.pendulumIterations}, epochs: 1 }).meanReturns));`,
    );
    for (const [g, variant] of [[1, "dqn"], [2, "double"]] as const) {
      groups[g]!.push(`{
        const { returns, stepsAtEpisodeEnd, valueChecks } = trainDqn({ seed: ${s}, steps: ${config.dqnSteps}, double: ${
        variant === "double"
      } });
        console.log("RESULT ${variant}-${s} " + JSON.stringify({ returns, stepsAtEpisodeEnd, valueChecks }));
      }`);
    }
  }
  const t0 = performance.now();
  const results = new Map<string, unknown>();
  const parts = await Promise.all(groups.map((cells, g) =>
    runCells(
      [...trainerCells(lesson), ...cells],
      (line) => console.log(`train_rl_runs: group ${g}: ${line}`),
    )
  ));
  for (const part of parts) for (const [k, v] of part) results.set(k, v);
  const seconds = (performance.now() - t0) / 1000;
  const get = <T>(name: string) => {
    if (!results.has(name)) throw new Error(`train_rl_runs: no result ${name}`);
    return results.get(name) as T;
  };
  const pendulum = {
    producedBy: "tools/train_rl_runs.ts",
    lesson: RL_LESSON,
    iterations: config.pendulumIterations,
    seeds: config.seeds,
    clipped: config.seeds.map((s) => get<number[]>(`clipped-${s}`)),
    onePass: config.seeds.map((s) => get<number[]>(`onepass-${s}`)),
    secondsForAllRuns: seconds,
  };
  const dqn = {
    producedBy: "tools/train_rl_runs.ts",
    lesson: RL_LESSON,
    steps: config.dqnSteps,
    seeds: config.seeds,
    dqn: config.seeds.map((s) => get<StoredDqnRun>(`dqn-${s}`)),
    double: config.seeds.map((s) => get<StoredDqnRun>(`double-${s}`)),
  };
  if (quick) {
    console.log(JSON.stringify({ pendulum, dqn: dqn.dqn[0]!.valueChecks }));
    return;
  }
  for (
    const [name, stateDict, metadata] of [
      ["pendulum_gaussian_policy", get<nn.StateDict>("policy-0"), pendulum],
      ["cartpole_dqn_seeds", {}, dqn],
    ] as const
  ) {
    const { json, bin } = encodePretrained(stateDict, metadata);
    await Deno.writeTextFile(`${PRETRAINED_DIR}/${name}.json`, json + "\n");
    await Deno.writeFile(`${PRETRAINED_DIR}/${name}.bin`, bin);
    console.log(`train_rl_runs: wrote ${PRETRAINED_DIR}/${name}.{json,bin}`);
  }
  console.log(`train_rl_runs: all runs took ${seconds.toFixed(0)} s`);
}

if (import.meta.main) await main();
