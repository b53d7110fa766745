/**
 * CartPole-v1: balance a pole on a cart by pushing the cart left or right.
 *
 * The dynamics, constants, thresholds, rewards and the 500-step time limit are those of
 * Gymnasium's `CartPole-v1` (Barto, Sutton & Anderson, 1983; equations from Florian, 2007,
 * https://coneural.org/florian/papers/05_cart_pole.pdf, with Gymnasium's sign conventions).
 *
 * Differences from Gymnasium, on purpose:
 * - Random starts come from gradbook's own seeded generator (xoshiro128**), not numpy's PCG64,
 *   so `reset({ seed: 0 })` gives a different (but equally distributed) start than Gymnasium.
 *   Given the same start state and actions, trajectories agree to rounding.
 * - Observations are float64 numbers; Gymnasium casts them to float32 (its internal state, which
 *   decides termination, is float64 in both).
 * - Stepping after an episode ended throws an error; Gymnasium logs a warning and returns reward
 *   0 ("undefined behaviour"). A learner who forgot `reset()` gets a clear message instead of
 *   a silently diverging trajectory that still looks like training data.
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

/** Gymnasium CartPole-v1's constants. */
export const CARTPOLE_CONSTANTS = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length, in metres. */
  length: 0.5,
  forceMag: 10.0,
  /** Seconds between state updates. */
  tau: 0.02,
  /** 12 degrees, computed as Gymnasium does: `12 * 2 * pi / 360`. */
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
  maxEpisodeSteps: 500,
} as const;

/** A CartPole frame as plain data, in world units (metres, radians), for an SVG viewer. */
export interface CartPoleFrame {
  /** Always `"cartpole"`. */
  kind: "cartpole";
  /** Cart position (centre), metres. */
  x: number;
  /** Pole angle from upright, radians, positive clockwise (leaning right). */
  theta: number;
  /** The track spans `[-xThreshold, xThreshold]`. */
  xThreshold: number;
  /** The angle beyond which the episode terminates. */
  thetaThreshold: number;
  /** Full pole length (twice `length`), metres. */
  poleLength: number;
  /** Cart width and height, metres (Gymnasium's 50x30 px at its 125 px/m scale). */
  cartWidth: number;
  /** Cart height, metres. */
  cartHeight: number;
  /** Steps taken in this episode. */
  stepCount: number;
  /** True once the pole fell or the cart left the track. */
  terminated: boolean;
  /** True once the time limit was reached. */
  truncated: boolean;
}

/** Options for `new CartPole()`. */
export interface CartPoleOptions {
  /** The time limit (Gymnasium's `TimeLimit` wrapper); default 500. */
  maxEpisodeSteps?: number;
}

/** Options for `CartPole.reset({ options })`. */
export interface CartPoleResetOptions {
  /** Start from this `[x, xDot, theta, thetaDot]` instead of a random state. */
  state?: readonly number[];
}

/**
 * CartPole-v1 with Gymnasium's interface. Actions: 0 pushes left, 1 pushes right. Observation:
 * `[x, xDot, theta, thetaDot]`. Reward 1 for every step, including the one that terminates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.CartPole();
 * let { observation } = env.reset({ seed: 42 });
 * let episodeReturn = 0;
 * for (;;) {
 *   const action = observation[2]! + 0.5 * observation[3]! > 0 ? 1 : 0;
 *   const step = env.step(action);
 *   observation = step.observation;
 *   episodeReturn += step.reward;
 *   if (step.terminated || step.truncated) break;
 * }
 * assert.equal(episodeReturn, 500); // this controller balances until the time limit
 * ```
 */
export class CartPole implements Env<number[], number, CartPoleFrame> {
  /** Two actions: 0 (push left) and 1 (push right). */
  readonly actionSpace: DiscreteSpace = { kind: "discrete", n: 2 };
  /** Gymnasium's bounds: twice the thresholds for x and theta, unbounded velocities. */
  readonly observationSpace: BoxSpace = {
    kind: "box",
    shape: [4],
    low: [
      -CARTPOLE_CONSTANTS.xThreshold * 2,
      -Infinity,
      -CARTPOLE_CONSTANTS.thetaThresholdRadians * 2,
      -Infinity,
    ],
    high: [
      CARTPOLE_CONSTANTS.xThreshold * 2,
      Infinity,
      CARTPOLE_CONSTANTS.thetaThresholdRadians * 2,
      Infinity,
    ],
  };
  /** The time limit of an episode. */
  readonly maxEpisodeSteps: number;

  #rng: Generator | null = null;
  #state: [number, number, number, number] | null = null;
  #stepCount = 0;
  #terminated = false;
  #truncated = false;

  constructor(options: CartPoleOptions = {}) {
    const max = options.maxEpisodeSteps ?? CARTPOLE_CONSTANTS.maxEpisodeSteps;
    if (!(max >= 1)) {
      throw new RangeError(`CartPole: maxEpisodeSteps must be at least 1, got ${max}`);
    }
    this.maxEpisodeSteps = max;
  }

  /** The current `[x, xDot, theta, thetaDot]` (a copy), or null before the first reset. */
  get state(): number[] | null {
    return this.#state ? [...this.#state] : null;
  }

  /** Steps taken in the current episode. */
  get stepCount(): number {
    return this.#stepCount;
  }

  /**
   * Starts an episode from a state drawn uniformly from `[-0.05, 0.05]^4` (or `options.state`).
   */
  reset(
    { seed, options }: ResetOptions<CartPoleResetOptions> = {},
  ): ResetResult<number[]> {
    this.#rng = resolveGenerator(this.#rng, seed);
    if (options?.state !== undefined) {
      const s = options.state;
      if (s.length !== 4 || !s.every(Number.isFinite)) {
        throw new RangeError(
          `CartPole.reset: options.state must be 4 finite numbers [x, xDot, theta, thetaDot], got [${
            s.join(", ")
          }]`,
        );
      }
      this.#state = [s[0]!, s[1]!, s[2]!, s[3]!];
    } else {
      const rng = this.#rng;
      const draw = () => -0.05 + 0.1 * rng.random();
      this.#state = [draw(), draw(), draw(), draw()];
    }
    this.#stepCount = 0;
    this.#terminated = false;
    this.#truncated = false;
    return { observation: [...this.#state], info: {} };
  }

  /** Pushes the cart (0: left, 1: right) for one 0.02 s step. */
  step(action: number): StepResult<number[]> {
    const state = this.#state;
    if (state === null) {
      throw new Error("CartPole.step: the environment has not been reset; call reset() first");
    }
    if (this.#terminated || this.#truncated) {
      throw new Error(
        `CartPole.step: the episode already ended (${
          this.#terminated ? "terminated" : "truncated"
        } after ${this.#stepCount} steps); call reset() before stepping again`,
      );
    }
    checkDiscreteAction("CartPole", action, 2);
    const c = CARTPOLE_CONSTANTS;
    const totalMass = c.massPole + c.massCart;
    const poleMassLength = c.massPole * c.length;
    let [x, xDot, theta, thetaDot] = state;
    const force = action === 1 ? c.forceMag : -c.forceMag;
    const cosTheta = Math.cos(theta);
    const sinTheta = Math.sin(theta);
    // NOTE: same operation order as Gymnasium's step(), so results agree to the last bits
    // wherever Math.cos/Math.sin agree with numpy's.
    const temp = (force + poleMassLength * (thetaDot * thetaDot) * sinTheta) / totalMass;
    const thetaAcc = (c.gravity * sinTheta - cosTheta * temp) /
      (c.length * (4.0 / 3.0 - (c.massPole * (cosTheta * cosTheta)) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cosTheta) / totalMass;
    // Euler integration (Gymnasium's default kinematics_integrator="euler").
    x = x + c.tau * xDot;
    xDot = xDot + c.tau * xAcc;
    theta = theta + c.tau * thetaDot;
    thetaDot = thetaDot + c.tau * thetaAcc;
    this.#state = [x, xDot, theta, thetaDot];
    this.#stepCount++;
    this.#terminated = x < -c.xThreshold || x > c.xThreshold ||
      theta < -c.thetaThresholdRadians || theta > c.thetaThresholdRadians;
    this.#truncated = this.#stepCount >= this.maxEpisodeSteps;
    return {
      observation: [x, xDot, theta, thetaDot],
      reward: 1.0,
      terminated: this.#terminated,
      truncated: this.#truncated,
      info: {},
    };
  }

  /** Describes the current frame (see {@link CartPoleFrame}); throws before the first reset. */
  render(): CartPoleFrame {
    if (this.#state === null) {
      throw new Error("CartPole.render: nothing to draw yet; call reset() first");
    }
    const c = CARTPOLE_CONSTANTS;
    const scale = 600 / (c.xThreshold * 2); // Gymnasium draws 600 px over the track
    return {
      kind: "cartpole",
      x: this.#state[0],
      theta: this.#state[2],
      xThreshold: c.xThreshold,
      thetaThreshold: c.thetaThresholdRadians,
      poleLength: 2 * c.length,
      cartWidth: 50 / scale,
      cartHeight: 30 / scale,
      stepCount: this.#stepCount,
      terminated: this.#terminated,
      truncated: this.#truncated,
    };
  }
}
