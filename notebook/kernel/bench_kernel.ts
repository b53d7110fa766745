/**
 * Kernel speed for `deno task bench`: time from `start()` to idle, and the round trip of a
 * trivial cell (`1+1`) after warm-up. Targets: under 300 ms and under 10 ms.
 *
 * Run alone: `deno run --allow-all --unstable-worker-options notebook/kernel/bench_kernel.ts`.
 *
 * @module
 */
import { KernelProcess } from "./kernel_process.ts";

/** Kernel start and round-trip times in milliseconds. */
export interface KernelBench {
  startMs: number;
  roundTripP50Ms: number;
  roundTripP95Ms: number;
}

/**
 * Measures the kernel: median start time over `starts` fresh kernels, and the round trip of
 * `1+1` over `roundTrips` executions after `warmUp` ones.
 */
export async function benchKernel(
  { starts = 3, warmUp = 20, roundTrips = 200 } = {},
): Promise<KernelBench> {
  const startTimes: number[] = [];
  let kernel: KernelProcess | null = null;
  for (let i = 0; i < starts; i++) {
    await kernel?.shutdown();
    kernel = new KernelProcess();
    const t0 = performance.now();
    await kernel.start();
    startTimes.push(performance.now() - t0);
  }
  const trips: number[] = [];
  try {
    for (let i = 0; i < warmUp + roundTrips; i++) {
      const t0 = performance.now();
      const reply = await kernel!.execute("bench", "1+1", () => {});
      if (reply.status !== "ok") throw new Error(`Benchmark cell failed: ${reply.status}`);
      if (i >= warmUp) trips.push(performance.now() - t0);
    }
  } finally {
    await kernel?.shutdown();
  }
  return {
    startMs: round(quantile(startTimes, 0.5)),
    roundTripP50Ms: round(quantile(trips, 0.5)),
    roundTripP95Ms: round(quantile(trips, 0.95)),
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

if (import.meta.main) console.log(await benchKernel());
