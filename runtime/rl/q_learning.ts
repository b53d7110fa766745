/**
 * Tabular Q-learning (Watkins, 1989; Sutton & Barto, 2018, §6.5).
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";
import { epsilonGreedy } from "./exploration.ts";
import { argmaxFirst } from "./value_iteration.ts";

/** Options for `new QLearning()`. */
export interface QLearningOptions {
  /** The number of states. */
  numStates: number;
  /** The number of actions. */
  numActions: number;
  /** Step size α; default 0.1. */
  learningRate?: number;
  /** Discount γ; default 0.99. */
  gamma?: number;
  /** Initial value of every entry; default 0 (optimistic values encourage exploration). */
  initialValue?: number;
  /** Generator for ε-greedy; default: the global generator. */
  generator?: Generator;
}

/**
 * A Q-table with the off-policy TD update
 * $Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma \max_{a'} Q(s',a') - Q(s,a)]$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.GridWorld({ layout: ["S..G"] });
 * const agent = new rl.QLearning({ numStates: 4, numActions: 4, learningRate: 0.5, gamma: 0.9 });
 * for (let episode = 0; episode < 50; episode++) {
 *   let { observation: state } = env.reset({ seed: episode });
 *   for (;;) {
 *     const action = agent.act(state, 0.2);
 *     const { observation, reward, terminated, truncated } = env.step(action);
 *     agent.update(state, action, reward, observation, terminated);
 *     state = observation;
 *     if (terminated || truncated) break;
 *   }
 * }
 * // right, right, right (the goal needs none)
 * assert.deepEqual([...agent.greedyPolicy()], [1, 1, 1, 0]);
 * ```
 */
export class QLearning {
  /** `q[state][action]`. */
  readonly q: Float64Array[];
  /** Step size α. */
  learningRate: number;
  /** Discount γ. */
  gamma: number;
  readonly #generator: Generator;

  constructor(options: QLearningOptions) {
    const { numStates, numActions } = options;
    if (
      !Number.isInteger(numStates) || numStates < 1 || !Number.isInteger(numActions) ||
      numActions < 1
    ) {
      throw new RangeError(
        `QLearning: numStates and numActions must be positive integers, got ${numStates} and ${numActions}`,
      );
    }
    this.q = Array.from(
      { length: numStates },
      () => new Float64Array(numActions).fill(options.initialValue ?? 0),
    );
    this.learningRate = options.learningRate ?? 0.1;
    this.gamma = options.gamma ?? 0.99;
    this.#generator = options.generator ?? globalGenerator;
  }

  /** An ε-greedy action in `state` (ties broken at random). */
  act(state: number, epsilon: number): number {
    return epsilonGreedy(this.#row(state), epsilon, this.#generator);
  }

  /**
   * Applies one TD update and returns the TD error $\delta$. Pass `terminated` (not
   * `truncated`): only a terminal next state has value 0.
   */
  update(
    state: number,
    action: number,
    reward: number,
    nextState: number,
    terminated: boolean,
  ): number {
    const row = this.#row(state);
    if (!Number.isInteger(action) || action < 0 || action >= row.length) {
      throw new RangeError(
        `QLearning.update: action must be an integer in [0, ${row.length}), got ${action}`,
      );
    }
    const next = this.#row(nextState);
    const target = reward + (terminated ? 0 : this.gamma * Math.max(...next));
    const tdError = target - row[action]!;
    row[action] = row[action]! + this.learningRate * tdError;
    return tdError;
  }

  /** $\max_a Q(s, a)$ per state. */
  values(): Float64Array {
    return Float64Array.from(this.q, (row) => Math.max(...row));
  }

  /** The first best action per state. */
  greedyPolicy(): number[] {
    return this.q.map((row) => argmaxFirst(row));
  }

  #row(state: number): Float64Array {
    const row = this.q[state];
    if (!row) {
      throw new RangeError(`QLearning: state ${state} is outside [0, ${this.q.length})`);
    }
    return row;
  }
}
