/**
 * How many threads the float32 kernels (matrix products and convolutions) use:
 * {@linkcode setThreads} chooses, and the pool of workers in `thread_pool.ts` supplies them.
 * The default is one thread fewer than the machine has cores (at least one), so the notebook
 * server and the browser keep a core; a host may cap it with {@linkcode setThreadLimit} (the
 * notebook server's `--kernel-threads` flag does). Work is split by blocks of the output only,
 * so the results are the same bits for any number of threads.
 *
 * @module
 */
import { poolStarted, readyWorkers, resizePool } from "./thread_pool.ts";

let limit = Infinity;
let chosen: number | null = null;
let modules: (WebAssembly.Module | null)[] = [];
let memory: WebAssembly.Memory | null = null;

/** The cores this engine reports (1 when it does not say). */
function cores(): number {
  const count = globalThis.navigator?.hardwareConcurrency;
  return typeof count === "number" && count >= 1 ? Math.floor(count) : 1;
}

/**
 * The number of threads the kernels use now: the last {@linkcode setThreads}, else cores − 1,
 * at least 1 and at most the host's limit.
 *
 * @example
 * ```ts
 * import { getThreads } from "gradbook";
 * import assert from "node:assert/strict";
 * assert.ok(getThreads() >= 1);
 * ```
 */
export function getThreads(): number {
  const wanted = chosen ?? cores() - 1;
  return Math.max(1, Math.min(wanted, limit));
}

/**
 * Sets how many threads float32 matrix products and convolutions use (1 turns the pool off)
 * and returns the previous setting. The extra threads start in the background: until they are
 * up, work runs on fewer threads, with the same results; `await threadsReady()` waits for them.
 * The value is capped by the host (the notebook server's `--kernel-threads`).
 *
 * @throws {RangeError} When `count` is not a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { getThreads, setThreads } from "gradbook";
 * import assert from "node:assert/strict";
 * const previous = setThreads(1);
 * assert.equal(getThreads(), 1);
 * setThreads(previous);
 * ```
 */
export function setThreads(count: number): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`setThreads: expected a whole number of threads ≥ 1, got ${count}`);
  }
  const previous = getThreads();
  chosen = count;
  applyThreads();
  return previous;
}

/**
 * Starts the threads asked for if they are not running, waits until they have started (or
 * could not), and returns how many threads the kernels can use now, the calling one included.
 * `gradbook`'s `threadsReady()` loads the kernels first (see `wasm_gemm.ts`).
 */
export async function poolReady(): Promise<number> {
  applyThreads();
  await poolStarted();
  return getThreads() === 1 ? 1 : 1 + readyWorkers(getThreads() - 1);
}

/**
 * Caps the thread count (for hosts: the kernel applies the server's `--kernel-threads`);
 * `Infinity` removes the cap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getThreads, setThreadLimit } from "./threads.ts";
 * setThreadLimit(1);
 * assert.equal(getThreads(), 1);
 * setThreadLimit(Infinity);
 * ```
 */
export function setThreadLimit(max: number): void {
  limit = Math.max(1, max);
  applyThreads();
}

/**
 * Hands the pool the compiled kernel modules (index 0 exact, 1 relaxed FMA) and their shared
 * memory; called by the loader in `wasm_gemm.ts` whenever a module is installed.
 */
export function setPoolKernels(
  next: (WebAssembly.Module | null)[],
  sharedMemory: WebAssembly.Memory,
): void {
  modules = next;
  memory = sharedMemory;
  if (started) applyThreads();
}

let started = false;

function applyThreads(): void {
  if (memory === null) return;
  const extra = getThreads() - 1;
  if (extra === 0 && !started) return;
  started = true;
  resizePool(extra, modules, memory);
}

/**
 * The threads an operation may use right now (1 + workers that are up), starting the pool on
 * first use. `variant` is 0 (exact) or 1 (relaxed FMA); a variant the pool lacks gets 1.
 */
export function activeThreads(variant: number): number {
  const wanted = getThreads();
  if (wanted === 1) return 1;
  if (!started) applyThreads();
  if (modules[variant] === null || modules[variant] === undefined) return 1;
  return 1 + readyWorkers(wanted - 1);
}
