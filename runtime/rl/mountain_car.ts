/**
 * MountainCar-v0 (Moore, 1990; Sutton & Barto, 2018, Example 10.1) with Gymnasium's equations,
 * constants and 200-step time limit. As for CartPole, random starts come from gradbook's own
 * generator, observations are float64, and stepping after the end throws.
 *
 * @module
 */
import type { Generator } from "../random.ts";
import {
  type BoxSpace,
  checkDiscreteAction,
  type DiscreteSpace,
  type Env,
  type ResetOptions,
  type ResetResult,
  resolveGenerator,
  type StepResult,
} from "./env.ts";

/** Gymnasium MountainCar-v0's constants. */
export const MOUNTAIN_CAR_CONSTANTS = {
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goalPosition: 0.5,
  goalVelocity: 0,
  force: 0.001,
  gravity: 0.0025,
  maxEpisodeSteps: 200,
} as const;

/** A MountainCar frame: the car on the curve $y = 0.45 \sin(3x) + 0.55$. */
export interface MountainCarFrame {
  /** Always `"mountaincar"`. */
  kind: "mountaincar";
  /** Car position. */
  position: number;
  /** Car velocity. */
  velocity: number;
  /** Height of the track at the car, $0.45 \sin(3x) + 0.55$. */
  height: number;
  /** The flag's position. */
  goalPosition: number;
  /** The track spans `[minPosition, maxPosition]`. */
  minPosition: number;
  /** Right end of the track. */
  maxPosition: number;
  /** Steps taken in this episode. */
  stepCount: number;
}

/**
 * MountainCar-v0: drive an underpowered car up a hill by rocking it. Actions: 0 accelerate
 * left, 1 coast, 2 accelerate right. Observation `[position, velocity]`; reward -1 per step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.MountainCar();
 * let { observation } = env.reset({ seed: 0 });
 * let steps = 0;
 * for (;;) {
 *   const step = env.step(observation[1]! < 0 ? 0 : 2); // push along the velocity
 *   observation = step.observation;
 *   steps++;
 *   if (step.terminated || step.truncated) break;
 * }
 * assert.equal(steps, 116); // rocking gets there well within the 200-step limit
 * ```
 */
export class MountainCar implements Env<number[], number, MountainCarFrame> {
  /** Three actions: left, none, right. */
  readonly actionSpace: DiscreteSpace = { kind: "discrete", n: 3 };
  /** `[position, velocity]` within the track and speed limits. */
  readonly observationSpace: BoxSpace = {
    kind: "box",
    shape: [2],
    low: [MOUNTAIN_CAR_CONSTANTS.minPosition, -MOUNTAIN_CAR_CONSTANTS.maxSpeed],
    high: [MOUNTAIN_CAR_CONSTANTS.maxPosition, MOUNTAIN_CAR_CONSTANTS.maxSpeed],
  };
  /** Time limit of an episode. */
  readonly maxEpisodeSteps: number;
  #rng: Generator | null = null;
  #state: [number, number] | null = null;
  #stepCount = 0;
  #done = false;

  constructor(options: { maxEpisodeSteps?: number } = {}) {
    this.maxEpisodeSteps = options.maxEpisodeSteps ?? MOUNTAIN_CAR_CONSTANTS.maxEpisodeSteps;
  }

  /** Starts at a position uniform in [-0.6, -0.4] with velocity 0 (or `options.state`). */
  reset(
    { seed, options }: ResetOptions<{ state?: readonly number[] }> = {},
  ): ResetResult<number[]> {
    this.#rng = resolveGenerator(this.#rng, seed);
    const s = options?.state;
    if (s !== undefined && (s.length !== 2 || !s.every(Number.isFinite))) {
      throw new RangeError(
        `MountainCar.reset: options.state must be [position, velocity], got [${s.join(", ")}]`,
      );
    }
    this.#state = s ? [s[0]!, s[1]!] : [-0.6 + 0.2 * this.#rng.random(), 0];
    this.#stepCount = 0;
    this.#done = false;
    return { observation: [...this.#state], info: {} };
  }

  /** Applies one action for one step. */
  step(action: number): StepResult<number[]> {
    if (this.#state === null) {
      throw new Error("MountainCar.step: the environment has not been reset; call reset() first");
    }
    if (this.#done) {
      throw new Error(
        `MountainCar.step: the episode already ended after ${this.#stepCount} steps; call reset() before stepping again`,
      );
    }
    checkDiscreteAction("MountainCar", action, 3);
    const c = MOUNTAIN_CAR_CONSTANTS;
    let [position, velocity] = this.#state;
    // Gymnasium MountainCarEnv.step, in its order of operations.
    velocity += (action - 1) * c.force + Math.cos(3 * position) * -c.gravity;
    velocity = Math.min(Math.max(velocity, -c.maxSpeed), c.maxSpeed);
    position += velocity;
    position = Math.min(Math.max(position, c.minPosition), c.maxPosition);
    if (position === c.minPosition && velocity < 0) velocity = 0;
    const terminated = position >= c.goalPosition && velocity >= c.goalVelocity;
    this.#state = [position, velocity];
    this.#stepCount++;
    const truncated = this.#stepCount >= this.maxEpisodeSteps;
    this.#done = terminated || truncated;
    return { observation: [position, velocity], reward: -1, terminated, truncated, info: {} };
  }

  /** Describes the current frame (see {@link MountainCarFrame}). */
  render(): MountainCarFrame {
    if (this.#state === null) {
      throw new Error("MountainCar.render: nothing to draw yet; call reset() first");
    }
    const [position, velocity] = this.#state;
    const c = MOUNTAIN_CAR_CONSTANTS;
    return {
      kind: "mountaincar",
      position,
      velocity,
      height: Math.sin(3 * position) * 0.45 + 0.55,
      goalPosition: c.goalPosition,
      minPosition: c.minPosition,
      maxPosition: c.maxPosition,
      stepCount: this.#stepCount,
    };
  }
}
