/**
 * How fast the environments step (feasibility numbers for lesson budgets).
 * Run: `deno bench runtime/rl/cartpole_bench.ts`; each iteration is 10 000 steps, so
 * steps/second = 1e4 / (time per iteration in seconds).
 *
 * @module
 */
import { Generator } from "../random.ts";
import { CartPole } from "./cartpole.ts";
import { epsilonGreedy } from "./exploration.ts";
import { ReplayBuffer } from "./replay_buffer.ts";

const STEPS = 10_000;

function run(withAgentHelpers: boolean): number {
  const env = new CartPole();
  const generator = new Generator(0);
  const buffer = new ReplayBuffer({ capacity: 50_000, observationSize: 4, generator });
  let { observation } = env.reset({ seed: 0 });
  let total = 0;
  for (let t = 0; t < STEPS; t++) {
    const action = withAgentHelpers
      ? epsilonGreedy([observation[2]!, -observation[2]!], 0.1, generator)
      : generator.randint(0, 2);
    const step = env.step(action);
    if (withAgentHelpers) {
      buffer.push({
        observation,
        action,
        reward: step.reward,
        nextObservation: step.observation,
        terminated: step.terminated,
      });
    }
    total += step.reward;
    observation = step.terminated || step.truncated ? env.reset().observation : step.observation;
  }
  return total;
}

Deno.bench("CartPole: 10 000 steps with random actions and resets", () => {
  run(false);
});

Deno.bench("CartPole: 10 000 steps with epsilonGreedy and ReplayBuffer.push", () => {
  run(true);
});

Deno.bench("ReplayBuffer.sample(64) x 1000 from 10 000 transitions", () => {
  const buffer = new ReplayBuffer({ capacity: 10_000, observationSize: 4, seed: 0 });
  const o = [0, 0, 0, 0];
  for (let i = 0; i < 10_000; i++) {
    buffer.push({ observation: o, action: 0, reward: 1, nextObservation: o, terminated: false });
  }
  for (let i = 0; i < 1000; i++) buffer.sample(64);
});
