/**
 * A network of LIF neurons (see `lif.ts` for the single-neuron model and units) coupled by
 * instantaneous synapses: when neuron $j$ spikes at step $n$, every neuron $i$ receives a jump
 * of $W_{ij}$ mV in its membrane potential at step $n+1$ (a one-step synaptic delay). Neurons in
 * their refractory period ignore input.
 *
 * @module
 */
import { type LifOptions, lifParams } from "./lif.ts";

/** Options of {@link simulateLifNetwork}. */
export interface LifNetworkOptions extends LifOptions {
  /** Synaptic weights in mV, `weights[i][j]` from neuron j to neuron i; shape [n, n]. */
  weights: readonly (readonly number[])[];
  /**
   * External current in nA: one constant per neuron, or a function of (time in ms, neuron).
   * A function is called once per neuron per step, so it may draw noise.
   */
  input: readonly number[] | ((timeMs: number, neuron: number) => number);
  /** Simulated time in ms. */
  duration: number;
  /** Neurons whose voltage to record (default none). */
  record?: readonly number[];
}

/** Result of {@link simulateLifNetwork}. */
export interface LifNetworkResult {
  /** `spikes[i]` holds the spike times (ms) of neuron i, ready for `plot.raster`. */
  spikes: number[][];
  /** Recorded voltages, one array per entry of `record`, with `steps + 1` samples. */
  voltages: Float64Array[];
}

/**
 * Simulates a network of LIF neurons with forward Euler.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * // neuron 0 is driven; each of its spikes kicks neuron 1 over threshold
 * const { spikes } = neuro.simulateLifNetwork({
 *   weights: [[0, 0], [20, 0]],
 *   input: [2, 0],
 *   duration: 100,
 * });
 * assert.ok(spikes[0]!.length > 0);
 * assert.equal(spikes[1]!.length, spikes[0]!.length); // one spike of neuron 1 per input spike
 * ```
 */
export function simulateLifNetwork(options: LifNetworkOptions): LifNetworkResult {
  const p = lifParams(options);
  const n = options.weights.length;
  for (const [i, row] of options.weights.entries()) {
    if (row.length !== n) {
      throw new RangeError(
        `simulateLifNetwork: weights must be square; row ${i} has ${row.length} entries, not ${n}`,
      );
    }
  }
  const { input } = options;
  if (typeof input !== "function" && input.length !== n) {
    throw new RangeError(
      `simulateLifNetwork: input has ${input.length} currents for ${n} neurons`,
    );
  }
  const current = typeof input === "function" ? input : (_t: number, i: number) => input[i]!;
  const steps = Math.round(options.duration / p.dt);
  const record = options.record ?? [];
  const voltages = record.map(() => new Float64Array(steps + 1));
  const v = new Float64Array(n).fill(p.reset);
  const refractoryUntil = new Float64Array(n).fill(-Infinity);
  const spikes: number[][] = Array.from({ length: n }, () => []);
  let spikedLastStep: number[] = [];
  for (const [r, i] of record.entries()) voltages[r]![0] = v[i]!;
  for (let step = 0; step < steps; step++) {
    const t = step * p.dt;
    const tNext = (step + 1) * p.dt;
    const spikedNow: number[] = [];
    for (let i = 0; i < n; i++) {
      if (tNext <= refractoryUntil[i]! + 1e-9 * p.dt) {
        v[i] = p.reset;
        continue;
      }
      let vi = v[i]! + (p.dt / p.tau) * (-v[i]! + p.resistance * current(t, i));
      const row = options.weights[i]!;
      for (const j of spikedLastStep) vi += row[j]!;
      if (vi >= p.threshold) {
        spikes[i]!.push(tNext);
        spikedNow.push(i);
        vi = p.reset;
        refractoryUntil[i] = tNext + p.refractory;
      }
      v[i] = vi;
    }
    spikedLastStep = spikedNow;
    for (const [r, i] of record.entries()) voltages[r]![step + 1] = v[i]!;
  }
  return { spikes, voltages };
}
