/**
 * Dynamic programming on a known tabular model: the Bellman optimality backup and value
 * iteration (Bellman, 1957; Sutton & Barto, 2018, §4.4).
 *
 * @module
 */
import type { TabularModel } from "./tabular_model.ts";

/**
 * The action values of one state under the current value estimate:
 * $Q(s, a) = \sum_{s'} P(s' \mid s, a)\,[r + \gamma (1 - \text{done}) V(s')]$.
 * Returns an empty array for a terminal state (no outcomes for any action).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.GridWorld({ layout: ["S.G"] });
 * const q = rl.bellmanBackup(env.transitionModel(), [0, 0.5, 0], 0.9, 1);
 * // up and down bump into the edge and stay
 * assert.deepEqual([...q].map((v) => +v.toFixed(9)), [0.45, 1, 0.45, 0]);
 * ```
 */
export function bellmanBackup(
  model: TabularModel,
  values: ArrayLike<number>,
  gamma: number,
  state: number,
): number[] {
  const actions = model.transitions[state];
  if (!actions) {
    throw new RangeError(
      `bellmanBackup: state ${state} is outside the model's ${model.numStates} states`,
    );
  }
  if (actions.every((outcomes) => outcomes.length === 0)) return [];
  return actions.map((outcomes) => {
    let q = 0;
    for (const { probability, nextState, reward, terminated } of outcomes) {
      q += probability * (reward + (terminated ? 0 : gamma * values[nextState]!));
    }
    return q;
  });
}

/** Options for {@link valueIteration}. */
export interface ValueIterationOptions {
  /** Stop when no value changes by more than this; default 1e-10. */
  tolerance?: number;
  /** Give up after this many sweeps; default 10 000. */
  maxIterations?: number;
}

/** What {@link valueIteration} returns. */
export interface ValueIterationResult {
  /** $V^*(s)$ per state (0 for terminal states and walls). */
  values: Float64Array;
  /** $Q^*(s, \cdot)$ per state (empty for terminal states). */
  qValues: number[][];
  /** A greedy action per state (the first best one), -1 for terminal states. */
  policy: Int32Array;
  /** Sweeps done. */
  iterations: number;
  /** The largest value change of each sweep (for a convergence plot). */
  deltas: number[];
  /** True when the last change was within `tolerance`. */
  converged: boolean;
}

/**
 * Value iteration with synchronous sweeps: $V_{k+1}(s) = \max_a Q_k(s, a)$ until the largest
 * change is at most `tolerance`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.GridWorld({ layout: ["S.G"] });
 * const { values, policy } = rl.valueIteration(env.transitionModel(), 0.9);
 * assert.deepEqual([[...values], [...policy]], [[0.9, 1, 0], [1, 1, -1]]);
 * ```
 */
export function valueIteration(
  model: TabularModel,
  gamma: number,
  options: ValueIterationOptions = {},
): ValueIterationResult {
  if (!(gamma >= 0 && gamma <= 1)) {
    throw new RangeError(`valueIteration: gamma must be in [0, 1], got ${gamma}`);
  }
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 10_000;
  let values = new Float64Array(model.numStates);
  const deltas: number[] = [];
  let converged = false;
  while (deltas.length < maxIterations) {
    const next = new Float64Array(model.numStates);
    let delta = 0;
    for (let s = 0; s < model.numStates; s++) {
      const q = bellmanBackup(model, values, gamma, s);
      next[s] = q.length === 0 ? 0 : Math.max(...q);
      delta = Math.max(delta, Math.abs(next[s]! - values[s]!));
    }
    values = next;
    deltas.push(delta);
    if (delta <= tolerance) {
      converged = true;
      break;
    }
  }
  const qValues: number[][] = [];
  const policy = new Int32Array(model.numStates).fill(-1);
  for (let s = 0; s < model.numStates; s++) {
    const q = bellmanBackup(model, values, gamma, s);
    qValues.push(q);
    if (q.length > 0) policy[s] = argmaxFirst(q);
  }
  return { values, qValues, policy, iterations: deltas.length, deltas, converged };
}

/** The index of the first largest entry. */
export function argmaxFirst(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
