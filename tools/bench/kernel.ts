/**
 * The notebook kernel's own figures (`notebook/kernel/bench_kernel.ts`): start to ready, and the round
 * trip of a trivial cell; and a lesson page's open to its first `1+1` result in Chromium
 * (`tools/bench/first_result.ts`). No peer runs notebooks, so the peer columns print "n/a".
 *
 * @module
 */
import { benchKernel } from "../../notebook/kernel/bench_kernel.ts";
import { measureFirstResult } from "./first_result.ts";
import type { BenchSection } from "./section.ts";

/** Kernel start and `1+1` round-trip times. */
export const kernelSection: BenchSection = {
  name: "kernel",
  async run(options) {
    const result = await benchKernel(
      options.quick
        ? { starts: 1, warmUp: 5, roundTrips: 30 }
        : { starts: 3, warmUp: 20, roundTrips: 200 },
    );
    const row = (workload: string, ms: number) => ({
      workload,
      unit: "ms",
      kind: "time" as const,
      ours: ms,
      peers: {},
      note: "no peer: gradbook's kernel only",
    });
    const first = await measureFirstResult(options.quick ? 1 : 3);
    return [
      row("kernel start to ready", result.startMs),
      {
        ...row(`page open to first 1+1 result (median of ${first.runs.length})`, first.medianMs),
        details: Object.fromEntries(first.runs.map((ms, i) => [`run${i + 1}Ms`, ms])),
      },
      row("cell round trip 1+1, p50", result.roundTripP50Ms),
      row("cell round trip 1+1, p95", result.roundTripP95Ms),
    ];
  },
};
