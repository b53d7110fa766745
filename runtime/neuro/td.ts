/**
 * Temporal-difference (TD) learning of a cue–reward association, the model of dopamine
 * responses of Schultz, Dayan & Montague (1997) and Montague, Dayan & Sejnowski (1996).
 *
 * Each trial has `steps` time steps. A cue appears at `cueStep` and a reward `reward` arrives at
 * `rewardStep`. The cue starts a "complete serial compound": from the cue on, one feature per
 * time since the cue is on, so the value $V(t) = w_{t - t_{cue}}$ is one learnt number per
 * step after the cue, and $V(t) = 0$ before it (the cue comes at an unpredictable moment). The TD
 * error at step $t$ is
 * $$\delta(t) = r(t) + \gamma V(t) - V(t-1),$$
 * and TD(0) moves the value of the previous step towards its target,
 * $w_{t - 1 - t_{cue}} \leftarrow w_{t - 1 - t_{cue}} + \alpha\, \delta(t)$ (Sutton & Barto, 2018,
 * section 6.1). Once learnt, $V(t) = \gamma^{t_{reward} - t - 1}\, r$ between cue and reward, so
 * $\delta$ is $\gamma^{t_{reward} - t_{cue}} r$ at the cue and $0$ at the reward; a trial without
 * reward gives $\delta = -V(t_{reward} - 1)$ at the reward's usual time.
 *
 * @module
 */

/** Options of {@link simulateTdConditioning}. */
export interface TdConditioningOptions {
  /** Number of trials (required). */
  trials: number;
  /** Time steps per trial (default 25). */
  steps?: number;
  /** Step at which the cue appears (default 5). */
  cueStep?: number;
  /** Step at which the reward arrives (default 20). */
  rewardStep?: number;
  /** Size of the reward (default 1). */
  reward?: number;
  /** Discount factor $\gamma$ per step (default 0.98). */
  gamma?: number;
  /** Learning rate $\alpha$ (default 0.2). */
  learningRate?: number;
  /** Trials (0-based) on which the reward is withheld (default none). */
  omitRewardOn?: (trial: number) => boolean;
}

/** Result of {@link simulateTdConditioning}: one row per trial, one column per time step. */
export interface TdConditioningResult {
  /** $\delta(t)$ of every trial; $\delta(0) = 0$. */
  errors: number[][];
  /** $V(t)$ at the start of every trial (before that trial's updates). */
  values: number[][];
  /** The learnt weights after the last trial, one per step from the cue on. */
  weights: number[];
}

/**
 * Runs TD(0) over `trials` conditioning trials and records the TD error of every step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const { errors } = neuro.simulateTdConditioning({ trials: 300 });
 * assert.equal(errors[0]![20], 1); // first trial: the reward is a surprise
 * assert.ok(Math.abs(errors[299]![20]!) < 0.01); // learnt: the reward is predicted...
 * assert.ok(Math.abs(errors[299]![5]! - 0.98 ** 15) < 0.01); // ...and the cue carries the surprise
 * ```
 */
export function simulateTdConditioning(options: TdConditioningOptions): TdConditioningResult {
  const steps = options.steps ?? 25;
  const cue = options.cueStep ?? 5;
  const rewardAt = options.rewardStep ?? 20;
  const reward = options.reward ?? 1;
  const gamma = options.gamma ?? 0.98;
  const alpha = options.learningRate ?? 0.2;
  const omit = options.omitRewardOn ?? (() => false);
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new RangeError(
      `simulateTdConditioning: trials must be a positive integer, got ${options.trials}`,
    );
  }
  if (
    !(Number.isInteger(cue) && Number.isInteger(rewardAt) && 1 <= cue && cue < rewardAt &&
      rewardAt < steps)
  ) {
    throw new RangeError(
      `simulateTdConditioning: need 1 <= cueStep (${cue}) < rewardStep (${rewardAt}) < steps (${steps})`,
    );
  }
  if (!(gamma >= 0 && gamma <= 1)) {
    throw new RangeError(`simulateTdConditioning: gamma must be in [0, 1], got ${gamma}`);
  }
  const weights = new Array<number>(steps - cue).fill(0);
  const value = (t: number) => (t < cue ? 0 : weights[t - cue]!);
  const errors: number[][] = [];
  const values: number[][] = [];
  for (let trial = 0; trial < options.trials; trial++) {
    values.push(Array.from({ length: steps }, (_, t) => value(t)));
    const delta = new Array<number>(steps).fill(0);
    const rewarded = !omit(trial);
    for (let t = 1; t < steps; t++) {
      const r = t === rewardAt && rewarded ? reward : 0;
      delta[t] = r + gamma * value(t) - value(t - 1);
      if (t - 1 >= cue) weights[t - 1 - cue] = weights[t - 1 - cue]! + alpha * delta[t]!;
    }
    errors.push(delta);
  }
  return { errors, values, weights };
}
