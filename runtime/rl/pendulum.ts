/**
 * Pendulum-v1: swing a pendulum up and hold it upright with a limited torque, a task with a
 * **continuous** action.
 *
 * The dynamics, constants, reward and the 200-step time limit are Gymnasium's `Pendulum-v1`
 * (`gymnasium/envs/classic_control/pendulum.py`, Farama-Foundation/Gymnasium at commit
 * 04b863db; the time limit is its registration's `max_episode_steps=200`). With torque $u$
 * clipped to $[-2, 2]$, $g = 10$, $m = l = 1$ and $\Delta t = 0.05$, one step is
 *
 * $$
 * r = -\big(\operatorname{norm}(\theta)^2 + 0.1\,\dot\theta^2 + 0.001\,u^2\big), \quad
 * \dot\theta' = \operatorname{clip}\Big(\dot\theta + \big(\tfrac{3g}{2l}\sin\theta + \tfrac{3}{ml^2}u\big)\Delta t,\ -8,\ 8\Big), \quad
 * \theta' = \theta + \dot\theta'\,\Delta t,
 * $$
 *
 * where $\operatorname{norm}$ wraps an angle into $[-\pi, \pi)$ and $\theta = 0$ is upright. The
 * reward is computed from the state *before* the step. The observation is
 * $[\cos\theta, \sin\theta, \dot\theta]$.
 *
 * Differences from Gymnasium, on purpose (as for `CartPole`):
 * - Random starts come from gradbook's seeded generator, not numpy's PCG64: the same
 *   distribution ($\theta \sim U[-\pi, \pi]$, $\dot\theta \sim U[-1, 1]$), other numbers.
 * - Observations are float64; Gymnasium casts them to float32.
 * - Stepping after the time limit throws instead of continuing.
 *
 * @module
 */
import type { Generator } from "../random.ts";
import {
  type BoxSpace,
  type Env,
  type ResetOptions,
  type ResetResult,
  resolveGenerator,
  type StepResult,
} from "./env.ts";

/** Gymnasium Pendulum-v1's constants. */
export const PENDULUM_CONSTANTS = {
  maxSpeed: 8,
  maxTorque: 2,
  /** Seconds per step. */
  dt: 0.05,
  /** Gravity (Gymnasium's default `g=10.0`). */
  g: 10,
  /** Mass of the pendulum. */
  m: 1,
  /** Length of the pendulum. */
  l: 1,
  maxEpisodeSteps: 200,
} as const;

/**
 * Wraps an angle into $[-\pi, \pi)$ exactly as Gymnasium's `angle_normalize`,
 * `((x + pi) % (2 pi)) - pi` with Python's floored `%` (JavaScript's `%` truncates, so a
 * negative remainder gets `2 pi` added, as Python does).
 *
 * @example
 * ```ts
 * import { rl } from "gradbook";
 * import { ok } from "node:assert/strict";
 * ok(Math.abs(rl.angleNormalize(4) - (4 - 2 * Math.PI)) < 1e-15);
 * ok(Math.abs(rl.angleNormalize(-4) - (2 * Math.PI - 4)) < 1e-15);
 * ```
 */
export function angleNormalize(x: number): number {
  const period = 2 * Math.PI;
  let r = (x + Math.PI) % period;
  if (r < 0) r += period;
  return r - Math.PI;
}

/** A Pendulum frame as plain data, for a viewer. */
export interface PendulumFrame {
  /** Always `"pendulum"`. */
  kind: "pendulum";
  /** Angle from upright, radians (not wrapped), positive counter-clockwise. */
  theta: number;
  /** Angular velocity, rad/s. */
  thetaDot: number;
  /** The torque applied in the last step after clipping, or null right after reset. */
  lastTorque: number | null;
  /** Steps taken in this episode. */
  stepCount: number;
}

/**
 * Pendulum-v1. The action is a one-element array `[torque]` (Gymnasium's `Box(-2, 2, (1,))`);
 * torques outside $[-2, 2]$ are clipped. The reward is never above 0 and never below
 * $-(\pi^2 + 0.1 \cdot 8^2 + 0.001 \cdot 2^2) \approx -16.27$; episodes never terminate, they
 * are truncated after 200 steps.
 *
 * @example
 * ```ts
 * import { rl } from "gradbook";
 * import { deepStrictEqual, ok } from "node:assert/strict";
 * const env = new rl.Pendulum();
 * env.reset({ options: { state: [0, 0] } }); // upright and still
 * const step = env.step([0]);
 * ok(step.reward === 0); // the best reward there is
 * deepStrictEqual(step.observation, [1, 0, 0]); // it stays balanced: sin(0) = 0
 * env.reset({ options: { state: [Math.PI / 2, 0] } }); // horizontal
 * ok(Math.abs(env.step([0]).observation[2]! - 15 * 0.05) < 1e-12); // gravity pulls it down
 * ```
 */
export class Pendulum implements Env<number[], number[], PendulumFrame> {
  /** One torque in [-2, 2]. */
  readonly actionSpace: BoxSpace = {
    kind: "box",
    shape: [1],
    low: [-PENDULUM_CONSTANTS.maxTorque],
    high: [PENDULUM_CONSTANTS.maxTorque],
  };
  /** `[cos(theta), sin(theta), thetaDot]`. */
  readonly observationSpace: BoxSpace = {
    kind: "box",
    shape: [3],
    low: [-1, -1, -PENDULUM_CONSTANTS.maxSpeed],
    high: [1, 1, PENDULUM_CONSTANTS.maxSpeed],
  };
  /** Time limit of an episode. */
  readonly maxEpisodeSteps: number;
  #rng: Generator | null = null;
  #state: [number, number] | null = null;
  #lastTorque: number | null = null;
  #stepCount = 0;

  constructor(options: { maxEpisodeSteps?: number } = {}) {
    this.maxEpisodeSteps = options.maxEpisodeSteps ?? PENDULUM_CONSTANTS.maxEpisodeSteps;
  }

  /**
   * Starts with $\theta \sim U[-\pi, \pi]$ and $\dot\theta \sim U[-1, 1]$, or at
   * `options.state = [theta, thetaDot]`.
   */
  reset(
    { seed, options }: ResetOptions<{ state?: readonly number[] }> = {},
  ): ResetResult<number[]> {
    this.#rng = resolveGenerator(this.#rng, seed);
    const s = options?.state;
    if (s !== undefined && (s.length !== 2 || !s.every(Number.isFinite))) {
      throw new RangeError(
        `Pendulum.reset: options.state must be [theta, thetaDot], got [${s.join(", ")}]`,
      );
    }
    this.#state = s
      ? [s[0]!, s[1]!]
      : [Math.PI * (2 * this.#rng.random() - 1), 2 * this.#rng.random() - 1];
    this.#lastTorque = null;
    this.#stepCount = 0;
    return { observation: this.#observation(), info: {} };
  }

  /** Applies the torque `action[0]` (clipped to [-2, 2]) for one step of 0.05 s. */
  step(action: readonly number[]): StepResult<number[]> {
    if (this.#state === null) {
      throw new Error("Pendulum.step: the environment has not been reset; call reset() first");
    }
    if (this.#stepCount >= this.maxEpisodeSteps) {
      throw new Error(
        `Pendulum.step: the episode already ended after ${this.#stepCount} steps; call reset() before stepping again`,
      );
    }
    if (!Array.isArray(action) || action.length !== 1 || !Number.isFinite(action[0])) {
      throw new RangeError(
        `Pendulum.step: action must be [torque] with a finite torque, got ${
          JSON.stringify(action)
        }`,
      );
    }
    const c = PENDULUM_CONSTANTS;
    const [theta, thetaDot] = this.#state;
    // Gymnasium PendulumEnv.step, in its order of operations.
    const u = Math.min(Math.max(action[0]!, -c.maxTorque), c.maxTorque);
    const cost = angleNormalize(theta) ** 2 + 0.1 * thetaDot ** 2 + 0.001 * u ** 2;
    let newThetaDot = thetaDot +
      ((3 * c.g) / (2 * c.l) * Math.sin(theta) + (3 / (c.m * c.l ** 2)) * u) * c.dt;
    newThetaDot = Math.min(Math.max(newThetaDot, -c.maxSpeed), c.maxSpeed);
    const newTheta = theta + newThetaDot * c.dt;
    this.#state = [newTheta, newThetaDot];
    this.#lastTorque = u;
    this.#stepCount++;
    return {
      observation: this.#observation(),
      reward: -cost,
      terminated: false,
      truncated: this.#stepCount >= this.maxEpisodeSteps,
      info: {},
    };
  }

  /** Describes the current frame (see {@link PendulumFrame}). */
  render(): PendulumFrame {
    if (this.#state === null) {
      throw new Error("Pendulum.render: nothing to draw yet; call reset() first");
    }
    return {
      kind: "pendulum",
      theta: this.#state[0],
      thetaDot: this.#state[1],
      lastTorque: this.#lastTorque,
      stepCount: this.#stepCount,
    };
  }

  #observation(): number[] {
    const [theta, thetaDot] = this.#state!;
    return [Math.cos(theta), Math.sin(theta), thetaDot];
  }
}
