/**
 * The full transition model of a small MDP, in the shape of Gymnasium's `env.P` for
 * FrozenLake: `transitions[state][action]` lists every outcome with its probability.
 *
 * @module
 */

/** One possible outcome of taking an action in a state. */
export interface Transition {
  /** $P(s' \mid s, a)$; the outcomes of one `(s, a)` sum to 1. */
  probability: number;
  /** The next state $s'$. */
  nextState: number;
  /** The reward $r(s, a, s')$. */
  reward: number;
  /** True when $s'$ ends the episode (its value is 0). */
  terminated: boolean;
}

/**
 * A tabular MDP: states `0..numStates-1`, actions `0..numActions-1`. A state whose action lists
 * are all empty is terminal or unreachable (a wall): it has value 0 and no greedy action.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * // Two states: from 0, action 0 stays (reward 0), action 1 reaches terminal state 1 (reward 1).
 * const model: rl.TabularModel = {
 *   numStates: 2,
 *   numActions: 2,
 *   transitions: [
 *     [
 *       [{ probability: 1, nextState: 0, reward: 0, terminated: false }],
 *       [{ probability: 1, nextState: 1, reward: 1, terminated: true }],
 *     ],
 *     [[], []],
 *   ],
 * };
 * const { values } = rl.valueIteration(model, 0.9);
 * assert.equal(values[0], 1);
 * ```
 */
export interface TabularModel {
  /** The number of states. */
  numStates: number;
  /** The number of actions. */
  numActions: number;
  /** `transitions[state][action]`: the outcomes of taking `action` in `state`. */
  transitions: Transition[][][];
}
