/**
 * `deno task load`: 20 notebooks at once, each a short training cell and 100 small cells, on a
 * server started as a child process (see `tools/bench/load_harness.ts`). Not part of `deno task test`
 * (about a minute on 2 cores); `.ci/run` runs it and counts its result.
 */
import assert from "node:assert/strict";
import { runNotebookLoad } from "../../tools/bench/load_harness.ts";

/**
 * Memory the server may keep above its start once the kernels are gone (caches, V8 heap). V8
 * returns pages only when its memory reducer runs, some seconds after the load: the harness waits
 * up to 60 s for the server to come within this bound (measured: it settles about 37 MiB above).
 */
const RSS_SLACK_MIB = 64;

Deno.test("20 notebooks train and run 100 cells each with no cross-talk, and memory returns near baseline", async () => {
  const report = await runNotebookLoad({
    notebooks: 20,
    smallCells: 100,
    settleSlackMiB: RSS_SLACK_MIB,
  });
  const mib = (x: number) => `${x.toFixed(0)} MiB`;
  console.log(
    `${report.notebooks} notebooks × ${report.smallCells} cells in ${
      (report.totalMs / 1000).toFixed(1)
    } s: round trip p50 ${report.p50Ms.toFixed(1)} ms, p95 ${report.p95Ms.toFixed(1)} ms; ` +
      `server RSS ${mib(report.baselineRssMiB)} → peak ${mib(report.peakRssMiB)} → ` +
      `${mib(report.afterCullRssMiB)} after culling; kernels ${report.peakKernels} → ` +
      `${report.kernelsAfterCull}`,
  );
  assert.deepEqual(report.failures, [], "every cell ended ok");
  assert.deepEqual(report.crossTalk, [], "every output reached its own notebook");
  assert.equal(report.roundTripsMs.length, 20 * 100);
  assert.equal(report.peakKernels, 20, "all 20 notebooks had a kernel at once");
  assert.equal(report.kernelsAfterCull, 0, "every kernel was culled after its page closed");
  assert.ok(
    report.afterCullRssMiB < report.baselineRssMiB + RSS_SLACK_MIB,
    `server memory stayed at ${mib(report.afterCullRssMiB)} 60 s after culling (baseline ${
      mib(report.baselineRssMiB)
    }, peak ${mib(report.peakRssMiB)})`,
  );
});
