/**
 * What the recurrent kernels (`lstm_kernel.ts`, `gru_kernel.ts`) share: a layer's recurrence
 * runs as blocks of batch rows that the thread pool shares out. Rows never interact within a
 * layer, so each block runs the whole sequence on its own (its recurrent products and gate
 * loops), with no synchronisation per step. Float32 work runs in the WebAssembly module's
 * shared memory, where the workers see it; other work (float64, or the TypeScript kernel
 * chosen) runs the same block functions on the calling thread, on an array of its own.
 *
 * The blocks depend on the batch size only, never on the thread count, and a block's rows are
 * computed by the same code whichever thread runs it, so the results are the same bits for any
 * number of threads.
 *
 * @module
 */
import type { DType, TensorData } from "../core/tensor.ts";
import { gemm, isGemmWasmActive } from "./gemm.ts";
import { blockRange } from "./gemm_blocks.ts";
import { type RowHeap, type RowKernels, wasmRowKernels } from "./row_kernels.ts";
import { SCRIPT_JOBS, type ScriptJobName } from "./script_jobs.ts";
import { type Job, runJobs } from "./thread_pool.ts";
import { heapOf, kernel, threadsForWork } from "./wasm_gemm.ts";
import { DATA_OFFSET, SCRATCH_BYTES } from "./wasm_gemm_layout.ts";

/**
 * Fewest batch rows in a block. Eight rows keep the recurrent products on the packed path of
 * the module (two rows or fewer take a direct path) and its register tiles mostly full.
 */
export const MIN_BLOCK_ROWS = 8;
/** Most blocks a batch is cut into. */
export const MAX_ROW_BLOCKS = 16;

/**
 * How a batch of `batch` rows is cut into blocks: `[first row, rows]` each, as even as can be,
 * every block at least {@linkcode MIN_BLOCK_ROWS} rows (one block for a smaller batch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowBlocks } from "./row_blocks.ts";
 * assert.deepEqual(rowBlocks(16), [[0, 8], [8, 8]]);
 * assert.deepEqual(rowBlocks(25), [[0, 8], [8, 8], [16, 9]]);
 * assert.deepEqual(rowBlocks(5), [[0, 5]]);
 * ```
 */
export function rowBlocks(batch: number): [number, number][] {
  const count = Math.max(1, Math.min(MAX_ROW_BLOCKS, Math.floor(batch / MIN_BLOCK_ROWS)));
  return Array.from({ length: count }, (_, i) => {
    const [from, to] = blockRange(i, count, batch);
    return [from, to - from];
  });
}

/** Where a layer's arrays live while its blocks run, and the product that works there. */
export interface Workspace {
  heap: RowHeap;
  kernels: RowKernels;
  /** Element index of each area, in the order asked for. */
  at: number[];
  /** Whether the heap is the module's shared memory (else the calling thread's own array). */
  isShared: boolean;
  /** Byte address of the workers' scratch areas (shared memory only). */
  scratchAt: number;
  /** `size` values from element `from`, to keep after the blocks ran (a copy if shared). */
  take(from: number, size: number): TensorData;
}

/** `count` rounded up to a multiple of 16 elements (64 bytes). */
const aligned = (count: number) => Math.ceil(count / 16) * 16;

/**
 * Areas of the given element counts in the module's shared memory (float32, with the
 * WebAssembly kernel active and room for a scratch area per worker of the plan), else in an array
 * of its own.
 * The areas are not cleared: in the shared memory they hold what earlier work left there, so the
 * caller zeroes what its blocks read before they write it.
 */
export function workspace(plan: RowPlan, sizes: number[]): Workspace {
  const { dtype } = plan;
  const workers = plan.threads - 1;
  const at: number[] = [];
  let next = 0;
  for (const size of sizes) {
    at.push(next);
    next += aligned(size);
  }
  const exports = dtype === "float32" && isGemmWasmActive() ? kernel("exact") : null;
  if (exports !== null) {
    const base = DATA_OFFSET / 4;
    const scratchAt = (base + next) * 4;
    const heap = heapOf(exports, scratchAt + workers * SCRATCH_BYTES);
    if (heap !== null) {
      return {
        heap,
        kernels: wasmRowKernels(exports),
        at: at.map((a) => a + base),
        isShared: true,
        scratchAt,
        take: (from, size) => heap.slice(from, from + size),
      };
    }
  }
  const heap = dtype === "float64" ? new Float64Array(next) : new Float32Array(next);
  const kernels: RowKernels = {
    gemm: (aAt, bAt, cAt, m, n, k, transA, transB) =>
      gemm(heap, aAt, heap, bAt, heap, cAt, { m, n, k, transA, transB }),
  };
  const take = (from: number, size: number) => heap.subarray(from, from + size);
  return { heap, kernels, at, isShared: false, scratchAt: 0, take };
}

/**
 * Runs `fn` once per row block, `argsOf(from, rows, i)` giving block i's arguments; on the
 * pool's threads when the workspace is shared and `work` multiply-adds are worth splitting.
 */
export function runRowBlocks(
  space: Workspace,
  fn: ScriptJobName,
  { blocks, threads }: RowPlan,
  argsOf: (from: number, rows: number, i: number) => number[],
): void {
  const job = SCRIPT_JOBS[fn];
  const jobs = blocks.map(([from, rows], i): Job => ({
    fn,
    variant: 0,
    args: argsOf(from, rows, i),
  }));
  const runHere = (j: Job) => job(space.kernels, space.heap, j.args);
  if (!space.isShared || threads < 2) {
    jobs.forEach(runHere);
    return;
  }
  runJobs(jobs, runHere, { base: space.scratchAt, stride: SCRATCH_BYTES, workers: threads - 1 });
}

/** How one layer's recurrence runs: its row blocks, the threads for them, its float type. */
export interface RowPlan {
  blocks: [number, number][];
  threads: number;
  dtype: DType;
}

/**
 * The plan for a batch of `batch` rows of `data`'s float type whose recurrent products total
 * `work` multiply-adds: {@linkcode rowBlocks}, and as many threads as blocks when the work is
 * worth splitting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planRows } from "./row_blocks.ts";
 * const plan = planRows(new Float64Array(1), 16, 100);
 * assert.deepEqual([plan.blocks.length, plan.threads, plan.dtype], [2, 1, "float64"]);
 * ```
 */
export function planRows(data: TensorData, batch: number, work: number): RowPlan {
  const blocks = rowBlocks(batch);
  const threads = blocks.length < 2 ? 1 : Math.min(blocks.length, threadsForWork(work));
  return { blocks, threads, dtype: data instanceof Float64Array ? "float64" : "float32" };
}
