/**
 * Experience replay (Lin, 1992; Mnih et al., 2015): a fixed-capacity ring buffer of transitions
 * from which DQN samples uncorrelated mini-batches.
 *
 * @module
 */
import { Generator, globalGenerator } from "../random.ts";

/** One transition $(s, a, r, s', \text{done})$. */
export interface TransitionSample {
  /** The observation $s$ (length `observationSize`). */
  observation: ArrayLike<number>;
  /** The action $a$: a number, or an array of length `actionSize`. */
  action: number | ArrayLike<number>;
  /** The reward $r$. */
  reward: number;
  /** The next observation $s'$. */
  nextObservation: ArrayLike<number>;
  /** True when $s'$ is terminal (not merely truncated): its value is 0 in the TD target. */
  terminated: boolean;
}

/**
 * A mini-batch, row-major: `observations` holds `batchSize * observationSize` numbers, ready for
 * `tensor(batch.observations, { shape: [batchSize, observationSize] })`.
 */
export interface ReplayBatch {
  /** Shape [batchSize, observationSize]. */
  observations: Float64Array;
  /** Shape [batchSize, actionSize] (or [batchSize] when `actionSize` is 1). */
  actions: Float64Array;
  /** Shape [batchSize]. */
  rewards: Float64Array;
  /** Shape [batchSize, observationSize]. */
  nextObservations: Float64Array;
  /** Shape [batchSize]: 1 where the next state is terminal, else 0. */
  terminated: Float64Array;
  /** Which slots were drawn. */
  indices: number[];
}

/** Options for `new ReplayBuffer()`. */
export interface ReplayBufferOptions {
  /** The most transitions kept; the oldest are overwritten first. */
  capacity: number;
  /** Numbers per observation (4 for CartPole). */
  observationSize: number;
  /** Numbers per action; default 1 (a discrete action index). */
  actionSize?: number;
  /** Generator for `sample()`; default: the global generator (so `seed(n)` fixes it). */
  generator?: Generator;
  /** Shortcut for `generator: new Generator(seed)`. */
  seed?: number;
}

/**
 * A ring buffer of transitions stored in preallocated Float64Arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const buffer = new rl.ReplayBuffer({ capacity: 10_000, observationSize: 4, seed: 0 });
 * buffer.push({
 *   observation: [0, 0, 0, 0],
 *   action: 1,
 *   reward: 1,
 *   nextObservation: [0, 0.2, 0, -0.3],
 *   terminated: false,
 * });
 * const batch = buffer.sample(1);
 * assert.equal(buffer.size, 1);
 * assert.deepEqual([...batch.rewards], [1]);
 * ```
 */
export class ReplayBuffer {
  /** The most transitions kept. */
  readonly capacity: number;
  /** Numbers per observation. */
  readonly observationSize: number;
  /** Numbers per action. */
  readonly actionSize: number;
  #observations: Float64Array;
  #actions: Float64Array;
  #rewards: Float64Array;
  #nextObservations: Float64Array;
  #terminated: Float64Array;
  #generator: Generator;
  #next = 0;
  #size = 0;

  constructor(options: ReplayBufferOptions) {
    const { capacity, observationSize } = options;
    const actionSize = options.actionSize ?? 1;
    for (
      const [name, value] of [["capacity", capacity], ["observationSize", observationSize], [
        "actionSize",
        actionSize,
      ]] as const
    ) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`ReplayBuffer: ${name} must be a positive integer, got ${value}`);
      }
    }
    this.capacity = capacity;
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.#observations = new Float64Array(capacity * observationSize);
    this.#nextObservations = new Float64Array(capacity * observationSize);
    this.#actions = new Float64Array(capacity * actionSize);
    this.#rewards = new Float64Array(capacity);
    this.#terminated = new Float64Array(capacity);
    this.#generator = options.generator ??
      (options.seed !== undefined ? new Generator(options.seed) : globalGenerator);
  }

  /** How many transitions are stored (at most `capacity`). */
  get size(): number {
    return this.#size;
  }

  /** Stores a transition, overwriting the oldest once full. */
  push(transition: TransitionSample): void {
    const { observation, action, reward, nextObservation, terminated } = transition;
    const n = this.observationSize;
    if (observation.length !== n || nextObservation.length !== n) {
      throw new RangeError(
        `ReplayBuffer.push: observations must have ${n} numbers, got ${observation.length} and ${nextObservation.length}`,
      );
    }
    const actionLength = typeof action === "number" ? 1 : action.length;
    if (actionLength !== this.actionSize) {
      throw new RangeError(
        `ReplayBuffer.push: action must have ${this.actionSize} numbers, got ${actionLength}`,
      );
    }
    const i = this.#next;
    for (let k = 0; k < n; k++) {
      this.#observations[i * n + k] = observation[k]!;
      this.#nextObservations[i * n + k] = nextObservation[k]!;
    }
    if (typeof action === "number") this.#actions[i] = action;
    else for (let k = 0; k < actionLength; k++) this.#actions[i * actionLength + k] = action[k]!;
    this.#rewards[i] = reward;
    this.#terminated[i] = terminated ? 1 : 0;
    this.#next = (i + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** The transition in slot `index` (slots are reused in ring order once full). */
  get(index: number): TransitionSample & { action: number[] } {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) {
      throw new RangeError(
        `ReplayBuffer.get: index ${index} is outside the ${this.#size} stored transitions`,
      );
    }
    const n = this.observationSize;
    const m = this.actionSize;
    return {
      observation: [...this.#observations.subarray(index * n, (index + 1) * n)],
      action: [...this.#actions.subarray(index * m, (index + 1) * m)],
      reward: this.#rewards[index]!,
      nextObservation: [...this.#nextObservations.subarray(index * n, (index + 1) * n)],
      terminated: this.#terminated[index] === 1,
    };
  }

  /**
   * Draws `batchSize` distinct stored transitions uniformly at random (without replacement,
   * like `random.sample` in PyTorch's DQN tutorial), using Floyd's algorithm.
   */
  sample(batchSize: number): ReplayBatch {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.#size) {
      throw new RangeError(
        `ReplayBuffer.sample: batchSize must be an integer in [1, ${this.#size}] (the number stored), got ${batchSize}`,
      );
    }
    // Floyd (1987): a uniform k-subset of {0..n-1} in k draws.
    const chosen = new Set<number>();
    const indices: number[] = [];
    for (let j = this.#size - batchSize; j < this.#size; j++) {
      const t = this.#generator.randint(0, j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      indices.push(pick);
    }
    const n = this.observationSize;
    const m = this.actionSize;
    const batch: ReplayBatch = {
      observations: new Float64Array(batchSize * n),
      actions: new Float64Array(batchSize * m),
      rewards: new Float64Array(batchSize),
      nextObservations: new Float64Array(batchSize * n),
      terminated: new Float64Array(batchSize),
      indices,
    };
    indices.forEach((slot, row) => {
      batch.observations.set(this.#observations.subarray(slot * n, (slot + 1) * n), row * n);
      batch.nextObservations.set(
        this.#nextObservations.subarray(slot * n, (slot + 1) * n),
        row * n,
      );
      batch.actions.set(this.#actions.subarray(slot * m, (slot + 1) * m), row * m);
      batch.rewards[row] = this.#rewards[slot]!;
      batch.terminated[row] = this.#terminated[slot]!;
    });
    return batch;
  }

  /** Forgets every transition. */
  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}
