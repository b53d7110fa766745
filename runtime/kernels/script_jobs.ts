/**
 * The pool's jobs written in JavaScript rather than in the WebAssembly module: blocks of work
 * that mix the module's products with loops of their own (the LSTM recurrence of a block of
 * batch rows, `lstm_rows.ts`). Each is a self-contained function of `(gemm, heap, args)`; the
 * pool sends their text to its workers (`thread_pool.ts`), and the calling thread runs the very
 * same functions, so a block has the same bits whichever thread runs it.
 *
 * @module
 */
import { lstmBackwardRows, lstmForwardRows, type RowGemm, type RowHeap } from "./lstm_rows.ts";

/** A job in JavaScript: a block of work on `heap` (the shared memory) with `gemm` on it. */
export type ScriptJob = (gemm: RowGemm, heap: RowHeap, args: ArrayLike<number>) => void;

/** Every script job, by the name a {@linkcode Job} of the pool gives. */
export const SCRIPT_JOBS = { lstmForwardRows, lstmBackwardRows } as const;

/** The name of one of {@linkcode SCRIPT_JOBS}. */
export type ScriptJobName = keyof typeof SCRIPT_JOBS;

/** The module's `gemm` export, which takes byte addresses and strides. */
type GemmExport = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  aRow: number,
  aCol: number,
  bRow: number,
  bCol: number,
) => void;

/**
 * A {@linkcode RowGemm} (element indices, transpose flags) over the module's `gemm` export
 * (byte addresses, strides). Self-contained: workers get its text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmRowGemm } from "./script_jobs.ts";
 * const calls: number[][] = [];
 * wasmRowGemm((...args) => calls.push(args))(1, 2, 3, 4, 5, 6, false, true);
 * assert.deepEqual(calls, [[4, 8, 12, 4, 5, 6, 6, 1, 1, 6]]);
 * ```
 */
export function wasmRowGemm(gemm: GemmExport): RowGemm {
  return (aAt, bAt, cAt, m, n, k, transA, transB) =>
    gemm(
      aAt * 4,
      bAt * 4,
      cAt * 4,
      m,
      n,
      k,
      transA ? 1 : k,
      transA ? m : 1,
      transB ? 1 : n,
      transB ? k : 1,
    );
}

/**
 * JavaScript source of an object `{ rowGemm, jobs }` holding {@linkcode wasmRowGemm} and every
 * script job, for a worker's program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scriptJobsSource } from "./script_jobs.ts";
 * assert.ok(scriptJobsSource().includes("lstmForwardRows:"));
 * ```
 */
export function scriptJobsSource(): string {
  const jobs = Object.entries(SCRIPT_JOBS).map(([name, job]) => `${name}: (${job.toString()})`);
  return `{ rowGemm: (${wasmRowGemm.toString()}), jobs: { ${jobs.join(", ")} } }`;
}
