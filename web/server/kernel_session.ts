/**
 * One lesson's kernel as the browser sees it: the WebSockets open on the lesson page, a queue of
 * runs executed one at a time (so the server knows when each starts, and can drop the rest of
 * the queue after an error or an interrupt, as Jupyter does), outputs broadcast to every socket
 * and the last run of each cell saved to the store.
 *
 * @module
 */
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";
import type { ExecuteReply, Kernel, KernelStatusEvent } from "../../notebook/kernel/kernel.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import type { CellOutput, ClientMessage, RunStatus, ServerMessage } from "../messages.ts";
import { decodeClientMessage } from "./socket_messages.ts";
import { budgetEvents } from "./limits.ts";
import { appendOutput, outputOf, startedMessage } from "./run_outputs.ts";

/** How long `close()` waits for the kernel to shut down. */
const SHUTDOWN_WAIT_MS = 3000;

/**
 * Who decides whether a session's kernel may run (`kernel_registry.ts`): null when it may, else
 * why not. It may stop another session's kernel to make room.
 */
export interface KernelAdmission {
  admit(session: KernelSession): string | null;
}

/** Where finished runs go (the store, in the server). */
export type RunSink = (cellId: string, run: {
  outputs: CellOutput[];
  executionCount: number | null;
  status: RunStatus;
  elapsedMs: number;
  epoch: string;
}) => void;

/** A new kernel epoch id (random, so a restarted server never reuses one). */
export function newEpoch(): string {
  return crypto.randomUUID().slice(0, 13);
}

interface Run {
  runId: string;
  cellId: string;
  code: string;
  outputs: CellOutput[];
  /** Queued by a widget change: a newer change replaces or interrupts it. */
  isReactive?: boolean;
}

/** Where widget values are kept (the store, in the server). */
export interface WidgetValues {
  /** The saved values of a cell's widgets, by key. */
  values(cellId: string): Record<string, WidgetValue>;
  save(cellId: string, key: string, value: WidgetValue): void;
  /** Why a page's widget value is refused (an unknown cell, too many widgets), or null. */
  refuse?(cellId: string, key: string): string | null;
}

/**
 * A lesson's kernel and the sockets watching it.
 */
export class KernelSession {
  readonly #sockets = new Set<WebSocket>();
  readonly #queue: Run[] = [];
  #running: Run | null = null;
  #kernel: Kernel | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;
  /** Set while the kernel restarts; runs wait for it. */
  #restarting: Promise<void> | null = null;
  /** Widget reruns waiting for the interrupted run to end. */
  #deferred: Run[] | null = null;
  /**
   * The kernel epoch: renewed whenever the kernel starts or stops, so runs saved under an older
   * epoch are known not to be held by the live kernel.
   */
  #epoch = newEpoch();
  /** Whether the kernel was admitted and has not been stopped since (see `admit`). */
  isLive = false;
  /** When a cell last finished or the kernel was admitted, `performance.now()`. */
  lastActiveAt = performance.now();
  /** When a page was last attached or detached, `performance.now()`. */
  lastSeenAt = performance.now();
  /** Set while the kernel is being stopped; a new cell waits for it before starting it again. */
  #stopping: Promise<void> | null = null;

  constructor(
    readonly lesson: string,
    private readonly createKernel: () => Kernel,
    private readonly saveRun: RunSink,
    /**
     * `maxQueued`: most cells waiting at once (default 200); more are refused. `widgets`:
     * where widget values are saved and read for each run (none: widgets keep defaults).
     * `admission`: who lets the kernel start (the registry; none: it always may).
     */
    private readonly options: {
      maxQueued?: number;
      widgets?: WidgetValues;
      admission?: KernelAdmission;
    } = {},
  ) {}

  /** Number of sockets attached. */
  get socketCount(): number {
    return this.#sockets.size;
  }

  /** Whether a cell runs or waits, or the kernel is starting or computing. */
  get isBusy(): boolean {
    const state = this.#kernel?.state;
    return this.#running !== null || this.#queue.length > 0 || state === "starting" ||
      state === "busy";
  }

  /** Attaches a socket: sends the kernel state, and routes its messages. */
  attach(socket: WebSocket): void {
    this.#sockets.add(socket);
    this.lastSeenAt = performance.now();
    const kernel = this.#ensureKernel();
    const greet = () => {
      this.#send(socket, { type: "kernel", state: kernel.state, epoch: this.#epoch });
      for (const run of this.#queue) {
        this.#send(socket, { type: "queued", runId: run.runId, cellId: run.cellId });
      }
      if (this.#running !== null) this.#send(socket, startedMessage(this.#running));
    };
    if (socket.readyState === WebSocket.OPEN) greet();
    else socket.addEventListener("open", greet, { once: true });
    socket.addEventListener("message", (event) => {
      const decoded = decodeClientMessage(event.data);
      if (!decoded.ok) {
        this.#send(socket, { type: "notice", level: "warning", text: decoded.error });
        return;
      }
      this.handle(decoded.message);
    });
  }

  /** The live value of a top-level name as one line (`Tensor [64, 784] float32`), or null. */
  async inspect(name: string, timeoutMs = 500): Promise<string | null> {
    const kernel = this.#kernel;
    if (kernel?.inspect === undefined || kernel.state === "dead") return null;
    const reply = await kernel.inspect(name, name.length, timeoutMs);
    const text = reply.found ? reply.data["text/plain"] : undefined;
    return typeof text === "string" ? text : null;
  }

  /** Detaches a closed socket. */
  detach(socket: WebSocket): void {
    this.#sockets.delete(socket);
    this.lastSeenAt = performance.now();
  }

  /**
   * Stops the kernel but keeps the session and its pages (the registry's cull and idle stop),
   * telling every page why; the next cell starts a fresh kernel.
   */
  stopKernel(text: string): void {
    this.isLive = false;
    const kernel = this.#kernel;
    if (kernel === null) return;
    const stopping = kernel.shutdown().catch(() => {}).finally(() => {
      if (this.#stopping === stopping) this.#stopping = null;
    });
    this.#stopping = stopping;
    this.notify("warning", text);
  }

  /** Waits for a stop in progress, then asks to run: null when the kernel may, else why not. */
  async #admit(): Promise<string | null> {
    // NOTE: a kernel still shutting down would queue the cell and never start again.
    await this.#stopping;
    if (this.isLive) return null;
    const refusal = this.options.admission?.admit(this) ?? null;
    if (refusal === null) {
      this.isLive = true;
      this.lastActiveAt = performance.now();
    }
    return refusal;
  }

  /** Handles one message from a page. */
  handle(message: ClientMessage): void {
    switch (message.type) {
      case "execute":
        this.#enqueue(message.runId, message.cellId, message.code);
        break;
      case "interrupt":
        void this.#interrupt();
        break;
      case "restart":
        void this.#restart();
        break;
      case "widget": {
        const refused = this.options.widgets?.refuse?.(message.cellId, message.key) ?? null;
        if (refused !== null) {
          this.#broadcast({ type: "notice", level: "warning", text: refused });
          break;
        }
        this.options.widgets?.save(message.cellId, message.key, message.value);
        this.#broadcast(message);
        break;
      }
      case "rerun":
        this.#rerun(message.runs);
        break;
      default:
        this.#broadcast({
          type: "notice",
          level: "warning",
          text: `Unknown message type "${(message as { type: unknown }).type}"`,
        });
    }
  }

  #ensureKernel(): Kernel {
    if (this.#kernel !== null) return this.#kernel;
    const kernel = this.createKernel();
    this.#kernel = kernel;
    this.#unsubscribe = kernel.onStatus((status: KernelStatusEvent) => {
      const { state, reason } = status;
      // Starting or stopping: whatever an earlier kernel made is no longer held.
      if (state === "starting" || state === "dead") this.#epoch = newEpoch();
      this.#broadcast({
        type: "kernel",
        state,
        ...(typeof reason === "string" ? { reason } : {}),
        epoch: this.#epoch,
      });
    });
    this.#start(kernel).catch((error) => {
      this.#broadcast({
        type: "notice",
        level: "warning",
        text: `The kernel failed to start: ${error instanceof Error ? error.message : error}`,
      });
    });
    return kernel;
  }

  async #start(kernel: Kernel): Promise<void> {
    const refusal = await this.#admit();
    if (refusal !== null) throw new Error(refusal);
    await kernel.start();
  }

  /** Shows a notice on every page of this lesson. */
  notify(level: "info" | "warning", text: string): void {
    this.#broadcast({ type: "notice", level, text });
  }

  #enqueue(runId: string, cellId: string, code: string): void {
    if (this.#closed) return;
    const maxQueued = this.options.maxQueued ?? 200;
    if (this.#queue.length >= maxQueued) {
      this.#broadcast({
        type: "done",
        runId,
        cellId,
        status: "aborted",
        executionCount: null,
        elapsedMs: 0,
        message:
          `Not queued: ${this.#queue.length} cells are already waiting (the limit is ${maxQueued}); wait for them or interrupt`,
      });
      return;
    }
    this.#queue.push({ runId, cellId, code, outputs: [] });
    this.#broadcast({ type: "queued", runId, cellId });
    void this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#running !== null || this.#closed) return;
    if (this.#restarting !== null) {
      void this.#restarting.then(() => this.#pump());
      return;
    }
    const run = this.#queue.shift();
    if (run === undefined) return;
    this.#running = run;
    this.#broadcast(startedMessage(run));
    const kernel = this.#ensureKernel();
    let status: RunStatus = "died";
    let executionCount: number | null = null;
    let elapsedMs = 0;
    let message: string | undefined;
    const started = performance.now();
    try {
      const refusal = await this.#admit();
      const onEvent = budgetEvents((event) => this.#onEvent(run, event));
      const reply: ExecuteReply = refusal === null
        ? await kernel.execute(run.cellId, run.code, onEvent, {
          widgets: this.options.widgets?.values(run.cellId) ?? {},
        })
        : {
          type: "reply",
          id: run.cellId,
          status: "died",
          executionCount: 0,
          elapsedMs: 0,
          message: `Not run: ${refusal.charAt(0).toLowerCase()}${refusal.slice(1)}`,
        };
      this.lastActiveAt = performance.now();
      status = reply.status;
      executionCount = reply.executionCount;
      elapsedMs = reply.elapsedMs;
      message = reply.message;
    } catch (error) {
      elapsedMs = performance.now() - started;
      message = `The kernel could not run this cell: ${
        error instanceof Error ? error.message : String(error)
      }`;
    }
    if (message !== undefined && status !== "ok") {
      const notice: CellOutput = { type: "notice", level: "warning", text: message };
      appendOutput(run.outputs, notice);
    }
    this.#running = null;
    this.#broadcast({
      type: "done",
      runId: run.runId,
      cellId: run.cellId,
      status,
      executionCount,
      elapsedMs,
      ...(message === undefined ? {} : { message }),
      epoch: this.#epoch,
    });
    this.saveRun(run.cellId, {
      outputs: run.outputs,
      executionCount,
      status,
      elapsedMs,
      epoch: this.#epoch,
    });
    const deferred = this.#deferred;
    this.#deferred = null;
    if (status !== "ok") this.#abortQueue(`an earlier cell ended with status "${status}"`);
    // Widget reruns that interrupted this run start now, with the new value.
    if (deferred !== null) this.#queue.push(...deferred);
    void this.#pump();
  }

  #onEvent(run: Run, event: KernelEvent): void {
    const output = outputOf(run.outputs, event);
    if (output === null) return;
    if ("update" in output) {
      this.#broadcast({ type: "update", ...output.update });
      return;
    }
    appendOutput(run.outputs, output);
    this.#broadcast({ type: "output", runId: run.runId, cellId: run.cellId, output });
  }

  /**
   * Queues widget reruns: they replace widget reruns still waiting, and interrupt the running
   * cell if it is one of them (or an earlier widget rerun); they start when it has stopped.
   */
  #rerun(runs: { runId: string; cellId: string; code: string }[]): void {
    if (this.#closed || runs.length === 0) return;
    const replaced = this.#queue.filter((run) => run.isReactive);
    if (this.#deferred !== null) replaced.push(...this.#deferred.splice(0));
    this.#deferred = null;
    this.#abortRuns(replaced, "Not run: replaced by a newer widget value");
    this.#queue.splice(0, this.#queue.length, ...this.#queue.filter((run) => !run.isReactive));
    // NOTE: a rerun counts against the same queue limit as executes (documented: 200).
    const room = Math.max(0, (this.options.maxQueued ?? 200) - this.#queue.length);
    const batch: Run[] = runs.slice(0, room).map((run) => ({
      ...run,
      outputs: [],
      isReactive: true,
    }));
    this.#abortRuns(
      runs.slice(room).map((run) => ({ ...run, outputs: [] })),
      `Not queued: a rerun may queue at most ${room} more cells (the limit is ` +
        `${this.options.maxQueued ?? 200})`,
    );
    for (const run of batch) {
      this.#broadcast({ type: "queued", runId: run.runId, cellId: run.cellId });
    }
    const current = this.#running;
    if (
      current !== null && (current.isReactive || runs.some((run) => run.cellId === current.cellId))
    ) {
      this.#deferred = batch;
      void this.#kernel?.interrupt();
      return;
    }
    this.#queue.push(...batch);
    void this.#pump();
  }

  #abortRuns(runs: Run[], message: string): void {
    for (const run of runs) {
      this.#broadcast({
        type: "done",
        runId: run.runId,
        cellId: run.cellId,
        status: "aborted",
        executionCount: null,
        elapsedMs: 0,
        message,
      });
    }
  }

  #abortQueue(reason: string): void {
    if (this.#deferred !== null) this.#abortRuns(this.#deferred.splice(0), `Not run: ${reason}`);
    this.#deferred = null;
    this.#abortRuns(this.#queue.splice(0), `Not run: ${reason}`);
  }

  async #interrupt(): Promise<void> {
    this.#abortQueue("the kernel was interrupted");
    if (this.#kernel === null) return;
    // The cell's reply explains what happened (stopped, or the kernel had to restart).
    await this.#kernel.interrupt();
  }

  async #restart(): Promise<void> {
    this.#abortQueue("the kernel was restarted");
    const kernel = this.#ensureKernel();
    const restarting = (async () => {
      try {
        const refusal = await this.#admit();
        if (refusal !== null) throw new Error(refusal);
        await kernel.restart();
        this.#broadcast({ type: "notice", level: "info", text: "Kernel restarted" });
      } catch (error) {
        this.#broadcast({
          type: "notice",
          level: "warning",
          text: `The kernel failed to restart: ${error instanceof Error ? error.message : error}`,
        });
      }
    })();
    this.#restarting = restarting;
    await restarting;
    if (this.#restarting === restarting) this.#restarting = null;
  }

  #send(socket: WebSocket, message: ServerMessage): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  #broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.#sockets) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    }
  }

  /** Stops the kernel and closes every socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.isLive = false;
    this.#abortQueue("the server is shutting down");
    this.#unsubscribe?.();
    for (const socket of this.#sockets) {
      try {
        socket.close(1001, "Server shutting down");
      } catch { /* already closed */ }
    }
    this.#sockets.clear();
    const kernel = this.#kernel;
    this.#kernel = null;
    if (kernel === null) return;
    // A kernel stuck while starting must not hold up the server's shutdown forever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      kernel.shutdown().catch(() => {}),
      new Promise<void>((resolve) => timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)),
    ]);
    clearTimeout(timer);
  }
}
