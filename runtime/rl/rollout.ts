/**
 * Running one episode of a policy in an environment, recording what happened (for return
 * curves and for animating recorded frames in a viewer).
 *
 * @module
 */
import type { Env } from "./env.ts";

/** Options for {@link rollout}. */
export interface RolloutOptions {
  /** Seeds `reset()`; without it the environment's generator continues. */
  seed?: number;
  /** Also stop after this many steps (the environment's own time limit still applies). */
  maxSteps?: number;
  /** Keep `render()` of the first state and of every step; default false. */
  recordFrames?: boolean;
}

/** What {@link rollout} returns. */
export interface Episode<Observation, Action, Frame> {
  /** $s_0, s_1, \ldots, s_T$ (one more than the actions). */
  observations: Observation[];
  /** $a_0, \ldots, a_{T-1}$. */
  actions: Action[];
  /** $r_1, \ldots, r_T$. */
  rewards: number[];
  /** The undiscounted sum of rewards. */
  episodeReturn: number;
  /** True when the last step reached a terminal state. */
  terminated: boolean;
  /** True when a time limit (the environment's or `maxSteps`) ended it. */
  truncated: boolean;
  /** `render()` after reset and after every step, when `recordFrames` is set. */
  frames: Frame[];
}

/**
 * Runs `policy` from `reset()` until the episode ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const episode = rl.rollout(new rl.CartPole(), (o) => (o[2]! + 0.5 * o[3]! > 0 ? 1 : 0), {
 *   seed: 0,
 *   recordFrames: true,
 * });
 * assert.deepEqual([episode.episodeReturn, episode.frames.length], [500, 501]);
 * ```
 */
export function rollout<Observation, Action, Frame>(
  env: Env<Observation, Action, Frame>,
  policy: (observation: Observation, step: number) => Action,
  options: RolloutOptions = {},
): Episode<Observation, Action, Frame> {
  const maxSteps = options.maxSteps ?? Infinity;
  const record = options.recordFrames ?? false;
  let { observation } = env.reset(options.seed === undefined ? {} : { seed: options.seed });
  const episode: Episode<Observation, Action, Frame> = {
    observations: [observation],
    actions: [],
    rewards: [],
    episodeReturn: 0,
    terminated: false,
    truncated: false,
    frames: record ? [env.render()] : [],
  };
  for (let t = 0; t < maxSteps; t++) {
    const action = policy(observation, t);
    const step = env.step(action);
    observation = step.observation;
    episode.observations.push(observation);
    episode.actions.push(action);
    episode.rewards.push(step.reward);
    episode.episodeReturn += step.reward;
    if (record) episode.frames.push(env.render());
    if (step.terminated || step.truncated) {
      episode.terminated = step.terminated;
      episode.truncated = step.truncated;
      return episode;
    }
  }
  episode.truncated = true;
  return episode;
}
