/**
 * A population of direction-tuned neurons, like the motor-cortex cells of Georgopoulos,
 * Schwartz & Kettner (1986), and the population-vector decoder.
 *
 * Cosine tuning: neuron $i$ with preferred direction $\theta_i$ fires at
 * $$r_i(\theta) = b + k \cos(\theta - \theta_i)$$
 * Hz (clipped at 0). The population vector sums each neuron's preferred-direction unit vector
 * weighted by its rate above baseline; its angle estimates $\theta$.
 *
 * @module
 */
import { type Generator, globalGenerator } from "../random.ts";
import { poissonCount } from "./spikes.ts";

/** Options of {@link DirectionTunedPopulation}. */
export interface PopulationOptions {
  /** Number of neurons (default 32). */
  size?: number;
  /** Baseline rate $b$ in Hz (default 20). */
  baseline?: number;
  /** Modulation depth $k$ in Hz (default 15). */
  modulation?: number;
  /**
   * Preferred directions in radians; default evenly spaced on the circle. Pass random ones to
   * model a recorded population.
   */
  preferred?: readonly number[];
}

/** A population of cosine-tuned neurons that emits Poisson spike counts. */
export class DirectionTunedPopulation {
  /** Preferred direction of each neuron, radians. */
  readonly preferred: number[];
  /** Baseline rate in Hz. */
  readonly baseline: number;
  /** Modulation depth in Hz. */
  readonly modulation: number;

  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { neuro } from "gradbook";
   * const pop = new neuro.DirectionTunedPopulation({ size: 8 });
   * const counts = pop.sampleCounts(Math.PI / 4, 500); // spikes in a 500 ms window
   * assert.equal(counts.length, 8);
   * const angle = neuro.populationVector(pop.rates(Math.PI / 4), pop.preferred, pop.baseline);
   * assert.ok(Math.abs(angle - Math.PI / 4) < 1e-6);
   * ```
   */
  constructor(options: PopulationOptions = {}) {
    const size = options.preferred?.length ?? options.size ?? 32;
    this.preferred = options.preferred !== undefined
      ? [...options.preferred]
      : Array.from({ length: size }, (_, i) => (2 * Math.PI * i) / size);
    this.baseline = options.baseline ?? 20;
    this.modulation = options.modulation ?? 15;
    if (this.preferred.length === 0) {
      throw new RangeError("DirectionTunedPopulation: the population needs at least one neuron");
    }
  }

  /** Number of neurons. */
  get size(): number {
    return this.preferred.length;
  }

  /** Mean rates (Hz) for movement direction `theta` (radians). */
  rates(theta: number): number[] {
    return this.preferred.map((p) =>
      Math.max(0, this.baseline + this.modulation * Math.cos(theta - p))
    );
  }

  /** Poisson spike counts of every neuron in a window of `windowMs` ms. */
  sampleCounts(theta: number, windowMs: number, generator: Generator = globalGenerator): number[] {
    return this.rates(theta).map((r) => poissonCount((r * windowMs) / 1000, generator));
  }
}

/**
 * The population-vector estimate of direction, in $(-\pi, \pi]$:
 * $\hat\theta = \operatorname{atan2}\big(\sum_i (r_i - b)\sin\theta_i,\ \sum_i (r_i - b)\cos\theta_i\big)$.
 *
 * @param rates Rates (or counts) of each neuron.
 * @param preferred Preferred directions in radians.
 * @param baseline Subtracted from every rate (same units as `rates`; default 0).
 */
export function populationVector(
  rates: readonly number[],
  preferred: readonly number[],
  baseline = 0,
): number {
  if (rates.length !== preferred.length) {
    throw new RangeError(
      `populationVector: ${rates.length} rates but ${preferred.length} preferred directions`,
    );
  }
  let x = 0;
  let y = 0;
  for (let i = 0; i < rates.length; i++) {
    const w = rates[i]! - baseline;
    x += w * Math.cos(preferred[i]!);
    y += w * Math.sin(preferred[i]!);
  }
  return Math.atan2(y, x);
}

/** The absolute angle between two directions in radians, in [0, π]. */
export function angularError(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}
