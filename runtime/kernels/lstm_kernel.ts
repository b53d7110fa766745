/**
 * Runs an LSTM layer's recurrence, forward and backward, as blocks of batch rows
 * (`lstm_rows.ts`) that the thread pool shares out: rows never interact within a layer, so each
 * block runs the whole sequence on its own, with no synchronisation per step. Float32 work runs
 * in the WebAssembly module's shared memory, where the workers see it; other work (float64, or
 * the TypeScript kernel chosen) runs the same block functions on the calling thread, on an
 * array of its own.
 *
 * The blocks depend on the batch size only, never on the thread count, and a block's rows are
 * computed by the same code whichever thread runs it, so the results are the same bits for any
 * number of threads.
 *
 * @module
 */
import type { DType, TensorData } from "../core/tensor.ts";
import { gemm, isGemmWasmActive } from "./gemm.ts";
import type { RowGemm, RowHeap } from "./lstm_rows.ts";
import { SCRIPT_JOBS, type ScriptJobName, wasmRowGemm } from "./script_jobs.ts";
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
 * import { rowBlocks } from "./lstm_kernel.ts";
 * assert.deepEqual(rowBlocks(16), [[0, 8], [8, 8]]);
 * assert.deepEqual(rowBlocks(25), [[0, 8], [8, 8], [16, 9]]);
 * assert.deepEqual(rowBlocks(5), [[0, 5]]);
 * ```
 */
export function rowBlocks(batch: number): [number, number][] {
  const count = Math.max(1, Math.min(MAX_ROW_BLOCKS, Math.floor(batch / MIN_BLOCK_ROWS)));
  const blocks: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor(i * batch / count);
    blocks.push([from, Math.floor((i + 1) * batch / count) - from]);
  }
  return blocks;
}

/** Where a layer's arrays live while its blocks run, and the product that works there. */
interface Workspace {
  heap: RowHeap;
  rowGemm: RowGemm;
  /** Element index of each area, in the order asked for. */
  at: number[];
  /** Whether the heap is the module's shared memory (else the calling thread's own array). */
  isShared: boolean;
  /** Byte address of the workers' scratch areas (shared memory only). */
  scratchAt: number;
}

/** `count` rounded up to a multiple of 16 elements (64 bytes). */
const aligned = (count: number) => Math.ceil(count / 16) * 16;

/**
 * Areas of the given element counts in the module's shared memory (float32, with the
 * WebAssembly kernel active and room for `workers` scratch areas), else in an array of its own.
 * Every area is zeroed.
 */
function workspace(dtype: DType, sizes: number[], workers: number): Workspace {
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
      heap.fill(0, base, base + next);
      return {
        heap,
        rowGemm: wasmRowGemm(exports.gemm),
        at: at.map((a) => a + base),
        isShared: true,
        scratchAt,
      };
    }
  }
  const heap = dtype === "float64" ? new Float64Array(next) : new Float32Array(next);
  const rowGemm: RowGemm = (aAt, bAt, cAt, m, n, k, transA, transB) =>
    gemm(heap, aAt, heap, bAt, heap, cAt, { m, n, k, transA, transB });
  return { heap, rowGemm, at, isShared: false, scratchAt: 0 };
}

/**
 * Runs `fn` once per row block, `argsOf(from, rows, i)` giving block i's arguments; on the
 * pool's threads when the workspace is shared and `work` multiply-adds are worth splitting.
 */
function runRowBlocks(
  space: Workspace,
  fn: ScriptJobName,
  blocks: [number, number][],
  threads: number,
  argsOf: (from: number, rows: number, i: number) => number[],
): void {
  const job = SCRIPT_JOBS[fn];
  const jobs = blocks.map(([from, rows], i): Job => ({
    fn,
    variant: 0,
    args: argsOf(from, rows, i),
  }));
  const runHere = (j: Job) => job(space.rowGemm, space.heap, j.args);
  if (!space.isShared || threads < 2) {
    jobs.forEach(runHere);
    return;
  }
  runJobs(jobs, runHere, { base: space.scratchAt, stride: SCRATCH_BYTES, workers: threads - 1 });
}

/** Threads for a layer whose recurrent products total `work` multiply-adds over `blocks`. */
function threadsFor(work: number, blocks: number): number {
  return blocks < 2 ? 1 : Math.min(blocks, threadsForWork(work));
}

/** What the forward recurrence leaves for the backward pass (see {@linkcode lstmForward}). */
export interface LstmForwardResult {
  /** $h_0..h_T$, `[(T+1)·B, H]`. */
  hs: TensorData;
  /** $c_0..c_T$, `[(T+1)·B, H]`. */
  cs: TensorData;
  /** The activated gates $i, f, g, o$ of every step, `[T·B, 4H]`. */
  acts: TensorData;
}

/**
 * The forward recurrence of one LSTM layer (equations in `ops/lstm_layer.ts`), given the input
 * projections `xg` (`[T·B, 4H]`, $x_t W_{ih}^\top$, without bias), `whh` (`[4H, H]`), `bias`
 * (`[4H]`, $b_{ih} + b_{hh}$) and the initial states (`[B, H]`, or null for zeros).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstmForward } from "./lstm_kernel.ts";
 * const H = 2, G = 8, zeros = (n: number) => new Float32Array(n);
 * const { hs, acts } = lstmForward(zeros(G), zeros(G * H), zeros(G), null, null, 1, 1, H);
 * assert.deepEqual([...acts], [0.5, 0.5, 0.5, 0.5, 0, 0, 0.5, 0.5]);
 * assert.deepEqual([...hs], [0, 0, 0, 0]);
 * ```
 */
export function lstmForward(
  xg: TensorData,
  whh: TensorData,
  bias: TensorData,
  h0: TensorData | null,
  c0: TensorData | null,
  steps: number,
  batch: number,
  H: number,
): LstmForwardResult {
  const G = 4 * H;
  const BH = batch * H;
  const states = (steps + 1) * BH;
  const blocks = rowBlocks(batch);
  const threads = threadsFor(steps * batch * G * H, blocks.length);
  const dtype: DType = xg instanceof Float64Array ? "float64" : "float32";
  const hgSizes = blocks.map(([, rows]) => rows * G);
  const space = workspace(dtype, [
    steps * batch * G,
    G * H,
    G,
    states,
    states,
    steps * batch * G,
    ...hgSizes,
  ], threads - 1);
  const [xgAt, whhAt, biasAt, hsAt, csAt, actsAt, ...hgAt] = space.at as [number, ...number[]];
  const { heap } = space;
  heap.set(xg, xgAt);
  heap.set(whh, whhAt!);
  heap.set(bias, biasAt!);
  if (h0 !== null) heap.set(h0, hsAt!);
  if (c0 !== null) heap.set(c0, csAt!);
  runRowBlocks(space, "lstmForwardRows", blocks, threads, (from, rows, i) => [
    xgAt,
    whhAt!,
    biasAt!,
    hsAt!,
    csAt!,
    actsAt!,
    hgAt[i]!,
    steps,
    batch,
    H,
    from,
    rows,
  ]);
  const take = (from: number, size: number) =>
    space.isShared ? heap.slice(from, from + size) : heap.subarray(from, from + size);
  return {
    hs: take(hsAt!, states),
    cs: take(csAt!, states),
    acts: take(actsAt!, steps * batch * G),
  };
}

/** What backpropagation through time gives (see {@linkcode lstmBackward}). */
export interface LstmBackwardResult {
  /** The gate gradients of every step, `[T·B, 4H]`. */
  dG: TensorData;
  /** The gradient of $h_0$ (`[B, H]`; that of $h_1$ unless asked for). */
  dh: TensorData;
  /** The gradient of $c_0$, `[B, H]`. */
  dc: TensorData;
}

/**
 * Backpropagation through time for one LSTM layer, given the gradient of every output
 * (`gd`: `[T·B, H]` for $h_1..h_T$, then `[B, H]` for $c_T$) and what {@linkcode lstmForward}
 * left. `wantsH0` asks for the gradient of $h_0$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstmBackward, lstmForward } from "./lstm_kernel.ts";
 * const H = 1, zeros = (n: number) => new Float64Array(n);
 * const forward = lstmForward(zeros(4), zeros(4), zeros(4), null, null, 1, 1, H);
 * const gd = new Float64Array([1, 0]); // dL/dh_1 = 1, dL/dc_1 = 0
 * const { dG, dc } = lstmBackward(gd, forward, zeros(4), 1, 1, H, false);
 * assert.deepEqual([...dG], [0, 0, 0.25, 0]); // only g's gradient: dc_1·i·(1 - g²)
 * assert.deepEqual([...dc], [0.25]);
 * ```
 */
export function lstmBackward(
  gd: TensorData,
  forward: LstmForwardResult,
  whh: TensorData,
  steps: number,
  batch: number,
  H: number,
  wantsH0: boolean,
): LstmBackwardResult {
  const G = 4 * H;
  const BH = batch * H;
  const states = (steps + 1) * BH;
  const blocks = rowBlocks(batch);
  const threads = threadsFor(steps * batch * G * H, blocks.length);
  const dtype: DType = gd instanceof Float64Array ? "float64" : "float32";
  const space = workspace(dtype, [
    steps * BH,
    steps * batch * G,
    states,
    G * H,
    steps * batch * G,
    BH,
    BH,
  ], threads - 1);
  const [gdAt, actsAt, csAt, whhAt, dGAt, dhAt, dcAt] = space.at as number[];
  const { heap } = space;
  heap.set(gd.subarray(0, steps * BH), gdAt!);
  heap.set(gd.subarray(steps * BH, states), dcAt!);
  heap.set(forward.acts, actsAt!);
  heap.set(forward.cs, csAt!);
  heap.set(whh, whhAt!);
  runRowBlocks(space, "lstmBackwardRows", blocks, threads, (from, rows) => [
    gdAt!,
    actsAt!,
    csAt!,
    whhAt!,
    dGAt!,
    dhAt!,
    dcAt!,
    steps,
    batch,
    H,
    from,
    rows,
    wantsH0 ? 1 : 0,
  ]);
  const take = (from: number, size: number) =>
    space.isShared ? heap.slice(from, from + size) : heap.subarray(from, from + size);
  return { dG: take(dGAt!, steps * batch * G), dh: take(dhAt!, BH), dc: take(dcAt!, BH) };
}
