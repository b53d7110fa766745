/**
 * A pool of worker threads for the WebAssembly kernels: each worker instantiates the same
 * kernel modules on the same shared memory, then sleeps in `Atomics.wait` until the calling
 * thread hands it a block of work (a function of the module and its integer arguments) and
 * wakes it with `Atomics.notify`. Between operations the workers use no CPU.
 *
 * The workers need no permission at all: their code is one self-contained function sent as
 * text to a `node:worker_threads` worker (unref'd, so it never keeps a finished script alive;
 * where that module is missing, a web worker from a `blob:` URL), nothing read from disk, so the
 * pool starts inside a sandboxed worker with `permissions: "none"` and with code generation
 * from strings disallowed, as well as in a plain process. Workers start in the background;
 * until they are up, operations simply run on fewer threads, and the calling thread takes back
 * any block no worker has started by the time its own is done. Callers split work by output
 * blocks only, so the results are the same bits whatever the number of threads.
 *
 * @module
 */

/** Int32 fields per worker in the control buffer (192 bytes, so workers never share a cache line). */
const SLOT = 48;
/** Slot fields: the worker's state, the request and done counters, an error flag, the job. */
const STATE = 0;
const REQUEST = 1;
const DONE = 2;
const FAILED = 3;
const FUNCTION = 4;
const VARIANT = 5;
const SCRATCH = 6;
const ARGC = 7;
/** Whose job it is: the request number while it waits, its negation once a worker took it. */
const CLAIM = 8;
const ARGS = 9;
/** Most integer arguments one job may carry. */
export const MAX_JOB_ARGS = SLOT - ARGS;

/** Worker states. */
const STARTING = 0;
const READY = 1;
// (-1: the worker could not instantiate the modules; it is never offered work.)

/** The kernel functions a job may call (the index is sent). */
export const JOB_FUNCTIONS = ["gemmTile", "conv2d", "conv2dBackward", "conv2dWeightGrad"] as const;
/** One of {@linkcode JOB_FUNCTIONS}. */
export type JobFunction = typeof JOB_FUNCTIONS[number];

/** One block of work: call `fn` of the module `variant` with `args`, on scratch at `scratch`. */
export interface Job {
  fn: JobFunction;
  /** 0 for the exact module, 1 for the relaxed-FMA one. */
  variant: number;
  /** Byte address of this thread's scratch area (the calling thread's job uses 0). */
  scratch: number;
  args: number[];
}

/**
 * The worker's whole program. It must reference nothing outside itself: it is sent as text.
 * `modules[v]` is the compiled module of variant v (or null), `memory` the shared memory,
 * `control` the slot buffer, `index` this worker's slot.
 */
function poolWorkerMain(
  port: { once(event: "message", f: (data: unknown) => void): void } | null,
): void {
  const scope = globalThis as unknown as { onmessage: ((event: MessageEvent) => void) | null };
  const start = (data: unknown) => {
    const { modules, memory, control, index, names } = data as {
      modules: (WebAssembly.Module | null)[];
      memory: WebAssembly.Memory;
      control: SharedArrayBuffer;
      index: number;
      names: string[];
    };
    // Field offsets repeated from the module (this function cannot see them).
    const slot = new Int32Array(control, index * 48 * 4, 48);
    let instances: (Record<string, (...args: number[]) => void> | null)[];
    try {
      instances = modules.map((module) =>
        module === null ? null : new WebAssembly.Instance(module, { env: { memory } })
          .exports as Record<string, (...args: number[]) => void>
      );
    } catch {
      Atomics.store(slot, 0, -1);
      Atomics.notify(slot, 0);
      return;
    }
    Atomics.store(slot, 0, 1);
    Atomics.notify(slot, 0);
    let seen = 0;
    for (;;) {
      Atomics.wait(slot, 1, seen);
      const request = Atomics.load(slot, 1);
      if (request === seen) continue;
      seen = request;
      if (request < 0) break; // asked to stop
      // The caller may have taken the job back (it runs jobs nobody has started): skip it then.
      if (Atomics.compareExchange(slot, 8, request, -request) === request) {
        let failed = 0;
        try {
          const exports = instances[slot[5]!]!;
          exports.setScratch!(slot[6]!);
          const args = Array.from(slot.subarray(9, 9 + slot[7]!));
          exports[names[slot[4]!]!]!(...args);
        } catch {
          failed = 1;
        }
        Atomics.store(slot, 3, failed);
      }
      Atomics.store(slot, 2, seen);
      Atomics.notify(slot, 2);
    }
  };
  // A `node:worker_threads` worker gets its first message on its port, a web worker on itself.
  if (port !== null) port.once("message", start);
  else {
    scope.onmessage = (event) => {
      scope.onmessage = null;
      start(event.data);
    };
  }
}

/** What the pool needs of a worker, whichever kind it is. */
interface PoolThread {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** `node:worker_threads`' constructor, where the host has it (Deno and Node do). */
type NodeWorkerConstructor = new (
  code: string,
  options: { eval: true },
) => PoolThread & { unref(): void };

interface PoolWorker {
  worker: PoolThread;
  slot: Int32Array;
}

const workers: PoolWorker[] = [];
let control: SharedArrayBuffer | null = null;
let poolModules: (WebAssembly.Module | null)[] = [];
let poolMemory: WebAssembly.Memory | null = null;
let blobUrl: string | null = null;
/** Bumped by every resize, so a spawn that finishes late does not undo a later resize. */
let poolGeneration = 0;
// NOTE: taken when this module loads: the kernel's cell worker then replaces the global
// `Worker` with one that throws, so cells cannot start workers, while the pool still can.
const WorkerConstructor = globalThis.Worker as typeof Worker | undefined;
const createObjectUrl = globalThis.URL?.createObjectURL?.bind(URL);
/**
 * Loaded on the first spawn: its workers can be unref'd, so a script that used threads still
 * exits when it is done (a web worker blocked in `Atomics.wait` would keep it alive forever).
 */
let nodeWorker: Promise<NodeWorkerConstructor | null> | null = null;
let spawning: Promise<void> = Promise.resolve();
/**
 * Whether a worker was stopped since `control` was made. A stopped worker ends in its own time
 * (`terminate()` is asynchronous, and a loaded machine may not schedule it for a while): until
 * then it still waits on its slot, so a new worker must never get that slot. Two workers on one
 * slot both wake for a job; the one that loses the claim still reports the job done, and the
 * caller then read outputs the winner was still writing (different bits on a loaded machine).
 */
let hasStoppedWorkers = false;
let jobsOnWorkers = 0;
let isStealing = true;

/**
 * Whether the calling thread runs offered jobs no worker has started (default true); tests
 * turn it off so that the workers certainly compute. Returns the previous setting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setWorkStealing } from "./thread_pool.ts";
 * const previous = setWorkStealing(false);
 * assert.equal(setWorkStealing(previous), false);
 * ```
 */
export function setWorkStealing(on: boolean): boolean {
  const previous = isStealing;
  isStealing = on;
  return previous;
}

/**
 * How many jobs the pool's workers have run so far (tests use it to see that work was split).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runJobs, workerJobsRun } from "./thread_pool.ts";
 * const before = workerJobsRun();
 * runJobs([{ fn: "gemmTile", variant: 0, scratch: 0, args: [] }], () => {}); // runs here
 * assert.equal(workerJobsRun(), before);
 * ```
 */
export function workerJobsRun(): number {
  return jobsOnWorkers;
}

/** Whether this engine can run the pool: workers, shared memory and blocking waits. */
function canSpawn(): boolean {
  return typeof WorkerConstructor === "function" && typeof SharedArrayBuffer === "function" &&
    typeof Atomics?.wait === "function" && typeof createObjectUrl === "function";
}

function workerUrl(): string {
  blobUrl ??= createObjectUrl!(
    new Blob([`(${poolWorkerMain.toString()})(null);`], { type: "text/javascript" }),
  );
  return blobUrl;
}

/**
 * Makes the pool `count` workers (0 stops them all) for the given modules and shared memory.
 * Workers already running for the same modules and memory are kept; new ones start in the
 * background (`node:worker_threads` workers, unref'd, where the host has them; else web
 * workers). Returns the number of workers asked for (0 where workers are unavailable).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resizePool } from "./thread_pool.ts";
 * assert.equal(resizePool(0, [], null), 0); // stops every worker
 * ```
 */
export function resizePool(
  count: number,
  modules: (WebAssembly.Module | null)[],
  memory: WebAssembly.Memory | null,
): number {
  const generation = ++poolGeneration;
  const same = memory === poolMemory && modules.length === poolModules.length &&
    modules.every((module, i) => module === poolModules[i]);
  if (!same || count < workers.length) stopWorkers(same ? count : 0);
  if (count === 0 || memory === null || !canSpawn()) return 0;
  poolModules = modules;
  poolMemory = memory;
  if (
    control === null || control.byteLength < count * SLOT * 4 ||
    (hasStoppedWorkers && count > workers.length)
  ) {
    // New workers get slots no stopped worker can still be waiting on: a fresh buffer.
    stopWorkers(0);
    control = new SharedArrayBuffer(Math.max(count, 4) * SLOT * 4);
    hasStoppedWorkers = false;
  }
  nodeWorker ??= import("node:worker_threads").then(
    (module) => (module.Worker as unknown as NodeWorkerConstructor) ?? null,
    () => null,
  );
  spawning = nodeWorker.then((NodeWorker) => {
    if (generation !== poolGeneration || control === null) return;
    while (workers.length < count) {
      const index = workers.length;
      const slot = new Int32Array(control, index * SLOT * 4, SLOT);
      slot.fill(0);
      let worker: PoolThread;
      try {
        // The worker inherits this thread's permissions: none at all in the notebook kernel.
        if (NodeWorker !== null) {
          const thread = new NodeWorker(
            `(${poolWorkerMain.toString()})(require("node:worker_threads").parentPort);`,
            { eval: true },
          );
          thread.unref();
          worker = thread;
        } else {
          worker = new WorkerConstructor!(workerUrl(), { type: "module" });
        }
      } catch {
        break; // this host refuses workers: fewer threads, same results
      }
      worker.postMessage({ modules, memory, control, index, names: [...JOB_FUNCTIONS] });
      workers.push({ worker, slot });
    }
  });
  return count;
}

function stopWorkers(keep: number): void {
  for (const { worker, slot } of workers.splice(keep)) {
    hasStoppedWorkers = true;
    Atomics.store(slot, REQUEST, -1);
    Atomics.notify(slot, REQUEST);
    worker.terminate();
  }
}

/**
 * How many workers are up and idle (at most `wanted`); the caller adds itself as one more
 * thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readyWorkers, resizePool } from "./thread_pool.ts";
 * resizePool(0, [], null);
 * assert.equal(readyWorkers(8), 0);
 * ```
 */
export function readyWorkers(wanted: number): number {
  let ready = 0;
  for (const { slot } of workers) {
    if (ready >= wanted) break;
    const state = Atomics.load(slot, STATE);
    if (state === READY) ready++;
    else break; // keep the prefix contiguous: worker i runs job i + 1
  }
  return ready;
}

/**
 * Resolves with the number of ready workers once every worker has started (or failed to), or
 * after `timeoutMs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { poolStarted, resizePool } from "./thread_pool.ts";
 * resizePool(0, [], null);
 * assert.equal(await poolStarted(10), 0);
 * ```
 */
export async function poolStarted(timeoutMs = 30_000): Promise<number> {
  const until = performance.now() + timeoutMs;
  await spawning;
  while (
    workers.some(({ slot }) => Atomics.load(slot, STATE) === STARTING) &&
    performance.now() < until
  ) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return readyWorkers(workers.length);
}

/**
 * Runs `jobs[0]` on the calling thread (through `runHere`) and offers `jobs[i]` to ready worker
 * i - 1; when the calling thread is done, it also runs every offered job no worker has started
 * (a worker the system has not scheduled yet costs nothing but the offer), then waits for the
 * jobs workers took. The caller must pass at most `1 + readyWorkers()` jobs. Which thread runs
 * a job does not change its result.
 *
 * @throws {Error} When a worker's job trapped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runJobs } from "./thread_pool.ts";
 * let ran = false;
 * runJobs([{ fn: "gemmTile", variant: 0, scratch: 0, args: [] }], () => ran = true);
 * assert.equal(ran, true); // the first job runs here
 * ```
 */
export function runJobs(jobs: readonly Job[], runHere: (job: Job) => void): void {
  const offered: { slot: Int32Array; request: number; job: Job }[] = [];
  for (let i = 1; i < jobs.length; i++) {
    const job = jobs[i]!;
    const slot = workers[i - 1]!.slot;
    if (job.args.length > MAX_JOB_ARGS) {
      throw new RangeError(`runJobs: ${job.args.length} arguments, at most ${MAX_JOB_ARGS}`);
    }
    slot[FUNCTION] = JOB_FUNCTIONS.indexOf(job.fn);
    slot[VARIANT] = job.variant;
    slot[SCRATCH] = job.scratch;
    slot[ARGC] = job.args.length;
    slot.set(job.args, ARGS);
    const request = Atomics.load(slot, REQUEST) % 0x3fffffff + 1;
    Atomics.store(slot, CLAIM, request);
    Atomics.store(slot, REQUEST, request);
    Atomics.notify(slot, REQUEST);
    offered.push({ slot, request, job });
  }
  let error: unknown = null;
  try {
    runHere(jobs[0]!);
    for (const { slot, request, job } of isStealing ? offered : []) {
      if (Atomics.compareExchange(slot, CLAIM, request, 0) === request) runHere(job);
    }
  } catch (thrown) {
    error = thrown;
    // Take back whatever is still unclaimed, so no worker starts on abandoned operands.
    for (const { slot, request } of offered) Atomics.compareExchange(slot, CLAIM, request, 0);
  }
  let failed = false;
  for (const { slot, request } of offered) {
    for (;;) {
      const claim = Atomics.load(slot, CLAIM);
      if (claim === 0) break; // taken back: run here, or abandoned
      const done = Atomics.load(slot, DONE);
      if (claim === -request && done === request) break;
      Atomics.wait(slot, DONE, done, 1000);
    }
    if (Atomics.load(slot, CLAIM) !== -request) continue;
    jobsOnWorkers++;
    if (Atomics.load(slot, FAILED) !== 0) failed = true;
  }
  if (error !== null) throw error;
  if (failed) throw new Error("runJobs: a kernel thread failed (a trap in the WebAssembly module)");
}
