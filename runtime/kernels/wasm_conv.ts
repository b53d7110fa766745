/**
 * A float32 2-D convolution forward pass run entirely in the WebAssembly module
 * (`wasm_conv_source.ts`): the batch is copied in once, each sample is unfolded (im2col),
 * multiplied by the weights and biased inside the module, and the output is copied out once.
 *
 * @module
 */
import { isGemmWasmActive } from "./gemm.ts";
import { blockRange } from "./gemm_blocks.ts";
import { type Job, type ModuleFunction, runJobs } from "./thread_pool.ts";
import { type GemmExports, heapOf, kernel, threadsForWork } from "./wasm_gemm.ts";
import { DIRECT_MAX_ROWS } from "./wasm_gemm_direct.ts";
import { DATA_OFFSET, SCRATCH_BYTES } from "./wasm_gemm_layout.ts";

/** The shape of a convolution, named as in `runtime/ops/conv.ts`. */
export interface ConvGeometry {
  /** Batch, input channels, height, width. */
  n: number;
  c: number;
  h: number;
  w: number;
  /** Output channels. */
  o: number;
  /** Kernel size, stride, padding and dilation, vertical then horizontal. */
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  /** Channel groups (input channels c / groups per group). */
  groups: number;
  /** Output height and width. */
  ho: number;
  wo: number;
}

/** `count` rounded up to a multiple of 16 elements (64 bytes). */
const aligned = (count: number) => Math.ceil(count / 16) * 16;

/** Threads for a convolution of `work` multiply-adds split into at most `parts` blocks. */
function threadsFor(work: number, parts: number): number {
  return parts < 2 ? 1 : Math.min(parts, threadsForWork(work));
}

/**
 * Runs one job per block on the pool: `argsOf(i, cols, tile)` gives block i's arguments given
 * its areas (byte addresses). Block i's areas start at element `areaAt + i * area`: its columns,
 * its tile, then a packing scratch that worker i - 1 uses (the calling thread uses the module's
 * own), so each thread that may claim a block has a scratch of its own.
 */
function runBlocks(
  exports: GemmExports,
  fn: ModuleFunction,
  blocks: number,
  areaAt: number,
  colsFloats: number,
  tileFloats: number,
  argsOf: (i: number, cols: number, tile: number) => number[],
): void {
  const area = aligned(colsFloats) + aligned(tileFloats) + SCRATCH_BYTES / 4;
  const jobs: Job[] = [];
  for (let i = 0; i < blocks; i++) {
    const at = areaAt + i * area;
    const cols = at * 4;
    const tile = (at + aligned(colsFloats)) * 4;
    jobs.push({ fn, variant: 0, args: argsOf(i, cols, tile) });
  }
  const firstScratch = (areaAt + area + aligned(colsFloats) + aligned(tileFloats)) * 4;
  const run = exports[fn] as (...args: number[]) => void;
  runJobs(jobs, (job) => run(...job.args), {
    base: firstScratch,
    stride: area * 4,
    workers: blocks - 1,
  });
}

/** Bytes of heap for `blocks` thread areas as {@linkcode runBlocks} lays them out. */
function blocksBytes(blocks: number, colsFloats: number, tileFloats: number): number {
  return blocks * (aligned(colsFloats) + aligned(tileFloats) + SCRATCH_BYTES / 4) * 4;
}

/**
 * Computes the convolution of `x` [n, c, h, w] with `weight` [o, c/groups, kh, kw] plus `bias`
 * [o] (or none) into `out` [n, o, ho, wo] on the WebAssembly kernel. Returns `false` (and does
 * nothing) when the kernel is not active or the operands would not fit its memory, so the
 * caller can run its own loop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conv2dWasm } from "./wasm_conv.ts";
 * const g = { n: 1, c: 1, h: 3, w: 3, o: 1, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1,
 *   dw: 1, groups: 1, ho: 2, wo: 2 };
 * const out = new Float32Array(4);
 * const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * assert.equal(conv2dWasm(x, new Float32Array([1, 0, 0, 1]), null, out, g), true);
 * assert.deepEqual([...out], [6, 8, 12, 14]);
 * ```
 */
export function conv2dWasm(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
  g: ConvGeometry,
): boolean {
  const exports = isGemmWasmActive() ? kernel("exact") : null;
  const l = g.ho * g.wo;
  if (exports === null || g.n === 0 || l === 0 || g.o === 0) return exports !== null;
  const xSize = g.n * g.c * g.h * g.w;
  const wSize = weight.length;
  const colsSize = g.c * g.kh * g.kw * l;
  const outSize = g.n * g.o * l;
  const xAt = DATA_OFFSET / 4;
  const wAt = xAt + aligned(xSize);
  const biasAt = wAt + aligned(wSize);
  const outAt = biasAt + aligned(g.o);
  const areaAt = outAt + aligned(outSize);
  const threads = threadsFor(g.n * g.o * colsSize / g.groups, g.n);
  const heap = heapOf(exports, areaAt * 4 + blocksBytes(threads, colsSize, 0));
  if (heap === null) return false;
  heap.set(x.subarray(0, xSize), xAt);
  heap.set(weight, wAt);
  if (bias !== null) heap.set(bias.subarray(0, g.o), biasAt);
  const inSize = g.c * g.h * g.w;
  runBlocks(exports, "conv2d", threads, areaAt, colsSize, 0, (i, cols) => {
    const [from, to] = blockRange(i, threads, g.n);
    return [
      (xAt + from * inSize) * 4,
      wAt * 4,
      biasAt * 4,
      cols,
      (outAt + from * g.o * l) * 4,
      to - from,
      g.c,
      g.h,
      g.w,
      g.o,
      g.kh,
      g.kw,
      g.sh,
      g.sw,
      g.ph,
      g.pw,
      g.dh,
      g.dw,
      g.groups,
      g.ho,
      g.wo,
      bias === null ? 0 : 1,
    ];
  });
  out.set(heap.subarray(outAt, outAt + outSize));
  return true;
}

/**
 * The gradients of {@linkcode conv2dWasm} on the WebAssembly kernel: with `dx` [n, c, h, w]
 * given, $\partial L/\partial x$ is written there; with `dw` [o, c/groups, kh, kw] given,
 * $\partial L/\partial W$ (both overwritten). `dy` [n, o, ho, wo] is the output's gradient.
 * Returns `false` (and does nothing) when the kernel is not active or the operands would not
 * fit its memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conv2dBackwardWasm } from "./wasm_conv.ts";
 * const g = { n: 1, c: 1, h: 2, w: 2, o: 1, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1,
 *   dw: 1, groups: 1, ho: 2, wo: 2 };
 * const x = new Float32Array([1, 2, 3, 4]);
 * const dw = new Float32Array(1);
 * assert.equal(
 *   conv2dBackwardWasm(x, new Float32Array([2]), new Float32Array(4).fill(1), null, dw, g),
 *   true,
 * );
 * assert.deepEqual([...dw], [10]); // the sum of x
 * ```
 */
export function conv2dBackwardWasm(
  x: Float32Array,
  weight: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  dw: Float32Array | null,
  g: ConvGeometry,
): boolean {
  const exports = isGemmWasmActive() ? kernel("exact") : null;
  const l = g.ho * g.wo;
  if (exports === null) return false;
  const xSize = g.n * g.c * g.h * g.w;
  const wSize = weight.length;
  const dySize = g.n * g.o * l;
  if (g.n === 0 || l === 0 || g.o === 0) {
    dx?.fill(0, 0, xSize);
    dw?.fill(0, 0, wSize);
    return true;
  }
  const xAt = DATA_OFFSET / 4;
  const wAt = xAt + aligned(xSize);
  const dyAt = wAt + aligned(wSize);
  const dxAt = dyAt + aligned(dySize);
  const dwAt = dxAt + aligned(xSize);
  const areaAt = dwAt + aligned(wSize);
  const k = g.c * g.kh * g.kw;
  const colsSize = k * l;
  const work = g.n * g.o * colsSize / g.groups;
  // The input gradient splits by samples; the weight gradient (one group, more than the direct
  // paths' rows) by its columns, each thread unfolding only its rows of the columns.
  const inputThreads = dx === null ? 0 : threadsFor(work, g.n);
  const isWeightSplit = g.groups === 1 && g.o > DIRECT_MAX_ROWS;
  const weightThreads = dw === null ? 0 : isWeightSplit ? threadsFor(work, Math.floor(k / 4)) : 1;
  const blocks = Math.max(inputThreads, weightThreads);
  const heap = heapOf(exports, areaAt * 4 + blocksBytes(blocks, colsSize, wSize));
  if (heap === null) return false;
  if (dw !== null) heap.set(x.subarray(0, xSize), xAt);
  if (dx !== null) heap.set(weight, wAt);
  heap.set(dy.subarray(0, dySize), dyAt);
  heap.fill(0, dxAt, dxAt + xSize);
  heap.fill(0, dwAt, dwAt + wSize);
  const geometry = [
    g.c,
    g.h,
    g.w,
    g.o,
    g.kh,
    g.kw,
    g.sh,
    g.sw,
    g.ph,
    g.pw,
    g.dh,
    g.dw,
  ];
  const inSize = g.c * g.h * g.w;
  const backward = (n: number, from: number, cols: number, tile: number, input: 0 | 1) => [
    xAt * 4 + from * inSize * 4,
    wAt * 4,
    (dyAt + from * g.o * l) * 4,
    (dxAt + from * inSize) * 4,
    dwAt * 4,
    cols,
    tile,
    n,
    ...geometry,
    g.groups,
    g.ho,
    g.wo,
    input,
    1 - input,
  ];
  if (dx !== null) {
    runBlocks(exports, "conv2dBackward", inputThreads, areaAt, colsSize, wSize, (i, c, t) => {
      const [from, to] = blockRange(i, inputThreads, g.n);
      return backward(to - from, from, c, t, 1);
    });
  }
  if (dw !== null && !isWeightSplit) {
    runBlocks(
      exports,
      "conv2dBackward",
      1,
      areaAt,
      colsSize,
      wSize,
      (_, c, t) => backward(g.n, 0, c, t, 0),
    );
  } else if (dw !== null) {
    runBlocks(exports, "conv2dWeightGrad", weightThreads, areaAt, colsSize, wSize, (i, c, t) => {
      // Blocks of whole vectors of four columns, the last one taking the remainder.
      const [from, to] = blockRange(i, weightThreads, Math.floor(k / 4)).map((v) => v * 4);
      const end = i === weightThreads - 1 ? k : to!;
      return [xAt * 4, dyAt * 4, dwAt * 4, c, t, g.n, ...geometry, g.ho, g.wo, from!, end];
    });
  }
  dx?.set(heap.subarray(dxAt, dxAt + xSize));
  dw?.set(heap.subarray(dwAt, dwAt + wSize));
  return true;
}
