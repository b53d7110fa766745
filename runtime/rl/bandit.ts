/**
 * The k-armed bandit testbed (Sutton & Barto, 2018, §2.3): arm means drawn from N(0, 1),
 * rewards from N(mean, 1).
 *
 * @module
 */
import type { Generator } from "../random.ts";
import {
  checkDiscreteAction,
  type DiscreteSpace,
  type Env,
  type ResetOptions,
  type ResetResult,
  resolveGenerator,
  type StepResult,
} from "./env.ts";

/** A bandit frame: the arms' means and how often each was pulled. */
export interface BanditFrame {
  /** Always `"bandit"`. */
  kind: "bandit";
  /** True mean reward of each arm. */
  means: number[];
  /** Pulls per arm in this episode. */
  pulls: number[];
}

/** Options for `new MultiArmedBandit()`. */
export interface MultiArmedBanditOptions {
  /** Number of arms; default 10. */
  arms?: number;
  /** Fixed arm means (else drawn from N(0, 1) at each reset). */
  means?: readonly number[];
  /** Standard deviation of rewards around the mean; default 1. */
  rewardStd?: number;
  /** Pulls per episode; default 1000. */
  maxEpisodeSteps?: number;
}

/**
 * A k-armed bandit. The observation is always 0 (a single state); `step(arm)` pays a reward
 * drawn from N(mean[arm], rewardStd²). Episodes only end by truncation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const bandit = new rl.MultiArmedBandit({ arms: 3, means: [0, 1, 0.5] });
 * bandit.reset({ seed: 0 });
 * const { reward } = bandit.step(1); // about 1
 * assert.equal(bandit.optimalArm, 1);
 * ```
 */
export class MultiArmedBandit implements Env<number, number, BanditFrame> {
  /** One action per arm. */
  readonly actionSpace: DiscreteSpace;
  /** A single state. */
  readonly observationSpace: DiscreteSpace = { kind: "discrete", n: 1 };
  /** Pulls per episode. */
  readonly maxEpisodeSteps: number;
  /** Reward noise. */
  readonly rewardStd: number;
  #fixedMeans: number[] | null;
  #means: number[] = [];
  #pulls: number[] = [];
  #rng: Generator | null = null;
  #stepCount = 0;

  constructor(options: MultiArmedBanditOptions = {}) {
    const arms = options.arms ?? options.means?.length ?? 10;
    if (!Number.isInteger(arms) || arms < 1) {
      throw new RangeError(`MultiArmedBandit: arms must be a positive integer, got ${arms}`);
    }
    if (options.means && options.means.length !== arms) {
      throw new RangeError(
        `MultiArmedBandit: ${options.means.length} means given for ${arms} arms`,
      );
    }
    this.actionSpace = { kind: "discrete", n: arms };
    this.#fixedMeans = options.means ? [...options.means] : null;
    this.rewardStd = options.rewardStd ?? 1;
    this.maxEpisodeSteps = options.maxEpisodeSteps ?? 1000;
  }

  /** The arms' true means (drawn at reset unless fixed). */
  get means(): number[] {
    return [...this.#means];
  }

  /** The arm with the highest mean. */
  get optimalArm(): number {
    let best = 0;
    for (let a = 1; a < this.#means.length; a++) if (this.#means[a]! > this.#means[best]!) best = a;
    return best;
  }

  /** Starts an episode, drawing new arm means unless they are fixed. */
  reset({ seed }: ResetOptions = {}): ResetResult<number> {
    const rng = this.#rng = resolveGenerator(this.#rng, seed);
    const arms = this.actionSpace.n;
    this.#means = this.#fixedMeans ? [...this.#fixedMeans] : Array.from(
      { length: arms },
      () => rng.normal(),
    );
    this.#pulls = new Array(arms).fill(0);
    this.#stepCount = 0;
    return { observation: 0, info: { means: this.means } };
  }

  /** Pulls one arm. */
  step(action: number): StepResult<number> {
    if (this.#rng === null) {
      throw new Error(
        "MultiArmedBandit.step: the environment has not been reset; call reset() first",
      );
    }
    if (this.#stepCount >= this.maxEpisodeSteps) {
      throw new Error(
        `MultiArmedBandit.step: the episode already ended after ${this.#stepCount} pulls; call reset() before stepping again`,
      );
    }
    checkDiscreteAction("MultiArmedBandit", action, this.actionSpace.n);
    this.#pulls[action]!++;
    this.#stepCount++;
    return {
      observation: 0,
      reward: this.#means[action]! + this.rewardStd * this.#rng.normal(),
      terminated: false,
      truncated: this.#stepCount >= this.maxEpisodeSteps,
      info: {},
    };
  }

  /** Describes the arms (see {@link BanditFrame}). */
  render(): BanditFrame {
    return { kind: "bandit", means: this.means, pulls: [...this.#pulls] };
  }
}
