/**
 * The PyTorch column of `deno task bench`: runs the committed script `bench/torch_bench.py`
 * with Debian's Python (`/usr/bin/python3`, which has `python3-torch`) as a child process, once
 * per thread count, with `OMP_NUM_THREADS` (and OpenBLAS's own variable) set, and fills the
 * `torch` peer of every row that names a workload of the script. Without PyTorch the column
 * reads "n/a" and the note says why.
 *
 * @module
 */
import type { BenchOptions, BenchRow } from "./section.ts";

/** Debian's Python, the one with `python3-torch`. */
export const TORCH_PYTHON = "/usr/bin/python3";
const SCRIPT = new URL("./torch_bench.py", import.meta.url);

/** What one run of the script reports. */
export interface TorchRun {
  torch: string;
  blas: string;
  threads: number;
  /** Median ms per call, by workload name. */
  ms: Record<string, number>;
}

const runs = new Map<number, Promise<TorchRun | string>>();

/**
 * Times every workload of `bench/torch_bench.py` on `threads` threads (memoized per count);
 * resolves with the figures, or with the reason there are none.
 */
export function torchRun(threads: number, options: BenchOptions): Promise<TorchRun | string> {
  let run = runs.get(threads);
  if (run === undefined) {
    run = spawnTorch(threads, options);
    runs.set(threads, run);
  }
  return run;
}

async function spawnTorch(threads: number, options: BenchOptions): Promise<TorchRun | string> {
  const args = [
    SCRIPT.pathname,
    `--threads=${threads}`,
    `--warmup=${options.warmup}`,
    `--warmup-ms=${options.warmupMs ?? 0}`,
    `--samples=${options.samples}`,
    `--min-sample-ms=${options.minSampleMs}`,
    ...(options.quick ? ["--quick"] : []),
  ];
  const threadVariables = {
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(TORCH_PYTHON, { args, env: threadVariables }).output();
  } catch (error) {
    return `no ${TORCH_PYTHON} (${(error as Error).message})`;
  }
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    return stderr.includes("No module named 'torch'")
      ? "PyTorch not installed (apt-get install python3-torch)"
      : `torch_bench.py failed: ${stderr.trim().split("\n").at(-1)}`;
  }
  return JSON.parse(new TextDecoder().decode(output.stdout)) as TorchRun;
}

/**
 * Fills `peers.torch` of each row with an `id`, from a PyTorch run with the row's thread count:
 * ms for time rows, `work / ms` for throughput rows. Returns a line describing the runs.
 */
export async function addTorchColumn(
  rows: BenchRow[],
  options: BenchOptions,
): Promise<string> {
  const described = new Set<string>();
  for (const row of rows) {
    if (row.id === undefined) continue;
    const run = await torchRun(row.threads ?? 1, options);
    if (typeof run === "string") {
      row.peers.torch = null;
      described.add(`PyTorch: n/a, ${run}`);
      continue;
    }
    described.add(`PyTorch ${run.torch} (${run.blas}) on ${run.threads} thread(s)`);
    const ms = run.ms[row.id];
    if (ms === undefined) row.peers.torch = null;
    else if (row.kind === "throughput") row.peers.torch = (row.work ?? NaN) / ms;
    else row.peers.torch = ms;
  }
  return [...described].join("; ");
}
