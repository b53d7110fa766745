/**
 * The performance issue's targets, checked against one run's rows (`deno task bench` prints
 * them under the table and writes them to `bench/results.json`).
 *
 * @module
 */
import type { BenchRow } from "./section.ts";
import { formatNumber } from "./table.ts";

/** One target: what it asks, the measured value, and whether it holds (null: not measured). */
export interface TargetResult {
  target: string;
  measured: string;
  holds: boolean | null;
}

function find(rows: readonly BenchRow[], id: string, many: boolean): BenchRow | undefined {
  return rows.find((row) => row.id === id && ((row.threads ?? 1) > 1) === many);
}

/**
 * Evaluates the targets on `rows`: the all-threads MLP step and LSTM at or below PyTorch on
 * one thread, matmul 512² on all threads at least 1.8× one thread, the char-LSTM training
 * throughput at least twice "today's". Today's is the same run's 1-thread row: one thread runs
 * the same kernels as before the thread pool, so the ratio is measured under one load.
 *
 * @example
 * ```ts
 * import { evaluateTargets } from "./targets.ts";
 * import assert from "node:assert/strict";
 * const rows = [
 *   { workload: "a", unit: "ms", kind: "time" as const, ours: 2, peers: { torch: 1 }, id: "mlp 256" },
 *   { workload: "b", unit: "ms", kind: "time" as const, ours: 0.9, peers: {}, id: "mlp 256", threads: 2 },
 * ];
 * assert.equal(evaluateTargets(rows)[0]!.holds, true);
 * ```
 */
export function evaluateTargets(rows: readonly BenchRow[]): TargetResult[] {
  const results: TargetResult[] = [];
  for (const [id, name] of [["mlp 256", "MLP step"], ["lstm", "LSTM fwd+bwd"]] as const) {
    const many = find(rows, id, true);
    const torchOne = find(rows, id, false)?.peers.torch;
    const ours = many?.ours;
    const known = ours !== undefined && ours !== null && typeof torchOne === "number";
    results.push({
      target: `${name}, ${many?.threads ?? "all"} threads ≤ PyTorch 1 thread`,
      measured: known
        ? `${formatNumber(ours)} ms vs ${formatNumber(torchOne)} ms (×${
          formatNumber(ours / torchOne)
        })`
        : "n/a",
      holds: known ? ours <= torchOne : null,
    });
  }
  const one = find(rows, "matmul 512", false)?.ours;
  const many = find(rows, "matmul 512", true);
  const speedup = one && many?.ours ? many.ours / one : null;
  results.push({
    target: `matmul 512², ${many?.threads ?? "all"} threads ≥ 1.8× 1 thread`,
    measured: speedup === null ? "n/a" : `×${formatNumber(speedup)}`,
    holds: speedup === null ? null : speedup >= 1.8,
  });
  const charsOne = find(rows, "char lstm", false)?.ours;
  const charsMany = find(rows, "char lstm", true);
  const gain = charsOne && charsMany?.ours ? charsMany.ours / charsOne : null;
  results.push({
    target: `char-LSTM training, ${charsMany?.threads ?? "all"} threads ≥ 2× 1 thread (today's)`,
    measured: gain === null
      ? "n/a"
      : `${formatNumber(charsMany!.ours!)} vs ${formatNumber(charsOne!)} chars/s (×${
        formatNumber(gain)
      })`,
    holds: gain === null ? null : gain >= 2,
  });
  return results;
}

/** The targets as printed lines. */
export function formatTargets(results: readonly TargetResult[]): string {
  return results.map((r) =>
    `${r.holds === null ? "?   " : r.holds ? "ok  " : "MISS"} ${r.target}: ${r.measured}`
  ).join("\n");
}
