/**
 * Exploration: ε-greedy action selection and schedules that decay ε over training.
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";

/**
 * Picks a random action with probability `epsilon`, otherwise a greedy one (ties broken
 * uniformly at random, so an all-zero Q-table does not always pick action 0).
 *
 * Draws: one `random()` to decide; then one `randint` for the random action, or one `randint`
 * among the tied best actions only when there is a tie.
 *
 * @param qValues One value per action: an array, a typed array, or a 1-D tensor (`.data`).
 * @param epsilon Exploration probability in [0, 1].
 * @param generator Default: the global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Generator, rl } from "gradbook";
 * const generator = new Generator(0);
 * let best = 0;
 * for (let i = 0; i < 1000; i++) if (rl.epsilonGreedy([0.1, 0.5, 0.2], 0.1, generator) === 1) best++;
 * assert.ok(best > 900 && best < 960); // 0.9 + 0.1 / 3 ≈ 93% of the time
 * ```
 */
export function epsilonGreedy(
  qValues: ArrayLike<number> | { readonly data: ArrayLike<number> },
  epsilon: number,
  generator: Generator = globalGenerator,
): number {
  const q: ArrayLike<number> = "data" in qValues ? qValues.data : qValues;
  if (q.length === 0) throw new RangeError("epsilonGreedy: qValues is empty (no actions)");
  if (!(epsilon >= 0 && epsilon <= 1)) {
    throw new RangeError(`epsilonGreedy: epsilon must be in [0, 1], got ${epsilon}`);
  }
  if (generator.random() < epsilon) return generator.randint(0, q.length);
  let best = -Infinity;
  const ties: number[] = [];
  for (let a = 0; a < q.length; a++) {
    const value = q[a]!;
    if (Number.isNaN(value)) {
      throw new RangeError(`epsilonGreedy: qValues[${a}] is NaN; check the network's output`);
    }
    if (value > best) {
      best = value;
      ties.length = 0;
      ties.push(a);
    } else if (value === best) ties.push(a);
  }
  return ties.length === 1 ? ties[0]! : ties[generator.randint(0, ties.length)]!;
}

/** A schedule maps a step count (0, 1, 2, ...) to a value such as ε. */
export type Schedule = (step: number) => number;

/**
 * Linear decay from `start` to `end` over `duration` steps, then constant `end` (the schedule
 * of Mnih et al., 2015: 1 → 0.1 over the first million frames).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const epsilon = rl.linearSchedule({ start: 1, end: 0.05, duration: 1000 });
 * assert.deepEqual([epsilon(0), epsilon(500), epsilon(5000)].map((v) => +v.toFixed(9)), [1, 0.525, 0.05]);
 * ```
 */
export function linearSchedule(
  { start, end, duration }: { start: number; end: number; duration: number },
): Schedule {
  if (!(duration > 0)) {
    throw new RangeError(`linearSchedule: duration must be positive, got ${duration}`);
  }
  return (step) => {
    const fraction = Math.max(step, 0) / duration;
    return fraction >= 1 ? end : start + (end - start) * fraction;
  };
}

/**
 * Exponential decay $\varepsilon(t) = \text{end} + (\text{start} - \text{end})\,e^{-t/\text{decay}}$
 * (the `EPS_START`, `EPS_END`, `EPS_DECAY` schedule of PyTorch's DQN tutorial): the gap to
 * `end` shrinks by a factor e every `decay` steps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const epsilon = rl.exponentialSchedule({ start: 0.9, end: 0.05, decay: 1000 });
 * assert.equal(epsilon(0), 0.9);
 * assert.ok(Math.abs(epsilon(1000) - (0.05 + 0.85 * Math.exp(-1))) < 1e-12); // 0.3627...
 * ```
 */
export function exponentialSchedule(
  { start, end, decay }: { start: number; end: number; decay: number },
): Schedule {
  if (!(decay > 0)) {
    throw new RangeError(`exponentialSchedule: decay must be positive, got ${decay}`);
  }
  return (step) => end + (start - end) * Math.exp(-Math.max(step, 0) / decay);
}
