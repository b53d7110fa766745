/**
 * The notebook's own figures beyond the kernel's: first load of a lesson page to interactive
 * and the client bundle's gzipped size (`tools/bench/measure_load.ts`; issue 4 asks for < 1 s and
 * < 500 KiB), and what a live chart costs a training loop (`tools/bench/live_chart.ts`; issue 15
 * asks for ≤ 10 updates/s and ≤ 5% slowdown). No peer runs notebooks, so the peer columns
 * print "n/a".
 *
 * @module
 */
import { measureLoad } from "./measure_load.ts";
import { measureLiveChart } from "./live_chart.ts";
import type { BenchRow, BenchSection } from "./section.ts";

const NOTE = "no peer: gradbook's notebook only";

/** Page load, bundle size and live-chart overhead. */
export const notebookSection: BenchSection = {
  name: "notebook",
  async run(options) {
    // NOTE: the server starts once, outside the timing; each load is a fresh browser context.
    const load = await measureLoad(undefined, options.quick ? 1 : 5);
    const chart = await measureLiveChart(
      options.quick ? { seconds: 0.5, pairs: 1 } : { seconds: 2, pairs: 5 },
    );
    const rows: BenchRow[] = [
      {
        workload: `lesson page first load to interactive (median of ${load.runs.length})`,
        unit: "ms",
        kind: "time",
        ours: round(load.firstLoadMs),
        peers: {},
        note: NOTE,
        details: Object.fromEntries(load.runs.map((ms, i) => [`run${i + 1}Ms`, round(ms)])),
      },
      {
        workload: "client code run before the page mounts, gzipped",
        unit: "KiB",
        kind: "time",
        ours: round(load.bundleGzipBytes / 1024),
        peers: {},
        note: NOTE,
        details: {
          rawKiB: round(load.bundleBytes / 1024),
          withEditorGzipKiB: round(load.totalGzipBytes / 1024),
          withEditorRawKiB: round(load.totalBytes / 1024),
        },
      },
      {
        workload: `live chart: training slowdown (${chart.updatesSent} updates, ` +
          `${chart.updatesPerSecond}/s)`,
        unit: "%",
        kind: "time",
        ours: chart.slowdownPercent,
        peers: {},
        note: NOTE,
        details: {
          steps: chart.steps,
          plainMs: chart.plainMs,
          chartMs: chart.chartMs,
          updatesSent: chart.updatesSent,
          updatesPerSecond: chart.updatesPerSecond,
        },
      },
    ];
    return rows;
  },
};

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
