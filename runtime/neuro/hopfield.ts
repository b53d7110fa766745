/**
 * The Hopfield (1982) network: $N$ binary neurons $s_i \in \{-1, +1\}$ with symmetric weights
 * learnt by the Hebbian outer-product rule
 * $$W = \frac{1}{N} \sum_{\mu=1}^{P} \xi^\mu \xi^{\mu\top}, \qquad W_{ii} = 0,$$
 * the update $s_i \leftarrow \operatorname{sign}(\sum_j W_{ij} s_j)$ and the energy
 * $E(s) = -\tfrac12 s^\top W s$, which asynchronous updates never increase.
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";

/** Options of {@link HopfieldNetwork.recall}. */
export interface RecallOptions {
  /** "async" updates one neuron at a time in random order; "sync" all at once (default async). */
  mode?: "async" | "sync";
  /** Maximum number of sweeps over all neurons (default 100). */
  maxSweeps?: number;
  /** Generator for the update order (default the global one). */
  generator?: Generator;
}

/** Result of {@link HopfieldNetwork.recall}. */
export interface RecallResult {
  /** The final state, entries ±1. */
  state: Int8Array;
  /** Sweeps run (a sweep visits every neuron once). */
  sweeps: number;
  /** True when the last sweep changed nothing (a fixed point; for sync also a 2-cycle end). */
  converged: boolean;
  /** Energy after each sweep, starting with the initial state. */
  energies: number[];
}

function sign(h: number, previous: number): number {
  // NOTE: a zero field keeps the neuron as it was, so ties never flip states back and forth.
  return h > 0 ? 1 : h < 0 ? -1 : previous;
}

/** A Hopfield network of `size` binary neurons. */
export class HopfieldNetwork {
  /** Number of neurons N. */
  readonly size: number;
  /** Weights, row-major [N, N]. */
  readonly weights: Float64Array;
  /** Patterns stored so far. */
  patternCount = 0;

  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { neuro } from "gradbook";
   * const net = new neuro.HopfieldNetwork(4);
   * net.store([[1, -1, 1, -1]]);
   * assert.deepEqual([...net.recall([1, 1, 1, -1]).state], [1, -1, 1, -1]);
   * ```
   */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`HopfieldNetwork: size must be a positive integer, got ${size}`);
    }
    this.size = size;
    this.weights = new Float64Array(size * size);
  }

  #check(state: ArrayLike<number>, op: string): void {
    if (state.length !== this.size) {
      throw new RangeError(`${op}: state has ${state.length} entries, the network ${this.size}`);
    }
  }

  /** Adds patterns (entries ±1) with the Hebbian outer-product rule. */
  store(patterns: readonly ArrayLike<number>[]): this {
    const n = this.size;
    const w = this.weights;
    for (const [p, xi] of patterns.entries()) {
      this.#check(xi, `store: pattern ${p}`);
      for (let i = 0; i < n; i++) {
        const xiI = xi[i]! / n;
        const row = i * n;
        for (let j = 0; j < n; j++) if (j !== i) w[row + j] = w[row + j]! + xiI * xi[j]!;
      }
    }
    this.patternCount += patterns.length;
    return this;
  }

  /** The local field $h_i = \sum_j W_{ij} s_j$ of neuron i. */
  field(state: ArrayLike<number>, i: number): number {
    const n = this.size;
    const row = i * n;
    let h = 0;
    for (let j = 0; j < n; j++) h += this.weights[row + j]! * state[j]!;
    return h;
  }

  /** The energy $E(s) = -\tfrac12 \sum_{ij} W_{ij} s_i s_j$. */
  energy(state: ArrayLike<number>): number {
    this.#check(state, "energy");
    let e = 0;
    for (let i = 0; i < this.size; i++) e += state[i]! * this.field(state, i);
    return -0.5 * e;
  }

  /** Runs the dynamics from `initial` until a fixed point or `maxSweeps`. */
  recall(initial: ArrayLike<number>, options: RecallOptions = {}): RecallResult {
    this.#check(initial, "recall");
    const n = this.size;
    const mode = options.mode ?? "async";
    const maxSweeps = options.maxSweeps ?? 100;
    const generator = options.generator ?? globalGenerator;
    let s = Int8Array.from(initial, (v) => (v >= 0 ? 1 : -1));
    const energies = [this.energy(s)];
    const fields = new Float64Array(n);
    if (mode === "async") { for (let i = 0; i < n; i++) fields[i] = this.field(s, i); }
    let sweeps = 0;
    let converged = false;
    while (sweeps < maxSweeps && !converged) {
      sweeps++;
      let changed = 0;
      if (mode === "async") {
        let e = energies.at(-1)!;
        for (const i of generator.permutation(n)) {
          const h = fields[i]!;
          const next = sign(h, s[i]!);
          if (next !== s[i]) {
            const delta = next - s[i]!;
            // flipping s_i changes E by -(new - old) h_i (W symmetric, zero diagonal) ...
            e -= delta * h;
            s[i] = next;
            changed++;
            // ... and every field by W_ji (new - old): O(N) per flip instead of O(N) per visit
            const w = this.weights;
            for (let j = 0, row = i * n; j < n; j++) fields[j] = fields[j]! + w[row + j]! * delta;
          }
        }
        energies.push(e);
      } else {
        const next = new Int8Array(n);
        for (let i = 0; i < n; i++) {
          next[i] = sign(this.field(s, i), s[i]!);
          if (next[i] !== s[i]) changed++;
        }
        s = next;
        energies.push(this.energy(s));
      }
      converged = changed === 0;
    }
    return { state: s, sweeps, converged, energies };
  }
}

/** The overlap $m = \frac1N \sum_i a_i b_i$ of two ±1 states (1 when equal, -1 when opposite). */
export function overlap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`overlap: states have ${a.length} and ${b.length} entries`);
  }
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i]! * b[i]!;
  return m / a.length;
}

/** Random ±1 patterns, each entry +1 with probability 1/2. */
export function randomPatterns(
  count: number,
  size: number,
  generator: Generator = globalGenerator,
): Int8Array[] {
  return Array.from(
    { length: count },
    () => Int8Array.from({ length: size }, () => (generator.random() < 0.5 ? -1 : 1)),
  );
}

/** Flips `fraction` of the entries of `pattern` (chosen at random, without repeats). */
export function corrupt(
  pattern: ArrayLike<number>,
  fraction: number,
  generator: Generator = globalGenerator,
): Int8Array {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`corrupt: fraction must be in [0, 1], got ${fraction}`);
  }
  const out = Int8Array.from(pattern, (v) => (v >= 0 ? 1 : -1));
  const flips = Math.round(fraction * out.length);
  for (const i of generator.permutation(out.length).slice(0, flips)) out[i] = -out[i]!;
  return out;
}
