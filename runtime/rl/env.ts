/**
 * The environment interface shared by every `rl` environment, in the shape of Gymnasium's
 * `Env` (Towers et al., 2024): `reset()` starts an episode, `step(action)` advances it by one
 * step, and the spaces describe what actions and observations look like.
 *
 * @module
 */
import { Generator, globalGenerator } from "../random.ts";

/** A finite set of actions or observations `{0, 1, ..., n - 1}` (Gymnasium's `Discrete`). */
export interface DiscreteSpace {
  /** Always `"discrete"`. */
  readonly kind: "discrete";
  /** The number of elements. */
  readonly n: number;
}

/** A box of real vectors, `low[i] <= x[i] <= high[i]` (Gymnasium's `Box`). */
export interface BoxSpace {
  /** Always `"box"`. */
  readonly kind: "box";
  /** The length of each vector. */
  readonly shape: readonly [number];
  /** Lower bounds (may be `-Infinity`). */
  readonly low: readonly number[];
  /** Upper bounds (may be `Infinity`). */
  readonly high: readonly number[];
}

/** Either kind of space. */
export type Space = DiscreteSpace | BoxSpace;

/** What `reset()` accepts. `seed` restarts the environment's own random generator. */
export interface ResetOptions<Options = Record<string, never>> {
  /** Seeds the environment's generator; without it the generator continues its sequence. */
  seed?: number;
  /** Environment-specific options (for example a starting state). */
  options?: Options;
}

/** What `reset()` returns. */
export interface ResetResult<Observation> {
  /** The first observation of the episode. */
  observation: Observation;
  /** Extra information (never needed to act). */
  info: Record<string, unknown>;
}

/** What `step()` returns. */
export interface StepResult<Observation> {
  /** The observation after the action. */
  observation: Observation;
  /** The reward for this transition. */
  reward: number;
  /** True when the episode reached a terminal state of the MDP (the pole fell, the goal). */
  terminated: boolean;
  /** True when the episode was cut off by a time limit: the state is not terminal. */
  truncated: boolean;
  /** Extra information (never needed to act). */
  info: Record<string, unknown>;
}

/**
 * A reinforcement-learning environment with a Gymnasium-like interface.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env: rl.Env<number[], number> = new rl.CartPole();
 * let { observation } = env.reset({ seed: 0 });
 * let done = false;
 * let total = 0;
 * while (!done) {
 *   const step = env.step(observation[2]! > 0 ? 1 : 0);
 *   observation = step.observation;
 *   total += step.reward;
 *   done = step.terminated || step.truncated;
 * }
 * assert.ok(total >= 1 && total <= 500); // +1 a step, cut off at 500 steps
 * ```
 */
export interface Env<Observation, Action, Frame = unknown> {
  /** The set of valid actions. */
  readonly actionSpace: Space;
  /** The set of possible observations. */
  readonly observationSpace: Space;
  /** Starts a new episode. */
  reset(options?: ResetOptions<unknown>): ResetResult<Observation>;
  /** Applies one action. */
  step(action: Action): StepResult<Observation>;
  /** Describes the current frame as plain data (drawing happens elsewhere). */
  render(): Frame;
}

/**
 * Returns the generator an environment should use after `reset({ seed })`: a fresh one for a
 * seed, the current one otherwise, and on the very first reset without a seed one seeded from
 * the global generator (so `seed(n)` at the top of a cell makes environments reproducible).
 */
export function resolveGenerator(current: Generator | null, seedValue?: number): Generator {
  if (seedValue !== undefined) {
    if (!Number.isFinite(seedValue)) {
      throw new TypeError(`reset: seed must be a finite number, got ${seedValue}`);
    }
    return new Generator(seedValue);
  }
  return current ?? new Generator(globalGenerator.nextUint32());
}

/** Throws a RangeError unless `action` is an integer in `[0, n)`. */
export function checkDiscreteAction(envName: string, action: number, n: number): void {
  if (!Number.isInteger(action) || action < 0 || action >= n) {
    throw new RangeError(
      `${envName}.step: action must be an integer in [0, ${n}), got ${action}`,
    );
  }
}
