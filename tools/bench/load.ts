/**
 * The notebook server under load (`load_harness.ts`): 20 notebooks open at once,
 * each a short training cell and 100 small cells; the p50 and p95 round trip of a small cell
 * (send → done on the page's socket). No peer runs notebooks, so the peer columns print "n/a".
 *
 * @module
 */
import { runNotebookLoad } from "./load_harness.ts";
import type { BenchSection } from "./section.ts";

/** Cell round trips with 20 notebooks running at once (`--quick`: 4 notebooks × 20 cells). */
export const loadSection: BenchSection = {
  name: "load",
  async run(options) {
    const report = await runNotebookLoad(
      options.quick ? { notebooks: 4, smallCells: 20 } : { notebooks: 20, smallCells: 100 },
    );
    const label = `${report.notebooks} notebooks at once`;
    const row = (workload: string, ms: number) => ({
      workload,
      unit: "ms",
      kind: "time" as const,
      ours: ms,
      peers: {},
      note: "no peer: gradbook's server only",
      details: {
        baselineRssMiB: report.baselineRssMiB,
        peakRssMiB: report.peakRssMiB,
        afterCullRssMiB: report.afterCullRssMiB,
        crossTalk: report.crossTalk.length,
        failures: report.failures.length,
      },
    });
    return [
      row(`cell round trip under load (${label}), p50`, report.p50Ms),
      row(`cell round trip under load (${label}), p95`, report.p95Ms),
    ];
  },
};
