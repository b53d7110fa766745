/**
 * The performance issue's targets, checked against one run's rows (`deno task bench` prints
 * them under the table and writes them to `bench/results.json`).
 *
 * @module
 */
import { type BenchRow, SPEEDUP } from "./section.ts";
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
 * The all-threads row's speedup over one thread: the one measured side by side in the threads
 * section where the row has it, else the ratio of the two sections' throughputs.
 */
function speedup(
  rows: readonly BenchRow[],
  id: string,
): { gain: number | null; threads: number | "all"; how: string } {
  const many = find(rows, id, true);
  const threads = many?.threads ?? "all";
  const alternated = many?.details?.[SPEEDUP];
  if (typeof alternated === "number") return { gain: alternated, threads, how: ", alternated" };
  const one = find(rows, id, false)?.ours;
  const gain = one && many?.ours ? many.ours / one : null;
  return { gain, threads, how: "" };
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
  const matmul = speedup(rows, "matmul 512");
  results.push({
    target: `matmul 512², ${matmul.threads} threads ≥ 1.8× 1 thread`,
    measured: matmul.gain === null ? "n/a" : `×${formatNumber(matmul.gain)}${matmul.how}`,
    holds: matmul.gain === null ? null : matmul.gain >= 1.8,
  });
  const chars = speedup(rows, "char lstm");
  const charsOne = find(rows, "char lstm", false)?.ours;
  const charsMany = find(rows, "char lstm", true)?.ours;
  results.push({
    target: `char-LSTM training, ${chars.threads} threads ≥ 2× 1 thread (today's)`,
    measured: chars.gain === null
      ? "n/a"
      : `${formatNumber(charsMany!)} vs ${
        formatNumber(charsOne ?? charsMany! / chars.gain)
      } chars/s (×${formatNumber(chars.gain)}${chars.how})`,
    holds: chars.gain === null ? null : chars.gain >= 2,
  });
  return results;
}

/** The targets as printed lines. */
export function formatTargets(results: readonly TargetResult[]): string {
  return results.map((r) =>
    `${r.holds === null ? "?   " : r.holds ? "ok  " : "MISS"} ${r.target}: ${r.measured}`
  ).join("\n");
}
