/**
 * Includes the notebook kernel's own bench (`kernel/bench_kernel.ts`, owned by the kernel
 * engineer) when it exists. Its `benchKernel()` should resolve to an array of
 * {@linkcode BenchRow}s; a missing module or a failure becomes an "n/a" row in `main.ts`.
 *
 * @module
 */
import type { BenchRow, BenchSection } from "./section.ts";

function isBenchRow(value: unknown): value is BenchRow {
  if (typeof value !== "object" || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.workload === "string" && typeof row.unit === "string" &&
    (row.ours === null || typeof row.ours === "number");
}

/** Runs `benchKernel()` from `kernel/bench_kernel.ts`. */
export const kernelSection: BenchSection = {
  name: "kernel",
  async run(options) {
    // A computed specifier keeps `deno check` from requiring the module before it is written.
    const url = new URL("../kernel/bench_kernel.ts", import.meta.url).href;
    const module = await import(url);
    if (typeof module.benchKernel !== "function") {
      throw new TypeError("kernel/bench_kernel.ts exports no benchKernel() function");
    }
    const rows: unknown = await module.benchKernel(options);
    if (!Array.isArray(rows) || !rows.every(isBenchRow)) {
      throw new TypeError("benchKernel() did not resolve to an array of bench rows");
    }
    return rows.map((row) => ({ ...row, kind: row.kind ?? "time", peers: row.peers ?? {} }));
  },
};
