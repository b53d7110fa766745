/**
 * The pool's jobs written in JavaScript rather than in the WebAssembly module: blocks of work
 * that mix the module's products with loops of their own (the LSTM and GRU recurrences of a
 * block of batch rows, `lstm_rows.ts` and `gru_rows.ts`). Each is a self-contained function of
 * `(kernels, heap, args)`; the pool sends their text to its workers (`thread_pool.ts`), and the
 * calling thread runs the very same functions, so a block has the same bits whichever thread
 * runs it.
 *
 * @module
 */
import { gruBackwardRows, gruForwardRows } from "./gru_rows.ts";
import { lstmBackwardRows, lstmForwardRows } from "./lstm_rows.ts";
import { type RowHeap, type RowKernels, wasmRowKernels } from "./row_kernels.ts";

/** A job in JavaScript: a block of work on `heap` (the shared memory) with `kernels` on it. */
export type ScriptJob = (kernels: RowKernels, heap: RowHeap, args: ArrayLike<number>) => void;

/** Every script job, by the name a {@linkcode Job} of the pool gives. */
export const SCRIPT_JOBS = {
  lstmForwardRows,
  lstmBackwardRows,
  gruForwardRows,
  gruBackwardRows,
} as const;

/** The name of one of {@linkcode SCRIPT_JOBS}. */
export type ScriptJobName = keyof typeof SCRIPT_JOBS;

/**
 * JavaScript source of an object `{ rowKernels, jobs }` holding {@linkcode wasmRowKernels} and
 * every script job, for a worker's program.
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
  return `{ rowKernels: (${wasmRowKernels.toString()}), jobs: { ${jobs.join(", ")} } }`;
}
