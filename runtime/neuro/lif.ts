/**
 * The leaky integrate-and-fire (LIF) neuron, integrated with the forward Euler method.
 *
 * Parametrisation (voltages measured from rest, so rest is 0 mV):
 * $$\tau \frac{dV}{dt} = -V + R\,I(t)$$
 * When $V$ reaches $V_{th}$ the neuron spikes, $V$ is reset to $V_{reset} = 0$ and held there for
 * the refractory period $t_{ref}$. Units: time in ms, voltage in mV, current in nA, resistance in
 * MΩ (so $R I$ is in mV).
 *
 * @module
 */

/** Parameters of a LIF neuron; every field has a default. */
export interface LifOptions {
  /** Membrane time constant $\tau$ in ms (default 10). */
  tau?: number;
  /** Membrane resistance $R$ in MΩ (default 10). */
  resistance?: number;
  /** Spike threshold $V_{th}$ in mV above rest (default 15). */
  threshold?: number;
  /** Reset potential after a spike in mV above rest (default 0). */
  reset?: number;
  /** Refractory period $t_{ref}$ in ms (default 2). */
  refractory?: number;
  /** Euler time step in ms (default 0.1). */
  dt?: number;
}

/** Every LIF parameter, defaults filled in. */
export type LifParams = Required<LifOptions>;

/** Fills in defaults and checks that the parameters make sense. */
export function lifParams(options: LifOptions = {}): LifParams {
  const p: LifParams = {
    tau: options.tau ?? 10,
    resistance: options.resistance ?? 10,
    threshold: options.threshold ?? 15,
    reset: options.reset ?? 0,
    refractory: options.refractory ?? 2,
    dt: options.dt ?? 0.1,
  };
  for (const key of ["tau", "resistance", "threshold", "dt"] as const) {
    if (!(p[key] > 0)) throw new RangeError(`lif: ${key} must be positive, got ${p[key]}`);
  }
  if (!(p.refractory >= 0)) {
    throw new RangeError(`lif: refractory must be non-negative, got ${p.refractory}`);
  }
  if (!(p.reset < p.threshold)) {
    throw new RangeError(`lif: reset (${p.reset}) must be below threshold (${p.threshold})`);
  }
  return p;
}

/** Result of {@link simulateLif}. */
export interface LifTrace {
  /** Times of the samples in ms: 0, dt, 2dt, ... */
  times: Float64Array;
  /** Membrane potential (mV above rest) at each sample; a spike shows as the reset value. */
  voltage: Float64Array;
  /** Spike times in ms. */
  spikeTimes: number[];
}

/**
 * Simulates one LIF neuron for `duration` ms driven by `current` (nA): a constant, an array with
 * one value per time step, or a function of time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const { spikeTimes } = neuro.simulateLif(2, 1000, { dt: 0.05 });
 * // about duration × rate: 1000 ms × neuro.lifRate(2) Hz / 1000
 * assert.ok(Math.abs(spikeTimes.length - neuro.lifRate(2)) <= 2);
 * ```
 */
export function simulateLif(
  current: number | ArrayLike<number> | ((timeMs: number) => number),
  duration: number,
  options: LifOptions = {},
): LifTrace {
  const p = lifParams(options);
  if (!(duration >= 0)) throw new RangeError(`simulateLif: duration must be >= 0, got ${duration}`);
  const steps = Math.round(duration / p.dt);
  const input = typeof current === "function"
    ? current
    : typeof current === "number"
    ? () => current
    : (t: number) => {
      const i = Math.min(Math.round(t / p.dt), current.length - 1);
      return current[i]!;
    };
  if (typeof current === "object" && current.length < steps) {
    throw new RangeError(
      `simulateLif: current has ${current.length} samples, the simulation needs ${steps}`,
    );
  }
  const times = new Float64Array(steps + 1);
  const voltage = new Float64Array(steps + 1);
  const spikeTimes: number[] = [];
  let v = p.reset;
  let refractoryUntil = -Infinity;
  voltage[0] = v;
  for (let n = 0; n < steps; n++) {
    const t = n * p.dt;
    const tNext = (n + 1) * p.dt;
    if (tNext <= refractoryUntil + 1e-9 * p.dt) {
      v = p.reset;
    } else {
      v += (p.dt / p.tau) * (-v + p.resistance * input(t));
      if (v >= p.threshold) {
        spikeTimes.push(tNext);
        v = p.reset;
        refractoryUntil = tNext + p.refractory;
      }
    }
    times[n + 1] = tNext;
    voltage[n + 1] = v;
  }
  return { times, voltage, spikeTimes };
}

/**
 * The analytic firing rate (Hz) of the LIF neuron above for a constant current $I$ (nA):
 * $$f = \frac{1}{t_{ref} + \tau \ln\frac{R I - V_{reset}}{R I - V_{th}}}$$
 * and 0 when $R I \le V_{th}$ (the neuron never reaches threshold). With $V_{reset} = 0$ this is
 * $1/(t_{ref} + \tau \ln\frac{RI}{RI - V_{th}})$. The time step is ignored: this is the
 * $dt \to 0$ limit of {@link simulateLif}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * assert.ok(Math.abs(neuro.lifRate(2) - 1000 / (2 + 10 * Math.log(20 / 5))) < 1e-9); // ≈ 62.6 Hz
 * ```
 */
export function lifRate(current: number, options: LifOptions = {}): number {
  const p = lifParams(options);
  const drive = p.resistance * current;
  if (drive <= p.threshold) return 0;
  const timeToThreshold = p.tau * Math.log((drive - p.reset) / (drive - p.threshold));
  return 1000 / (p.refractory + timeToThreshold);
}
