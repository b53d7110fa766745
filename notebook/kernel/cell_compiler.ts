/**
 * Compiles cells for kernels, in the host: one thread of the host process loads TypeScript once
 * and compiles every kernel's cells, which `KernelProcess` then sends compiled. A kernel that
 * gets its cells compiled never loads TypeScript, so it is ready sooner (the compiler's 8.7 MB
 * took 230 ms of a kernel's start here) and lighter by the compiler's heap; a class of thirty
 * learners loads it once instead of thirty times.
 *
 * A cell longer than {@link MAX_HOST_COMPILE_CHARS}, or whose compile does not answer within
 * the deadline (the thread still loading on a busy machine), goes to the kernel uncompiled: the
 * kernel compiles it itself, under the cell's own time limit. A thread that stops answering
 * for {@link STUCK_MS} is replaced. `KernelProcess` asks for a kernel's next two cells only, so
 * a long queue of one learner's cells never fills the thread every kernel shares.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import type { CompileAnswer, CompileRequest } from "./compile_worker.ts";
import type { HostCompiledCell } from "./protocol.ts";

/** How long a compile may take before the kernel is asked to compile the cell itself. */
export const COMPILE_DEADLINE_MS = 3000;
/**
 * Longest cell the host compiles; a longer one goes to its own kernel uncompiled, so no learner
 * holds the thread every kernel shares for long (the compiler takes about 10 ms per thousand
 * characters here; lesson cells are a few thousand at most).
 */
export const MAX_HOST_COMPILE_CHARS = 20_000;
/** How long the thread may go without answering before it is replaced. */
export const STUCK_MS = 20_000;

interface Pending {
  resolve: (compiled: HostCompiledCell | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A cell compiler on a thread of its own (see the module's documentation). */
export class CellCompiler {
  #worker: Worker | null = null;
  #pending = new Map<number, Pending>();
  /** When each request the thread has not answered yet was sent (oldest first). */
  #unanswered = new Map<number, number>();
  #nextId = 0;
  /** Set when a thread failed before its first answer (TypeScript cannot load here): no more. */
  #isUnavailable = false;
  #hasAnswered = false;
  readonly #deadlineMs: number;

  /** `deadlineMs`: how long a compile may take before the kernel gets the cell uncompiled. */
  constructor(deadlineMs = COMPILE_DEADLINE_MS) {
    this.#deadlineMs = deadlineMs;
  }

  /** Starts the thread, and TypeScript's load, now rather than at the first compile. */
  warm(): void {
    this.#thread();
  }

  /**
   * The cell compiled, its syntax error, or `null` when the host could not compile it in time
   * (the kernel then compiles it). Never rejects.
   */
  compile(code: string): Promise<HostCompiledCell | null> {
    if (code.length > MAX_HOST_COMPILE_CHARS) return Promise.resolve(null);
    const worker = this.#thread();
    if (worker === null) return Promise.resolve(null);
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#answer(id, null), this.#deadlineMs);
      this.#pending.set(id, { resolve, timer });
      this.#unanswered.set(id, performance.now());
      worker.postMessage({ id, code } satisfies CompileRequest);
    });
  }

  /** Stops the thread; compiles still waiting get `null`. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#unanswered.clear();
    for (const id of [...this.#pending.keys()]) this.#answer(id, null);
  }

  #thread(): Worker | null {
    const oldest = this.#unanswered.values().next().value;
    if (oldest !== undefined && performance.now() - oldest > STUCK_MS) {
      this.close(); // stuck on one cell: the next compiles get a fresh thread
    }
    if (this.#worker !== null) return this.#worker;
    if (this.#isUnavailable) return null;
    try {
      const worker = new Worker(new URL("./compile_worker.ts", import.meta.url));
      worker.unref(); // never keeps a finished host process alive
      worker.on("message", ({ id, compiled }: CompileAnswer) => {
        this.#hasAnswered = true;
        this.#unanswered.delete(id);
        this.#answer(id, compiled);
      });
      worker.on("error", () => {
        if (this.#worker !== worker) return;
        // A thread that never answered could not load the compiler: kernels compile from now on.
        if (!this.#hasAnswered) this.#isUnavailable = true;
        this.close();
      });
      this.#worker = worker;
      return worker;
    } catch {
      return null; // no threads here: kernels compile their own cells
    }
  }

  #answer(id: number, compiled: HostCompiledCell | null): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(compiled);
  }
}

let shared: CellCompiler | null = null;

/**
 * The host process's one compiler, shared by all its kernels (made on first use).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharedCellCompiler } from "./cell_compiler.ts";
 * assert.equal(sharedCellCompiler(), sharedCellCompiler());
 * ```
 */
export function sharedCellCompiler(): CellCompiler {
  shared ??= new CellCompiler();
  return shared;
}
