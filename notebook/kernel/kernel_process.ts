/**
 * The server's handle on one kernel: a `deno run` subprocess with almost no permissions (see
 * `kernel_main.ts`) that runs a notebook's cells. Executions are queued FIFO; if the process
 * dies (out of memory, crash), the running cell gets a `died` reply that says why, and the
 * kernel starts again by itself. The server never dies with a kernel. Each cell is compiled here,
 * on the host's shared compiler thread (`cell_compiler.ts`), and sent compiled, so the kernel
 * process never loads TypeScript (`compileCells: "kernel"` leaves compiling to the kernel).
 *
 * @example
 * ```ts ignore
 * const kernel = new KernelProcess({ memoryLimitMiB: 512 });
 * await kernel.start();
 * const reply = await kernel.execute("c1", "1 + 1", (event) => console.log(event));
 * await kernel.shutdown();
 * ```
 *
 * @module
 */
import { type CellCompiler, sharedCellCompiler } from "./cell_compiler.ts";
import {
  type HostCompiledCell,
  KERNEL_RESTART_EXIT_CODE,
  type KernelEvent,
  type KernelRequest,
  type KernelState,
  PROTOCOL_VERSION,
  type WireEvent,
} from "./protocol.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import type {
  ExecuteOptions,
  ExecuteReply,
  InspectReply,
  InterruptOutcome,
  Kernel,
  KernelStatusEvent,
} from "./kernel.ts";
import { diedMessage, tooSlowMessage } from "./kernel_exit.ts";
import {
  forEachLine,
  kernelCommand,
  type KernelOptions,
  killQuietly,
  readTail,
  watchResidentMemory,
} from "./kernel_command.ts";

export { type KernelOptions, MEMORY_POLL_MS } from "./kernel_command.ts";

export type {
  ExecuteOptions,
  ExecuteReply,
  InspectReply,
  InterruptOutcome,
  KernelStatusEvent,
} from "./kernel.ts";

/** Queued cells the host compiles ahead of their turn. */
const COMPILE_AHEAD = 2;

interface Execution {
  id: string;
  cellId: string;
  code: string;
  /** The host's compile of `code`: not yet (undefined), done, or left to the kernel (null). */
  compiled?: HostCompiledCell | null;
  isCompiling?: boolean;
  timeoutMs?: number;
  widgets?: Record<string, WidgetValue>;
  realm?: "cells" | "judge";
  bridge?: string[];
  onEvent: (event: KernelEvent) => void;
  resolve: (reply: ExecuteReply) => void;
}

/** A kernel subprocess; see the module documentation. */
export class KernelProcess implements Kernel {
  readonly #options: Required<KernelOptions>;
  #child: Deno.ChildProcess | null = null;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #state: KernelState = "dead";
  #listeners = new Set<(event: KernelStatusEvent) => void>();
  #queue: Execution[] = [];
  #running: Execution | null = null;
  #interruptWaiters: ((outcome: InterruptOutcome) => void)[] = [];
  #starting: Promise<void> | null = null;
  /** Settles once the current process's exit has been handled. */
  #exited: Promise<void> = Promise.resolve();
  #nextId = 0;
  #stderrTail = "";
  #isStopping = false;
  #hasBeenReady = false;
  /** Whether the process starting now was stopped for not becoming ready in time. */
  #isTooSlow = false;
  /** The resident size (MiB) that made the watchdog end the kernel, if it did. */
  #killedAtMiB: number | null = null;
  readonly #inspections = new Map<string, (reply: InspectReply) => void>();
  readonly #compiler: CellCompiler | null;

  constructor(options: KernelOptions = {}) {
    this.#options = {
      memoryLimitMiB: options.memoryLimitMiB ?? 1024,
      processMemoryLimitMiB: options.processMemoryLimitMiB ?? 2 * (options.memoryLimitMiB ?? 1024),
      cellTimeoutMs: options.cellTimeoutMs ?? 300_000,
      outputLimitBytes: options.outputLimitBytes ?? 1 << 20,
      interruptGraceMs: options.interruptGraceMs ?? 2000,
      threads: options.threads ?? 0,
      startTimeoutMs: options.startTimeoutMs ?? 120_000,
      compileCells: options.compileCells ?? "host",
    };
    this.#compiler = this.#options.compileCells === "host" ? sharedCellCompiler() : null;
  }

  /** The kernel subprocess's id, or null while none runs (to read its memory in /proc). */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** Current lifecycle state. */
  get state(): KernelState {
    return this.#state;
  }

  /** Calls `listener` on every state change; returns a function that removes it. */
  onStatus(listener: (event: KernelStatusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts the kernel process; resolves when it is idle (ready for cells). A kernel already
   * started (a spare, `web/server/kernel_spares.ts`) is kept.
   */
  start(): Promise<void> {
    if (this.#starting === null && this.#child !== null && !this.#isStopping) {
      return Promise.resolve();
    }
    this.#compiler?.warm(); // cells will follow: the host's compiler loads beside the kernel
    this.#starting ??= this.#spawn().finally(() => (this.#starting = null));
    return this.#starting;
  }

  /**
   * Runs `code` as cell `cellId` (after the cells queued before it), passing every event to
   * `onEvent`, and resolves with the final reply. Never rejects: failures are replies with
   * status `error`, `interrupted`, `timeout` or `died` and a message.
   */
  execute(
    cellId: string,
    code: string,
    onEvent: (event: KernelEvent) => void,
    options: ExecuteOptions = {},
  ): Promise<ExecuteReply> {
    return new Promise((resolve) => {
      const id = `x${++this.#nextId}`;
      const { timeoutMs, widgets, realm, bridge } = options;
      const execution: Execution = {
        id,
        cellId,
        code,
        timeoutMs,
        widgets,
        realm,
        bridge,
        onEvent,
        resolve,
        compiled: this.#compiler === null ? null : undefined,
      };
      this.#queue.push(execution);
      this.#compileAhead();
      if (this.#child === null) this.start().catch(() => {});
      else this.#pump();
    });
  }

  /**
   * Interrupts the running cell: "cooperative" if it stopped by itself (variables kept),
   * "terminated" if the kernel had to restart (variables lost), "idle" if nothing was running.
   * A cell not yet sent to the kernel (still compiling, or the kernel still starting) is the one
   * the page shows running: it is answered "interrupted" without running ("cooperative").
   */
  interrupt(): Promise<InterruptOutcome> {
    // NOTE: "busy" with nothing running: a timer of an earlier cell holds the worker.
    if (this.#running === null && this.#state !== "busy") {
      // The next cell may still be compiling on the host's thread (or waiting for the kernel to
      // start): the page already shows it running, so it is stopped before it starts.
      const next = this.#queue.shift();
      if (next === undefined) return Promise.resolve("idle");
      answerWithoutKernel(
        next,
        "interrupted",
        "Stopped by an interrupt before it started; variables were kept.",
      );
      this.#compileAhead();
      return Promise.resolve("cooperative");
    }
    const answer = new Promise<InterruptOutcome>((resolve) => this.#interruptWaiters.push(resolve));
    this.#send({ type: "interrupt" });
    return answer;
  }

  /**
   * Summarises the live value of the name at `cursor` in `code` (a top-level name of the cells),
   * e.g. `Tensor [64, 784] float32`; `found: false` when the kernel has no such name, is not
   * running, or does not answer within `timeoutMs` (a cell computing without awaiting).
   */
  inspect(code: string, cursor: number, timeoutMs = 1000): Promise<InspectReply> {
    const id = `i${++this.#nextId}`;
    const notFound: InspectReply = { type: "inspect_reply", id, found: false, data: {} };
    if (this.#child === null || this.#state === "starting" || this.#state === "dead") {
      return Promise.resolve(notFound);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(notFound), timeoutMs);
      const finish = (reply: InspectReply) => {
        clearTimeout(timer);
        this.#inspections.delete(id);
        resolve(reply);
      };
      this.#inspections.set(id, finish);
      this.#send({ type: "inspect", id, code, cursor });
    });
  }

  /** Kills the kernel and starts a fresh one (all variables are lost). */
  async restart(): Promise<void> {
    await this.#stop("The kernel was restarted before this cell finished.");
    await this.start();
  }

  /** Stops the kernel for good (a later `start()` or `execute()` starts it again). */
  async shutdown(): Promise<void> {
    await this.#stop("The kernel was shut down before this cell finished.");
  }

  async #spawn(): Promise<void> {
    this.#setState("starting");
    this.#stderrTail = "";
    const command = kernelCommand(this.#options);
    const child = command.spawn();
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#hasBeenReady = false;
    const ready = Promise.withResolvers<void>();
    const reading = this.#readEvents(child, ready.resolve);
    void readTail(child.stderr, 8192, (tail) => this.#stderrTail = tail);
    this.#killedAtMiB = null;
    void watchResidentMemory(
      child,
      this.#options.processMemoryLimitMiB,
      () => this.#child === child,
      (mib) => this.#killedAtMiB = mib,
    );
    // NOTE: the last lines (a reply, then the exit of a kernel that restarts itself) are read
    // before the exit is handled, or the reply would be dropped with the old process.
    this.#isTooSlow = false;
    this.#exited = Promise.all([child.status, reading]).then(([status]) => {
      ready.reject(
        new Error(
          this.#isTooSlow
            ? tooSlowMessage(this.#options.startTimeoutMs)
            : `Kernel failed to start (exit code ${status.code}): ${this.#stderrTail.trim()}`,
        ),
      );
      this.#onExit(child, status);
    });
    // A process that never reports ready would leave every page "starting" for good.
    const timer = setTimeout(() => {
      this.#isTooSlow = true;
      killQuietly(child);
    }, this.#options.startTimeoutMs);
    try {
      await ready.promise;
    } finally {
      clearTimeout(timer);
    }
  }

  async #readEvents(child: Deno.ChildProcess, onReady: () => void): Promise<void> {
    await forEachLine(child.stdout, (line) => {
      let event: WireEvent;
      try {
        event = JSON.parse(line);
      } catch {
        return; // not ours: a stray line on stdout must not break the server
      }
      if (event?.v === PROTOCOL_VERSION && this.#child === child) this.#onEvent(event, onReady);
    });
  }

  /** Ends `child` when its resident memory passes the process limit (off-heap included). */
  #onEvent(event: WireEvent, onReady: () => void): void {
    const { v: _, ...plain } = event;
    const kernelEvent = plain as KernelEvent;
    if (kernelEvent.type === "status") {
      if (kernelEvent.state === "idle" && this.#running === null) {
        this.#setState("idle");
        this.#hasBeenReady = true;
        onReady();
        this.#pump();
      } else if (kernelEvent.state === "starting") {
        this.#setState("starting");
      } else if (kernelEvent.state === "busy" && this.#running === null && this.#hasBeenReady) {
        // A timer or callback of an earlier cell holds the worker: not idle until it ends.
        this.#setState("busy", kernelEvent.reason);
      }
      return;
    }
    if (kernelEvent.type === "inspect_reply") {
      this.#inspections.get(kernelEvent.id)?.(kernelEvent);
      return;
    }
    if (kernelEvent.type === "interrupt_reply") {
      for (const resolve of this.#interruptWaiters.splice(0)) resolve(kernelEvent.outcome);
      return;
    }
    const running = this.#running;
    if (running === null || !("id" in kernelEvent) || kernelEvent.id !== running.id) return;
    running.onEvent(kernelEvent);
    if (kernelEvent.type === "reply") {
      this.#running = null;
      running.resolve(kernelEvent);
      this.#setState("idle");
      this.#pump();
    }
  }

  /**
   * Asks the host's compiler for the next {@linkcode COMPILE_AHEAD} queued cells (each cell is
   * sent, in order, once compiled): the next cell compiles while one runs, and a long queue never
   * fills the compiler that every kernel of this host shares.
   */
  #compileAhead(): void {
    for (const execution of this.#queue.slice(0, COMPILE_AHEAD)) {
      if (execution.compiled !== undefined || execution.isCompiling) continue;
      execution.isCompiling = true;
      void this.#compiler!.compile(execution.code).then((compiled) => {
        execution.compiled = compiled;
        this.#pump();
      });
    }
  }

  #pump(): void {
    if (this.#running !== null || this.#state !== "idle") return;
    if (this.#queue[0]?.compiled === undefined) return; // pumped again once it is compiled
    const next = this.#queue.shift()!;
    this.#compileAhead();
    this.#running = next;
    this.#setState("busy");
    this.#send({
      type: "execute",
      id: next.id,
      cellId: next.cellId,
      code: next.code,
      timeoutMs: next.timeoutMs,
      ...(next.widgets === undefined ? {} : { widgets: next.widgets }),
      ...(next.realm === undefined ? {} : { realm: next.realm }),
      ...(next.bridge === undefined ? {} : { bridge: next.bridge }),
      ...(next.compiled === null ? {} : { compiled: next.compiled }),
    });
  }

  #send(request: KernelRequest): void {
    const line = JSON.stringify({ ...request, v: PROTOCOL_VERSION }) + "\n";
    this.#writer?.write(new TextEncoder().encode(line)).catch(() => {});
  }

  #onExit(child: Deno.ChildProcess, status: Deno.CommandStatus): void {
    if (this.#child !== child) return;
    this.#child = null;
    this.#writer = null;
    if (this.#isStopping) return;
    if (status.code === KERNEL_RESTART_EXIT_CODE && this.#hasBeenReady) {
      // The kernel ended itself after a cell that would not stop (its reply already came):
      // start afresh and keep the queue; the "starting" state tells pages variables are gone.
      // A cell sent after that reply never started there: it runs first in the new kernel.
      const running = this.#running;
      this.#running = null;
      if (running !== null) this.#queue.unshift(running);
      this.start().catch((error) => this.#setState("dead", (error as Error).message));
      return;
    }
    if (!this.#hasBeenReady) {
      const reason = this.#isTooSlow
        ? tooSlowMessage(this.#options.startTimeoutMs)
        : `Kernel failed to start (exit code ${status.code}).`;
      this.#failAll(reason);
      this.#setState("dead", reason);
      return;
    }
    const reason = diedMessage({
      status,
      stderrTail: this.#stderrTail,
      killedAtMiB: this.#killedAtMiB,
      options: this.#options,
    });
    this.#failAll(reason);
    this.#setState("dead", reason);
    // Restart on our own, so the next cell just works.
    this.start().catch((error) => this.#setState("dead", (error as Error).message));
  }

  #failAll(message: string): void {
    const running = this.#running;
    this.#running = null;
    const queued = this.#queue.splice(0);
    for (const resolve of this.#interruptWaiters.splice(0)) resolve("terminated");
    if (running !== null) answerWithoutKernel(running, "died", message);
    for (const execution of queued) {
      answerWithoutKernel(
        execution,
        "died",
        `Not run: ${message.charAt(0).toLowerCase()}${message.slice(1)}`,
      );
    }
  }

  async #stop(message: string): Promise<void> {
    await this.#starting?.catch(() => {});
    const child = this.#child;
    this.#failAll(message);
    if (child === null) {
      this.#setState("dead");
      return;
    }
    this.#isStopping = true;
    try {
      this.#send({ type: "shutdown" });
      const timer = setTimeout(() => killQuietly(child), 1000);
      await this.#exited;
      clearTimeout(timer);
    } finally {
      this.#isStopping = false;
    }
    this.#setState("dead", "shutdown");
  }

  #setState(state: KernelState, reason?: string): void {
    if (state === this.#state && reason === undefined) return;
    this.#state = state;
    for (const listener of this.#listeners) listener({ state, reason });
  }
}

/** Answers `execution` with `status` and `message` for a cell whose kernel gave no reply. */
function answerWithoutKernel(
  execution: Execution,
  status: "died" | "interrupted",
  message: string,
): void {
  const reply: ExecuteReply = {
    type: "reply",
    id: execution.id,
    status,
    executionCount: 0,
    elapsedMs: 0,
    message,
  };
  execution.onEvent(reply);
  execution.resolve(reply);
}
