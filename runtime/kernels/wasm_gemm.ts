/**
 * Loads the WebAssembly SIMD GEMM (built from `wasm_gemm_source.ts` into `build/wasm/` by
 * `tools/build_wasm.ts`) and runs float32 products on it: the operands are copied into the
 * module's memory with `TypedArray.set`, the module packs and multiplies them, and C is copied
 * back. `gemm()` in `gemm.ts` dispatches here; the pure TypeScript kernel stays the fallback.
 *
 * The module is found in one of two ways: a process allowed to read `build/wasm/` loads the
 * file on first use (without ever prompting for permission), and a sandboxed worker that may
 * read nothing is handed the bytes by its parent through {@linkcode installGemmWasm}.
 *
 * Every module instance (both variants, and the pool's threads in `threads.ts`) works on one
 * shared memory. Products big enough are cut into blocks of C (`gemm_blocks.ts`, never along
 * the summation) that the threads share out, so the result has the same bits for any thread
 * count.
 *
 * @module
 */
import type { GemmShape } from "./gemm.ts";
import { gemmBlocks } from "./gemm_blocks.ts";
import { type Job, runJobs } from "./thread_pool.ts";
import { activeThreads, poolReady, setPoolKernels } from "./threads.ts";
import { DIRECT_MAX_ROWS } from "./wasm_gemm_direct.ts";
import {
  DATA_OFFSET,
  GEMM_WASM_ABI,
  INITIAL_PAGES,
  MAX_PAGES,
  PAGE_BYTES,
  SCRATCH_BYTES,
} from "./wasm_gemm_layout.ts";

import type { ModuleGemm } from "./row_kernels.ts";
import { gemmWasmUrl, type GemmWasmVariant } from "./wasm_gemm_url.ts";

export { gemmWasmUrl, type GemmWasmVariant };

/** The module's exports (for `wasm_conv.ts`; other code calls {@linkcode gemmWasm}). */
export interface GemmExports {
  memory: WebAssembly.Memory;
  abi(): number;
  tileRows(): number;
  setScratch(at: number): void;
  conv2d(...args: number[]): void;
  conv2dBackward(...args: number[]): void;
  conv2dWeightGrad(...args: number[]): void;
  gemmTile(...args: number[]): void;
  lstmCellForward(...args: number[]): void;
  lstmCellBackward(...args: number[]): void;
  gruCellForward(...args: number[]): void;
  gruCellBackward(...args: number[]): void;
  gemm: ModuleGemm;
}

/** Largest linear memory the loader grows to; bigger products take the TypeScript path. */
const MAX_MEMORY_BYTES = MAX_PAGES * PAGE_BYTES;
/**
 * Fewest multiply-adds worth splitting across threads by default (4M, about 200 µs on one
 * thread here). Measured with `deno task bench`'s alternated samples on this 2-core virtual
 * machine: with 256k, an LSTM step's 1M products were split, and the step took 18.2 ms on two
 * threads against 14.8 ms on one (waking a thread and sharing a small product cost more than
 * the half it saved); with 4M the step takes 14.2 ms, and an MLP step (12.8M products) keeps its
 * ×1.24.
 */
export const PARALLEL_MIN_WORK = 1 << 22;
let parallelMinWork = PARALLEL_MIN_WORK;

/**
 * Sets the fewest multiply-adds an operation needs to be split across threads (tests split
 * small odd shapes with 0) and returns the previous value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PARALLEL_MIN_WORK, setParallelMinWork } from "./wasm_gemm.ts";
 * const previous = setParallelMinWork(0);
 * assert.equal(setParallelMinWork(previous), 0);
 * assert.equal(previous, PARALLEL_MIN_WORK);
 * ```
 */
export function setParallelMinWork(work: number): number {
  const previous = parallelMinWork;
  parallelMinWork = work;
  return previous;
}

/**
 * Threads worth using for `work` multiply-adds of module `variant` (0 exact, 1 FMA): one below
 * the threshold of {@linkcode setParallelMinWork}, else as many as are up, but none with less
 * than half the threshold's work (a thread woken for less would cost more than it saves).
 */
export function threadsForWork(work: number, variant = 0): number {
  if (work < parallelMinWork) return 1;
  const most = parallelMinWork === 0 ? Infinity : Math.floor(work / (parallelMinWork / 2));
  return Math.max(1, Math.min(most, activeThreads(variant)));
}

interface LoadedKernel {
  module: WebAssembly.Module;
  exports: GemmExports;
}

const loaded = new Map<GemmWasmVariant, LoadedKernel | null>();
let heapView = new Float32Array(0);
let sharedMemory: WebAssembly.Memory | null = null;

/** The memory every instance imports (created on first use). */
function memory(): WebAssembly.Memory {
  sharedMemory ??= new WebAssembly.Memory({
    initial: INITIAL_PAGES,
    maximum: MAX_PAGES,
    shared: true,
  });
  return sharedMemory;
}

/**
 * The module's memory as float32, grown to at least `bytes`; `null` when that would pass
 * {@linkcode MAX_MEMORY_BYTES} or the engine refuses, so the caller falls back to TypeScript.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heapOf, kernel } from "./wasm_gemm.ts";
 * const exports = kernel("exact");
 * assert.notEqual(exports, null); // built by `deno task build:wasm`
 * assert.ok(heapOf(exports!, 1 << 20)!.length >= (1 << 20) / 4);
 * ```
 */
export function heapOf(exports: GemmExports, bytes: number): Float32Array | null {
  if (bytes > MAX_MEMORY_BYTES) return null;
  const memory = exports.memory;
  if (memory.buffer.byteLength < bytes) {
    // NOTE: the memory only grows (WebAssembly cannot shrink it): it stays at the largest
    // operands so far, at most MAX_MEMORY_BYTES.
    try {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    } catch {
      return null; // the engine refused more memory: the TypeScript kernel needs none
    }
  }
  if (heapView.buffer !== memory.buffer || heapView.length * 4 !== memory.buffer.byteLength) {
    heapView = new Float32Array(memory.buffer);
  }
  return heapView;
}

/**
 * Makes `bytes` (a built GEMM module) the kernel for `variant`, replacing any loaded one. For
 * workers without read permission, whose parent reads the file and posts the bytes.
 *
 * @throws {TypeError} When the bytes are not a GEMM module of this runtime's ABI version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasGemmWasm, installGemmWasm } from "./wasm_gemm.ts";
 * import { assembleGemmWasm } from "./wasm_gemm_source.ts";
 * installGemmWasm(await assembleGemmWasm());
 * assert.equal(hasGemmWasm("exact"), true);
 * ```
 */
export function installGemmWasm(
  bytes: BufferSource | WebAssembly.Module,
  variant: GemmWasmVariant = "exact",
): void {
  const module = bytes instanceof WebAssembly.Module ? bytes : new WebAssembly.Module(bytes);
  const exports = new WebAssembly.Instance(module, { env: { memory: memory() } })
    .exports as Partial<GemmExports>;
  if (typeof exports.abi !== "function" || typeof exports.gemm !== "function") {
    throw new TypeError("installGemmWasm: the module has no `abi` and `gemm` exports");
  }
  const abi = exports.abi();
  if (abi !== GEMM_WASM_ABI) {
    throw new TypeError(
      `installGemmWasm: the module has ABI version ${abi} but this runtime needs ` +
        `${GEMM_WASM_ABI}; rebuild it with \`deno task build:wasm\``,
    );
  }
  loaded.set(variant, { module, exports: { ...exports, memory: memory() } as GemmExports });
  setPoolKernels(
    (["exact", "fma"] as const).map((v) => loaded.get(v)?.module ?? null),
    memory(),
  );
}

/** Reads a variant's module from `build/wasm/` if this process may; `null` otherwise. */
function readBuiltModule(variant: GemmWasmVariant): Uint8Array | null {
  const url = gemmWasmUrl(variant);
  if (typeof Deno === "undefined" || url.protocol !== "file:") return null;
  try {
    // NOTE: query first: a bare read in a process without --allow-read would prompt the user.
    if (Deno.permissions.querySync({ name: "read", path: url }).state !== "granted") return null;
    return Deno.readFileSync(url);
  } catch {
    return null; // not built yet, or not readable: the TypeScript kernel is used
  }
}

/**
 * The loaded exports of a variant, loading the built file on first use; `null` if none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernel } from "./wasm_gemm.ts";
 * assert.equal(typeof kernel("exact")?.gemm, "function"); // built by `deno task build:wasm`
 * ```
 */
export function kernel(variant: GemmWasmVariant): GemmExports | null {
  const known = loaded.get(variant);
  if (known !== undefined) return known?.exports ?? null;
  const bytes = readBuiltModule(variant);
  loaded.set(variant, null);
  if (bytes !== null) {
    try {
      installGemmWasm(bytes, variant);
    } catch (error) {
      // A stale or corrupt build must not break the runtime: say so once, then use TypeScript.
      console.warn(`gemm: not using ${gemmWasmUrl(variant).pathname}: ${(error as Error).message}`);
    }
  }
  return loaded.get(variant)?.exports ?? null;
}

/**
 * Whether the WebAssembly kernel of `variant` is available (installed, or built and readable).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasGemmWasm } from "./wasm_gemm.ts";
 * assert.equal(hasGemmWasm("exact"), true); // built by `deno task build:wasm`
 * ```
 */
export function hasGemmWasm(variant: GemmWasmVariant = "exact"): boolean {
  return kernel(variant) !== null;
}

/**
 * Computes `C = op(A) · op(B)` for float32 data on the WebAssembly kernel; arguments as for
 * `gemm()`. Returns `false` (and does nothing) when the kernel is unavailable or the operands
 * would not fit its memory, so the caller can fall back.
 *
 * @throws {RangeError} When an operand is shorter than its offset plus its shape needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemmWasm, installGemmWasm } from "./wasm_gemm.ts";
 * import { assembleGemmWasm } from "./wasm_gemm_source.ts";
 * installGemmWasm(await assembleGemmWasm());
 * const c = new Float32Array(1);
 * gemmWasm(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, c, 0, { m: 1, n: 1, k: 2 });
 * assert.deepEqual([...c], [11]);
 * ```
 */
export function gemmWasm(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  c: Float32Array,
  cOffset: number,
  shape: GemmShape,
  variant: GemmWasmVariant = "exact",
): boolean {
  const { m, n, k } = shape;
  const aSize = m * k;
  const bSize = k * n;
  const cSize = m * n;
  if (a.length < aOffset + aSize || b.length < bOffset + bSize || c.length < cOffset + cSize) {
    throw new RangeError(
      `gemm: operands too short for m=${m} n=${n} k=${k} (A ${a.length} from ${aOffset}, ` +
        `B ${b.length} from ${bOffset}, C ${c.length} from ${cOffset})`,
    );
  }
  const exports = kernel(variant);
  if (exports === null || cSize === 0) return exports !== null;
  if (k === 0) {
    c.fill(0, cOffset, cOffset + cSize);
    return true;
  }
  // Element offsets in the heap, each operand 16-element (64-byte) aligned; the extra
  // threads' scratch areas follow C.
  const aAt = DATA_OFFSET / 4;
  const bAt = aAt + Math.ceil(aSize / 16) * 16;
  const cAt = bAt + Math.ceil(bSize / 16) * 16;
  const scratchAt = cAt + Math.ceil(cSize / 16) * 16;
  // NOTE: one or two rows take the direct paths, whose sums depend on a column's position in
  // the row; they are never split, so every thread count gives the same bits.
  const threads = m <= DIRECT_MAX_ROWS ? 1 : threadsForWork(m * n * k, variant === "fma" ? 1 : 0);
  const heap = heapOf(exports, scratchAt * 4 + (threads - 1) * SCRATCH_BYTES);
  if (heap === null) return false;
  heap.set(a.subarray(aOffset, aOffset + aSize), aAt);
  heap.set(b.subarray(bOffset, bOffset + bSize), bAt);
  const strides = [
    shape.transA ? 1 : k,
    shape.transA ? m : 1,
    shape.transB ? 1 : n,
    shape.transB ? k : 1,
  ] as const;
  if (threads === 1) {
    exports.gemm(aAt * 4, bAt * 4, cAt * 4, m, n, k, ...strides);
  } else {
    const [aRow, , , bCol] = strides;
    const jobs = gemmBlocks(m, n, k, threads).map(({ row, rows, col, cols }): Job => ({
      fn: "gemmTile",
      variant: variant === "fma" ? 1 : 0,
      args: [
        (aAt + row * aRow) * 4,
        (bAt + col * bCol) * 4,
        (cAt + row * n + col) * 4,
        rows,
        cols,
        k,
        ...strides,
        n,
      ],
    }));
    const scratch = { base: scratchAt * 4, stride: SCRATCH_BYTES, workers: threads - 1 };
    runJobs(jobs, (job) => exports.gemmTile(...job.args), scratch);
  }
  c.set(heap.subarray(cAt, cAt + cSize), cOffset);
  return true;
}

/**
 * Loads the kernels, starts the threads `setThreads()` asked for if they are not
 * running, waits until they are up (or could not start), and returns how many threads float32
 * products and convolutions can use now, the calling one included.
 *
 * @example
 * ```ts
 * import { setThreads, threadsReady } from "gradbook";
 * import assert from "node:assert/strict";
 * const previous = setThreads(1);
 * assert.equal(await threadsReady(), 1);
 * setThreads(previous);
 * ```
 */
export function threadsReady(): Promise<number> {
  kernel("exact");
  return poolReady();
}
