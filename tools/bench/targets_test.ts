import assert from "node:assert/strict";
import { type BenchRow, SPEEDUP } from "./section.ts";
import { evaluateTargets } from "./targets.ts";

const row = (id: string, ours: number, threads = 1, speedup?: number): BenchRow => ({
  workload: id,
  unit: "GFLOP/s",
  kind: "throughput",
  ours,
  peers: {},
  id,
  threads,
  details: speedup === undefined ? undefined : { [SPEEDUP]: speedup },
});

Deno.test("the thread targets use the speedup measured side by side, not two sections minutes apart", () => {
  // The 1-thread section ran while the machine was fast, the threads section while it was slow:
  // 40 / 30 says ×1.33, the alternated samples say ×1.9.
  const rows = [
    row("matmul 512", 30),
    row("matmul 512", 40, 2, 1.9),
    row("char lstm", 20000),
    row("char lstm", 24000, 2, 2.1),
  ];
  const [, , matmul, chars] = evaluateTargets(rows);
  assert.equal(matmul!.holds, true, matmul!.measured);
  assert.match(matmul!.measured, /×1\.9/);
  assert.equal(chars!.holds, true, chars!.measured);
  assert.match(chars!.measured, /×2\.1/);
});

Deno.test("without a side-by-side speedup (an older results file), the two sections are compared", () => {
  const [, , matmul] = evaluateTargets([row("matmul 512", 30), row("matmul 512", 40, 2)]);
  assert.equal(matmul!.holds, false);
  assert.match(matmul!.measured, /×1\.33/);
});
