/**
 * Regenerates the figures in README.md's "Benchmarks" section from `tools/bench/results.json` (the
 * last `deno task bench`): the text between `<!-- bench-results:start -->` and
 * `<!-- bench-results:end -->` is replaced, never appended to, with the run's date, machine,
 * load averages, the compute table (with PyTorch), the targets and the notebook rows.
 *
 * Run: `deno run --allow-read --allow-write tools/bench/readme.ts [results.json] [README.md]`.
 *
 * @module
 */
import type { BenchRow } from "./section.ts";
import { formatNumber, ratio } from "./table.ts";
import type { TargetResult } from "./targets.ts";

/** What `bench/main.ts` writes. */
export interface BenchResults {
  date: string;
  machine?: string;
  /** Cores the machine reports. */
  cores?: number;
  quick: boolean;
  deno: string;
  samples: number;
  torch?: string;
  loadAverage?: Record<string, number[] | null>;
  /**
   * The share of the machine's CPU (0 to 1) other jobs used during the run (`cpu_share.ts`; null
   * or absent where it was not measured).
   */
  othersCpuShare?: number | null;
  targets?: TargetResult[];
  rows: BenchRow[];
}

const START = "<!-- bench-results:start -->";
const END = "<!-- bench-results:end -->";

function figure(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return "n/a";
  return unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...body.map(line)];
}

/**
 * The 1-minute load averages recorded after each section, but the 20-notebook `load` section's:
 * that section loads the machine on purpose, so its figure says nothing about other jobs.
 */
function othersLoads(results: BenchResults): number[] {
  return Object.entries(results.loadAverage ?? {})
    .flatMap(([section, l]) => l === null || section === "load" ? [] : [l[0]!]);
}

/** The range of the 1-minute load averages recorded during the run, e.g. "2.1-3.4". */
export function loadRange(results: BenchResults): string {
  const ones = othersLoads(results);
  if (ones.length === 0) return "not recorded";
  const low = Math.min(...ones);
  const high = Math.max(...ones);
  return low === high ? formatNumber(low) : `${formatNumber(low)}-${formatNumber(high)}`;
}

function highestLoad(results: BenchResults): number {
  return Math.max(0, ...othersLoads(results));
}

function coresOf(results: BenchResults): number {
  return results.cores ?? Number(results.machine?.match(/(\d+) cores/)?.[1] ?? NaN);
}

/**
 * Other jobs' share of the machine's CPU above which a run's figures are not trusted: 10 %, a
 * fifth of a core on 2 cores.
 */
export const OTHERS_SHARE_LIMIT = 0.1;

/**
 * Whether other jobs competed with the run: their share of the CPU passed
 * {@link OTHERS_SHARE_LIMIT}; for results that did not measure it, whether the 1-minute load
 * average passed the number of cores (which the bench's own browser and thread sections can do).
 */
export function isOverloaded(results: BenchResults): boolean {
  const share = othersShare(results);
  if (share !== null) return share > OTHERS_SHARE_LIMIT;
  return highestLoad(results) > coresOf(results);
}

/** Other jobs' measured share of the CPU, or null where the run did not measure it. */
function othersShare(results: BenchResults): number | null {
  return typeof results.othersCpuShare === "number" ? results.othersCpuShare : null;
}

function overloadNotice(results: BenchResults): string {
  const share = othersShare(results);
  const why = share !== null
    ? `other jobs used ${formatNumber(100 * share)} % of its CPU`
    : `load average up to ${formatNumber(highestLoad(results))} on ${
      coresOf(results)
    } cores, other jobs not measured`;
  return `**The machine was busy with other jobs during this run** (${why}): the figures ` +
    "measure contention more than gradbook, ratios between rows are unreliable, and the " +
    "targets below are not verified by it. Rerun `deno task bench` on an idle machine.";
}

/** What the run says of other jobs, for the header line. */
function othersText(results: BenchResults): string {
  const share = othersShare(results);
  return share !== null ? `; other jobs used ${formatNumber(100 * share)} % of the CPU` : "";
}

/**
 * The Markdown that goes between the markers.
 *
 * @example
 * ```ts
 * import { resultsMarkdown } from "./readme.ts";
 * import assert from "node:assert/strict";
 * const text = resultsMarkdown({
 *   date: "2026-12-05T10:00:00Z", quick: false, deno: "2.9.6", samples: 7,
 *   loadAverage: { start: [0.5, 1, 1] },
 *   rows: [{ workload: "w", unit: "ms", kind: "time", ours: 2, peers: { torch: 4 } }],
 * });
 * assert.match(text, /load average \(1 min\) 0\.500/);
 * assert.match(text, /\| w +\| 2\.00 ms/);
 * ```
 */
export function resultsMarkdown(results: BenchResults): string {
  const isNotebook = (row: BenchRow) => row.note?.startsWith("no peer") ?? false;
  const compute = results.rows.filter((row) => !isNotebook(row));
  const notebook = results.rows.filter(isNotebook);
  const ratioText = (row: BenchRow, peer: "tfjs-wasm" | "torch") => {
    const r = ratio(row, peer);
    return r === null ? "–" : formatNumber(r);
  };
  const lines = [
    `Latest figures: \`deno task bench${results.quick ? " --quick" : ""}\`, ${
      results.date.slice(0, 16).replace("T", " ")
    } UTC, ${results.machine ?? "machine not recorded"}; Deno ${results.deno}; load average ` +
    `(1 min) ${loadRange(results)} during the run${othersText(results)}; medians of ` +
    `${results.samples}. ` +
    `${results.torch ?? "PyTorch: not run"}. Rows without a thread count ran on 1 thread.`,
    ...(isOverloaded(results) ? ["", overloadNotice(results)] : []),
    "",
    ...table(
      ["workload", "ours", "tfjs-cpu", "tfjs-wasm", "PyTorch", "ours/tfjs-wasm", "ours/PyTorch"],
      compute.map((row) => [
        row.workload,
        figure(row.ours, row.unit),
        figure(row.peers["tfjs-cpu"], row.unit),
        figure(row.peers["tfjs-wasm"], row.unit),
        figure(row.peers.torch, row.unit),
        ratioText(row, "tfjs-wasm"),
        ratioText(row, "torch"),
      ]),
    ),
    "",
    "Targets of the performance issue, in the same run:",
    "",
    ...(results.targets ?? []).map((t) =>
      `- ${
        t.holds === null ? "not measured" : t.holds ? "met" : "**missed**"
      }: ${t.target}: ${t.measured}`
    ),
    "",
    "Notebook figures of the same run (no peer):",
    "",
    ...table(
      ["workload", "ours"],
      notebook.map((row) => [row.workload, figure(row.ours, row.unit)]),
    ),
  ];
  return lines.join("\n");
}

/** Replaces the marked block of `readme` with {@linkcode resultsMarkdown}. */
export function replaceResults(readme: string, results: BenchResults): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new RangeError(`readme: README.md has no ${START} ... ${END} block`);
  }
  return `${readme.slice(0, start + START.length)}\n\n${resultsMarkdown(results)}\n\n${
    readme.slice(end)
  }`;
}

if (import.meta.main) {
  const resultsPath = Deno.args[0] ?? new URL("./results.json", import.meta.url).pathname;
  const readmePath = Deno.args[1] ?? new URL("../../README.md", import.meta.url).pathname;
  const results = JSON.parse(await Deno.readTextFile(resultsPath)) as BenchResults;
  await Deno.writeTextFile(
    readmePath,
    replaceResults(await Deno.readTextFile(readmePath), results),
  );
  console.error(`readme: wrote the figures of ${results.date} into ${readmePath}`);
}
