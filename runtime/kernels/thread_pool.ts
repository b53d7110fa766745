/**
 * A pool of worker threads for the WebAssembly kernels: each worker instantiates the same
 * kernel modules on the same shared memory, then sleeps in `Atomics.wait` until the calling
 * thread posts an operation and wakes it with `Atomics.notify`. Between operations the workers
 * use no CPU.
 *
 * An operation is a queue of blocks of work (each a function of the module, or a script job of
 * `script_jobs.ts`, and its integer arguments, written into a shared buffer). Every thread, the
 * calling one included, claims the next block with an atomic compare-and-swap until none is
 * left, so a thread the system schedules late, or a core that is slower than the other (another
 * job on it), simply runs fewer blocks: nobody waits for a block that a free thread could have
 * run. Callers split work by output blocks only, so the results are the same bits whatever thread
 * ran which block.
 *
 * The workers need no permission at all: their code is one self-contained function sent as
 * text to a `node:worker_threads` worker (unref'd, so it never keeps a finished script alive;
 * where that module is missing, a web worker from a `blob:` URL), nothing read from disk, so the
 * pool starts inside a sandboxed worker with `permissions: "none"` and with code generation
 * from strings disallowed, as well as in a plain process. Workers start in the background;
 * until they are up, operations simply run on fewer threads.
 *
 * @module
 */
import type { RowKernels } from "./row_kernels.ts";
import {
  SCRIPT_JOBS,
  type ScriptJob,
  type ScriptJobName,
  scriptJobsSource,
} from "./script_jobs.ts";

// The control buffer, in Int32 fields (each hot word on a 64-byte line of its own):
/** The operation's number: workers sleep on it, and wake when it changes. */
const WAKE = 0;
/** The claim word: the operation's number times {@linkcode TICKET_SPAN} plus the next block. */
const TICKET = 16;
/** Blocks the workers have finished in this operation. */
const FINISHED = 32;
/** This operation's block count, the workers allowed to claim, an error flag, their scratch. */
const COUNT = 48;
const ALLOWED = 49;
const FAILED = 50;
const SCRATCH_BASE = 51;
const SCRATCH_STRIDE = 52;
/** Worker i's state is field `STATES + i * 16`. */
const STATES = 64;
/** Most workers one control buffer serves. */
const MAX_WORKERS = 64;
/** Where the queue starts: block j is `JOB_FIELDS` fields from `QUEUE + j * JOB_FIELDS`. */
const QUEUE = STATES + MAX_WORKERS * 16;
/** A block's fields: its function, its module variant, its argument count, its arguments. */
const JOB_FIELDS = 48;
/** Most integer arguments one block may carry. */
export const MAX_JOB_ARGS = JOB_FIELDS - 3;
/** Most blocks one operation may have (the low bits of the claim word count them). */
export const MAX_JOBS = 255;
const TICKET_SPAN = 256;
/** Operation numbers wrap below this, so the claim word stays a positive int32. */
const OPERATIONS = 0x7fffff;
const CONTROL_FIELDS = QUEUE + MAX_JOBS * JOB_FIELDS;

/** Worker states. */
const STARTING = 0;
const READY = 1;
// (-1: the worker could not instantiate the modules; 2: asked to stop. Neither claims work.)
const STOPPING = 2;

/** The module's exports a job may call. */
export const MODULE_FUNCTIONS = [
  "gemmTile",
  "conv2d",
  "conv2dBackward",
  "conv2dWeightGrad",
] as const;
/** One of {@linkcode MODULE_FUNCTIONS}. */
export type ModuleFunction = typeof MODULE_FUNCTIONS[number];

/**
 * The functions a job may call (the index is sent): the module's exports, then the script jobs
 * of `script_jobs.ts`.
 */
export const JOB_FUNCTIONS = [
  ...MODULE_FUNCTIONS,
  ...Object.keys(SCRIPT_JOBS) as ScriptJobName[],
] as const;
/** One of {@linkcode JOB_FUNCTIONS}. */
export type JobFunction = typeof JOB_FUNCTIONS[number];

/** One block of work: call `fn` of the module `variant` with `args`. */
export interface Job {
  fn: JobFunction;
  /** 0 for the exact module, 1 for the relaxed-FMA one. */
  variant: number;
  args: number[];
}

/**
 * Where the workers' scratch areas are (byte addresses): worker i (from 0) uses
 * `base + i * stride`; only the first `workers` workers may claim blocks. The calling thread
 * uses the module's own area at 0.
 */
export interface ThreadScratch {
  base: number;
  stride: number;
  workers: number;
}

/**
 * The worker's whole program. It must reference nothing outside itself: it is sent as text,
 * with `scripts` ({@linkcode scriptJobsSource}: the script jobs and the product they call).
 * `modules[v]` is the compiled module of variant v (or null), `memory` the shared memory,
 * `control` the control buffer, `index` this worker's number.
 */
function poolWorkerMain(
  port: { once(event: "message", f: (data: unknown) => void): void } | null,
  scripts: {
    rowKernels: (exports: never) => RowKernels;
    jobs: Record<string, ScriptJob>;
  },
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
    const words = new Int32Array(control);
    const state = 64 + index * 16;
    const queue = 64 + 64 * 16;
    let instances: (Record<string, (...args: number[]) => void> | null)[];
    try {
      instances = modules.map((module) =>
        module === null ? null : new WebAssembly.Instance(module, { env: { memory } })
          .exports as Record<string, (...args: number[]) => void>
      );
    } catch {
      Atomics.store(words, state, -1);
      Atomics.notify(words, state);
      return;
    }
    const rowKernels = instances.map((exports) =>
      exports === null ? null : scripts.rowKernels(exports as never)
    );
    let heap = new Float32Array(0);
    Atomics.store(words, state, 1);
    Atomics.notify(words, state);
    let seen = 0;
    for (;;) {
      Atomics.wait(words, 0, seen);
      if (Atomics.load(words, state) !== 1) break; // asked to stop
      const operation = Atomics.load(words, 0);
      if (operation === seen) continue;
      seen = operation;
      // Claim blocks until this operation has none left. The claim word is read first: the
      // fields read after it belong to its operation, or the compare-and-swap fails.
      for (;;) {
        const ticket = Atomics.load(words, 16);
        if (ticket >>> 8 !== operation || Atomics.load(words, state) !== 1) break;
        const next = ticket & 255;
        if (next >= Atomics.load(words, 48) || index >= Atomics.load(words, 49)) break;
        if (Atomics.compareExchange(words, 16, ticket, ticket + 1) !== ticket) continue;
        const job = queue + next * 48;
        try {
          const variant = words[job + 1]!;
          const exports = instances[variant]!;
          exports.setScratch!(words[51]! + index * words[52]!);
          const args = Array.from(words.subarray(job + 3, job + 3 + words[job + 2]!));
          const name = names[words[job]!]!;
          const script = scripts.jobs[name];
          if (script === undefined) exports[name]!(...args);
          else {
            // The memory may have grown since the last job: view it afresh then.
            if (heap.buffer.byteLength !== memory.buffer.byteLength) {
              heap = new Float32Array(memory.buffer);
            }
            script(rowKernels[variant]!, heap, args);
          }
        } catch {
          Atomics.store(words, 50, 1);
        }
        Atomics.add(words, 32, 1);
        Atomics.notify(words, 32);
      }
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
  /** Its state field in `control`. */
  state: number;
}

const workers: PoolWorker[] = [];
let control: SharedArrayBuffer | null = null;
let words: Int32Array<ArrayBufferLike> = new Int32Array(0);
let operation = 0;
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
 * then it may still be claiming a block, so a new worker must never get its number (and its
 * scratch area). Two threads on one scratch area give different bits on a loaded machine.
 */
let hasStoppedWorkers = false;
let jobsOnWorkers = 0;
let isStealing = true;

/**
 * Whether the calling thread claims blocks too (default true); tests turn it off so that the
 * workers certainly compute (the calling thread then only waits, unless no worker is up).
 * Returns the previous setting.
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
 * How many blocks the pool's workers have run so far (tests use it to see that work was split).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runJobs, workerJobsRun } from "./thread_pool.ts";
 * const before = workerJobsRun();
 * const scratch = { base: 0, stride: 0, workers: 0 };
 * runJobs([{ fn: "gemmTile", variant: 0, args: [] }], () => {}, scratch); // runs here
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
    new Blob([`(${poolWorkerMain.toString()})(null, ${scriptJobsSource()});`], {
      type: "text/javascript",
    }),
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
  count = Math.min(count, MAX_WORKERS);
  if (count === 0 || memory === null || !canSpawn()) return 0;
  poolModules = modules;
  poolMemory = memory;
  if (control === null || (hasStoppedWorkers && count > workers.length)) {
    // New workers get numbers no stopped worker can still be claiming with: a fresh buffer.
    stopWorkers(0);
    control = new SharedArrayBuffer(CONTROL_FIELDS * 4);
    words = new Int32Array(control);
    operation = 0;
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
      const state = STATES + index * 16;
      Atomics.store(words, state, STARTING);
      let worker: PoolThread;
      try {
        // The worker inherits this thread's permissions: none at all in the notebook kernel.
        if (NodeWorker !== null) {
          const thread = new NodeWorker(
            `(${poolWorkerMain.toString()})(require("node:worker_threads").parentPort, ${scriptJobsSource()});`,
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
      workers.push({ worker, state });
    }
  });
  return count;
}

function stopWorkers(keep: number): void {
  const stopped = workers.splice(keep);
  for (const { worker, state } of stopped) {
    hasStoppedWorkers = true;
    Atomics.store(words, state, STOPPING);
    worker.terminate();
  }
  if (stopped.length > 0) Atomics.notify(words, WAKE);
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
  for (const { state } of workers) {
    if (ready >= wanted) break;
    if (Atomics.load(words, state) === READY) ready++;
    else break; // keep the prefix contiguous: scratch areas are numbered from the first worker
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
    workers.some(({ state }) => Atomics.load(words, state) === STARTING) &&
    performance.now() < until
  ) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return readyWorkers(workers.length);
}

/**
 * Runs every job once: it posts them as one operation, wakes the first `scratch.workers` ready
 * workers, and claims blocks on the calling thread too (through `runHere`), each thread taking
 * the next block until none is left; then it waits for the blocks workers took. Any number of
 * jobs (up to {@linkcode MAX_JOBS}) may be given: more blocks than threads let a free thread
 * take over what a late or slower one has not started. Which thread runs a block does not
 * change its result.
 *
 * @throws {RangeError} When there are more than {@linkcode MAX_JOBS} jobs or a job has more than
 *   {@linkcode MAX_JOB_ARGS} arguments.
 * @throws {Error} When a worker's job trapped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runJobs } from "./thread_pool.ts";
 * let ran = 0;
 * const job = { fn: "gemmTile" as const, variant: 0, args: [] };
 * runJobs([job, job], () => ran++, { base: 0, stride: 0, workers: 0 });
 * assert.equal(ran, 2); // no worker may help: both ran here
 * ```
 */
export function runJobs(
  jobs: readonly Job[],
  runHere: (job: Job) => void,
  scratch: ThreadScratch,
): void {
  if (jobs.length > MAX_JOBS) {
    throw new RangeError(`runJobs: ${jobs.length} jobs, at most ${MAX_JOBS}`);
  }
  const helpers = Math.min(readyWorkers(scratch.workers), jobs.length - (isStealing ? 1 : 0));
  if (helpers <= 0) {
    jobs.forEach(runHere);
    return;
  }
  jobs.forEach((job, j) => {
    if (job.args.length > MAX_JOB_ARGS) {
      throw new RangeError(`runJobs: ${job.args.length} arguments, at most ${MAX_JOB_ARGS}`);
    }
    const at = QUEUE + j * JOB_FIELDS;
    words[at] = JOB_FUNCTIONS.indexOf(job.fn);
    words[at + 1] = job.variant;
    words[at + 2] = job.args.length;
    words.set(job.args, at + 3);
  });
  words[COUNT] = jobs.length;
  words[ALLOWED] = helpers;
  words[FAILED] = 0;
  words[SCRATCH_BASE] = scratch.base;
  words[SCRATCH_STRIDE] = scratch.stride;
  Atomics.store(words, FINISHED, 0);
  operation = operation % OPERATIONS + 1;
  // Publishing the claim word last makes every field above visible with it.
  Atomics.store(words, TICKET, operation * TICKET_SPAN);
  Atomics.store(words, WAKE, operation);
  // NOTE: wake them all, not `helpers`: a notify wakes whichever workers waited first, and a
  // worker numbered past `helpers` may not claim (it has no scratch area here), so waking
  // "any `helpers`" of them could wake only workers that go straight back to sleep.
  Atomics.notify(words, WAKE);
  let ranHere = 0;
  let error: unknown = null;
  while (isStealing) {
    const ticket = Atomics.load(words, TICKET);
    const next = ticket % TICKET_SPAN;
    if (next >= jobs.length) break;
    if (Atomics.compareExchange(words, TICKET, ticket, ticket + 1) !== ticket) continue;
    ranHere++;
    try {
      runHere(jobs[next]!);
    } catch (thrown) {
      error = thrown;
      break;
    }
  }
  // After an error, close the queue: blocks nobody took are abandoned. Then wait for the
  // blocks the workers took: the caller reads their outputs next.
  const claimed = error === null ? jobs.length : Math.min(
    Atomics.exchange(words, TICKET, operation * TICKET_SPAN + MAX_JOBS) % TICKET_SPAN,
    jobs.length,
  );
  const onWorkers = claimed - ranHere;
  for (;;) {
    const finished = Atomics.load(words, FINISHED);
    if (finished >= onWorkers) break;
    Atomics.wait(words, FINISHED, finished, 1000);
  }
  jobsOnWorkers += onWorkers;
  if (error !== null) throw error;
  if (Atomics.load(words, FAILED) !== 0) {
    throw new Error("runJobs: a kernel thread failed (a trap in the WebAssembly module)");
  }
}
