/**
 * `deno task load`: 20 notebooks at once, each a short training cell and 100 small cells, on a
 * server started as a child process (see `tools/bench/load_harness.ts`). Not part of `deno task test`
 * (about a minute on 2 cores); `.ci/run` runs it and counts its result.
 */
import assert from "node:assert/strict";
import { runNotebookLoad } from "../../tools/bench/load_harness.ts";

/**
 * Live JavaScript heap the server may hold above its start once every kernel is gone (compiled
 * code, module caches), measured after a forced full collection. Resident memory is reported but
 * not asserted: V8 and the allocator keep freed pages as they see fit (a run settled 69 MiB above
 * its start although nothing leaked), so it does not tell a leak from a high-water mark.
 */
const LIVE_HEAP_SLACK_MIB = 8;

Deno.test("20 notebooks train and run 100 cells each with no cross-talk, and memory returns near baseline", async () => {
  const report = await runNotebookLoad({
    notebooks: 20,
    smallCells: 100,
    // Longer than a cell's round trip on a loaded machine, so kernels are culled after their
    // pages close rather than between two cells (which only adds restarts).
    idleSeconds: 5,
  });
  const mib = (x: number) => `${x.toFixed(0)} MiB`;
  console.log(
    `${report.notebooks} notebooks × ${report.smallCells} cells in ${
      (report.totalMs / 1000).toFixed(1)
    } s: round trip p50 ${report.p50Ms.toFixed(1)} ms, p95 ${report.p95Ms.toFixed(1)} ms; ` +
      `server RSS ${mib(report.baselineRssMiB)} → peak ${mib(report.peakRssMiB)} → ` +
      `${mib(report.afterCullRssMiB)} after culling; kernels ${report.peakKernels} → ` +
      `${report.kernelsAfterCull}; live heap ${mib(report.baselineHeapMiB)} → ` +
      `${mib(report.afterCullHeapMiB)} after culling`,
  );
  assert.deepEqual(report.failures, [], "every cell ended ok");
  assert.deepEqual(report.crossTalk, [], "every output reached its own notebook");
  assert.equal(report.roundTripsMs.length, 20 * 100);
  // The server keeps one spare kernel started ahead of need (`--spare-kernels`, as `serve`).
  assert.equal(
    report.peakKernels,
    20 + report.spareKernels,
    "all 20 notebooks had a kernel at once",
  );
  assert.equal(
    report.kernelsAfterCull,
    report.spareKernels,
    "every notebook's kernel was culled after its page closed; only the spare is left",
  );
  assert.ok(
    report.afterCullHeapMiB < report.baselineHeapMiB + LIVE_HEAP_SLACK_MIB,
    `the server's live heap grew from ${mib(report.baselineHeapMiB)} to ${
      mib(report.afterCullHeapMiB)
    } after every kernel was culled (a leak)`,
  );
});
