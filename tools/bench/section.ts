/**
 * The contract between `tools/bench/main.ts` and the bench sections. A section is an async function
 * that measures one family of workloads and returns table rows; `tools/bench/sections.ts` lists them.
 *
 * To add a section: write `tools/bench/<name>.ts` exporting a {@linkcode BenchSection}, and add it to
 * the list in `tools/bench/sections.ts`. A section that throws is reported as "n/a" and the others
 * still run.
 *
 * @module
 */

/** What a measured number means, which decides how the ratio ours/peer reads. */
export type MetricKind =
  /** Lower is better (ms per step); ratio ours/peer < 1 means ours is faster. */
  | "time"
  /** Higher is better (GFLOP/s); ratio ours/peer > 1 means ours is faster. */
  | "throughput"
  /** A fitted scaling exponent; no ratio is printed. */
  | "exponent";

/**
 * The peers the table has a column for, in column order: TensorFlow.js on its CPU and
 * WebAssembly backends (one thread), and PyTorch on the CPU (`bench/torch.ts`, run with the
 * row's thread count).
 */
export const PEERS = ["tfjs-cpu", "tfjs-wasm", "torch"] as const;
/** One of {@linkcode PEERS}. */
export type Peer = typeof PEERS[number];

/** One table row: a workload measured on our runtime and on its peers. */
export interface BenchRow {
  /** Short description, e.g. `matmul 256x256 f32`. */
  workload: string;
  /** Unit of `ours` and the peer values, e.g. `GFLOP/s` or `ms/step`. */
  unit: string;
  /** How the numbers compare. */
  kind: MetricKind;
  /** Our figure, or `null` when it could not be measured. */
  ours: number | null;
  /** Peer figures by peer name; a missing or `null` entry prints "n/a". */
  peers: Partial<Record<Peer, number | null>>;
  /** Why a figure is missing, or another short remark for the results file. */
  note?: string;
  /** Extra figures for `tools/bench/results.json` only (e.g. ms per width behind an exponent). */
  details?: Record<string, number | null>;
  /** The workload's name in `bench/torch_bench.py`, for the PyTorch column. */
  id?: string;
  /** Threads ours (and PyTorch) used; 1 when absent. */
  threads?: number;
  /** For throughput rows: the figure is `work / ms` (GFLOP/s: flops / 1e6). */
  work?: number;
}

/** The detail keys of an all-threads row: the one-thread ms per call and the speedup, alternated. */
export const ONE_THREAD_MS = "ours 1 thread ms, alternated";
export const SPEEDUP = "speedup over 1 thread, alternated";

/** Settings every section receives. */
export interface BenchOptions {
  /** `--quick`: a fast smoke run with fewer samples and smaller workloads. */
  quick: boolean;
  /** Untimed calls before measuring. */
  warmup: number;
  /** And untimed calls until this long has passed (none when absent). */
  warmupMs?: number;
  /** Timed samples; the median is reported. */
  samples: number;
  /** Each sample repeats the call until at least this long, then divides. */
  minSampleMs: number;
  /** `--only a,b`: run only these sections (null: all). */
  only?: readonly string[] | null;
}

/** A named group of workloads. */
export interface BenchSection {
  /** Shown in progress messages and in the "n/a" row when the section fails. */
  name: string;
  /** Measures the workloads and returns one row each. */
  run(options: BenchOptions): Promise<BenchRow[]>;
}
