import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { lifRate, simulateLif } from "./lif.ts";
import { simulateLifNetwork } from "./lif_network.ts";

Deno.test("lifRate() matches 1/(t_ref + tau ln(RI/(RI - V_th))) and is 0 below threshold", () => {
  // R I = 20 mV, V_th = 15 mV, tau = 10 ms, t_ref = 2 ms
  assertAlmostEquals(lifRate(2), 1000 / (2 + 10 * Math.log(20 / 5)), 1e-12);
  assertEquals(lifRate(1.5), 0);
  assertEquals(lifRate(1), 0);
});

Deno.test("simulateLif() reproduces the analytic f-I curve within 1% at dt = 0.01 ms", () => {
  for (const current of [1.6, 2, 3, 5]) {
    const { spikeTimes } = simulateLif(current, 2000, { dt: 0.01 });
    // rate from inter-spike intervals, which avoids counting-window edge effects
    const intervals = spikeTimes.length - 1;
    const simulated = (1000 * intervals) / (spikeTimes.at(-1)! - spikeTimes[0]!);
    const analytic = lifRate(current);
    assert(
      Math.abs(simulated - analytic) <= 0.01 * analytic,
      `I = ${current}: simulated ${simulated} Hz, analytic ${analytic} Hz`,
    );
  }
});

Deno.test("simulateLif() stays silent below threshold and approaches R I", () => {
  const { spikeTimes, voltage } = simulateLif(1.2, 200, { dt: 0.1 });
  assertEquals(spikeTimes.length, 0);
  assertAlmostEquals(voltage.at(-1)!, 12, 1e-6);
  // one Euler step from rest: V = dt/tau * R I
  assertAlmostEquals(voltage[1]!, (0.1 / 10) * 12, 1e-12);
});

Deno.test("simulateLif() holds the voltage at reset during the refractory period", () => {
  const { spikeTimes, voltage, times } = simulateLif(10, 20, { dt: 0.1, refractory: 3 });
  const first = spikeTimes[0]!;
  for (let n = 0; n < times.length; n++) {
    if (times[n]! >= first && times[n]! <= first + 3 - 1e-9) assertEquals(voltage[n], 0);
  }
  assert(spikeTimes[1]! - first > 3, "the second spike comes after the refractory period");
});

Deno.test("simulateLif() rejects a reset above threshold and a short current array", () => {
  assertThrows(() => simulateLif(1, 10, { reset: 20 }), RangeError, "reset (20) must be below");
  assertThrows(() => simulateLif([1, 2], 10), RangeError, "current has 2 samples");
});

Deno.test("simulateLifNetwork() passes each spike of a driven neuron to its target", () => {
  const { spikes, voltages } = simulateLifNetwork({
    weights: [[0, 0], [20, 0]],
    input: [2, 0],
    duration: 200,
    dt: 0.1,
    record: [1],
  });
  assert(spikes[0]!.length > 5);
  assertEquals(spikes[1]!.length, spikes[0]!.length);
  for (const [k, t] of spikes[0]!.entries()) assertAlmostEquals(spikes[1]![k]!, t + 0.1, 1e-9);
  assertEquals(voltages[0]!.length, 2001);
});

Deno.test("simulateLifNetwork() without coupling matches single-neuron simulations", () => {
  const { spikes } = simulateLifNetwork({
    weights: [[0, 0], [0, 0]],
    input: [2, 3],
    duration: 300,
    dt: 0.05,
  });
  assertEquals(spikes[0], simulateLif(2, 300, { dt: 0.05 }).spikeTimes);
  assertEquals(spikes[1], simulateLif(3, 300, { dt: 0.05 }).spikeTimes);
});

Deno.test("simulateLifNetwork() inhibition slows the target neuron", () => {
  const run = (w: number) =>
    simulateLifNetwork({ weights: [[0, 0], [w, 0]], input: [3, 2], duration: 1000 }).spikes[1]!
      .length;
  assert(run(-5) < run(0), `inhibited ${run(-5)} spikes, free ${run(0)}`);
});

Deno.test("simulateLifNetwork() rejects a non-square weight matrix", () => {
  assertThrows(
    () => simulateLifNetwork({ weights: [[0, 1], [0]], input: [1, 1], duration: 10 }),
    RangeError,
    "row 1 has 1 entries",
  );
});
