import assert from "node:assert/strict";
import { type BenchResults, resultsMarkdown } from "./readme.ts";

const run = (extra: Partial<BenchResults>): BenchResults => ({
  date: "2026-12-05T20:00:00Z",
  machine: "AMD EPYC, 2 cores, linux",
  cores: 2,
  quick: false,
  deno: "2.9.6",
  samples: 7,
  // The bench's own browser sections push the 1-minute load past the 2 cores.
  loadAverage: { start: [0.4, 1, 1], "page speed": [2.8, 2, 1.5] },
  rows: [{ workload: "w", unit: "ms", kind: "time", ours: 2, peers: {} }],
  ...extra,
});

Deno.test("a load the bench made itself is not blamed on other jobs", () => {
  const text = resultsMarkdown(run({ othersCpuShare: 0.02 }));
  assert.doesNotMatch(text, /other jobs during this run|overloaded/);
  assert.match(text, /other jobs used 2\.00 % of the CPU/);
});

Deno.test("other jobs' share of the CPU past 10 % marks the run as unreliable", () => {
  const text = resultsMarkdown(run({ othersCpuShare: 0.3 }));
  assert.match(
    text,
    /busy with other jobs during this run\*\* \(other jobs used 30\.0 % of its CPU\)/,
  );
});

Deno.test("an older results file, without the share, still says when the load passed the cores", () => {
  const text = resultsMarkdown(run({}));
  assert.match(text, /load average up to 2\.80 on 2 cores, other jobs not measured/);
});
