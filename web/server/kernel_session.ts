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
import { RunQueue } from "./run_queue.ts";
import { decodeClientMessage } from "./socket_messages.ts";
import { budgetEvents } from "./limits.ts";
import { PageSockets } from "./page_sockets.ts";
import {
  appendOutput,
  newEpoch,
  outputOf,
  type Run,
  type RunSink,
  startedMessage,
} from "./run_outputs.ts";

export { newEpoch, type RunSink } from "./run_outputs.ts";

/** How long `close()` waits for the kernel to shut down. */
const SHUTDOWN_WAIT_MS = 3000;

/**
 * Who decides whether a session's kernel may run (`kernel_registry.ts`): null when it may, else
 * why not. It may stop another session's kernel to make room.
 */
export interface KernelAdmission {
  admit(session: KernelSession): string | null;
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
  readonly #pages = new PageSockets();
  readonly #queue: RunQueue;
  #kernel: Kernel | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;
  /** Set while the kernel restarts; runs wait for it. */
  #restarting: Promise<void> | null = null;
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
  ) {
    this.#queue = new RunQueue(
      options.maxQueued ?? 200,
      (run, message) => this.#pages.broadcast(abortedMessage(run, message)),
      (run) => this.#pages.broadcast({ type: "queued", runId: run.runId, cellId: run.cellId }),
    );
  }

  /** Number of sockets attached. */
  get socketCount(): number {
    return this.#pages.size;
  }

  /** Whether a cell runs or waits, or the kernel is starting or computing. */
  get isBusy(): boolean {
    const state = this.#kernel?.state;
    return this.#queue.running !== null || this.#queue.waiting.length > 0 || state === "starting" ||
      state === "busy";
  }

  /** Attaches a socket: sends the kernel state, and routes its messages. */
  attach(socket: WebSocket): void {
    this.#pages.add(socket);
    this.lastSeenAt = performance.now();
    const kernel = this.#ensureKernel();
    const greet = () => {
      this.#pages.send(socket, { type: "kernel", state: kernel.state, epoch: this.#epoch });
      for (const run of this.#queue.waiting) {
        this.#pages.send(socket, { type: "queued", runId: run.runId, cellId: run.cellId });
      }
      const running = this.#queue.running;
      if (running !== null) this.#pages.send(socket, startedMessage(running));
    };
    if (socket.readyState === WebSocket.OPEN) greet();
    else socket.addEventListener("open", greet, { once: true });
    socket.addEventListener("message", (event) => {
      const decoded = decodeClientMessage(event.data);
      if (!decoded.ok) {
        this.#pages.send(socket, { type: "notice", level: "warning", text: decoded.error });
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
    this.#pages.delete(socket);
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
          this.#pages.broadcast({ type: "notice", level: "warning", text: refused });
          break;
        }
        this.options.widgets?.save(message.cellId, message.key, message.value);
        this.#pages.broadcast(message);
        break;
      }
      case "rerun":
        this.#rerun(message.runs);
        break;
      default:
        this.#pages.broadcast({
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
      this.#pages.broadcast({
        type: "kernel",
        state,
        ...(typeof reason === "string" ? { reason } : {}),
        epoch: this.#epoch,
      });
    });
    this.#start(kernel).catch((error) => {
      this.#pages.broadcast({
        type: "notice",
        level: "warning",
        text: `The kernel failed to start: ${error instanceof Error ? error.message : error}`,
      });
    });
    return kernel;
  }

  async #start(kernel: Kernel): Promise<void> {
    const refusal = await this.#admit();
    if (refusal !== null) {
      // A kernel started ahead of need (a spare) must not run unadmitted.
      if (kernel.state !== "dead") await kernel.shutdown().catch(() => {});
      throw new Error(refusal);
    }
    await kernel.start();
  }

  /** Shows a notice on every page of this lesson. */
  notify(level: "info" | "warning", text: string): void {
    this.#pages.broadcast({ type: "notice", level, text });
  }

  #enqueue(runId: string, cellId: string, code: string): void {
    if (this.#closed) return;
    if (this.#queue.add({ runId, cellId, code })) void this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#queue.running !== null || this.#closed) return;
    if (this.#restarting !== null) {
      void this.#restarting.then(() => this.#pump());
      return;
    }
    const run = this.#queue.next();
    if (run === undefined) return;
    this.#pages.broadcast(startedMessage(run));
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
    this.#pages.broadcast({
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
    this.#queue.finish(status);
    void this.#pump();
  }

  #onEvent(run: Run, event: KernelEvent): void {
    const output = outputOf(run.outputs, event);
    if (output === null) return;
    if ("update" in output) {
      this.#pages.broadcast({ type: "update", ...output.update });
      return;
    }
    appendOutput(run.outputs, output);
    this.#pages.broadcast({ type: "output", runId: run.runId, cellId: run.cellId, output });
  }

  /** Queues widget reruns, interrupting the run they replace (see `RunQueue.addReruns`). */
  #rerun(runs: { runId: string; cellId: string; code: string }[]): void {
    if (this.#closed || runs.length === 0) return;
    if (this.#queue.addReruns(runs) === "interrupt") void this.#kernel?.interrupt();
    else void this.#pump();
  }

  async #interrupt(): Promise<void> {
    this.#queue.abortAll("the kernel was interrupted");
    if (this.#kernel === null) return;
    // The cell's reply explains what happened (stopped, or the kernel had to restart).
    await this.#kernel.interrupt();
  }

  async #restart(): Promise<void> {
    this.#queue.abortAll("the kernel was restarted");
    const kernel = this.#ensureKernel();
    const restarting = (async () => {
      try {
        const refusal = await this.#admit();
        if (refusal !== null) throw new Error(refusal);
        await kernel.restart();
        this.#pages.broadcast({ type: "notice", level: "info", text: "Kernel restarted" });
      } catch (error) {
        this.#pages.broadcast({
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

  /** Stops the kernel and closes every socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.isLive = false;
    this.#queue.abortAll("the server is shutting down");
    this.#unsubscribe?.();
    this.#pages.closeAll();
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

/** The "done" message of a run that never ran. */
function abortedMessage(run: Run, message: string): ServerMessage {
  return {
    type: "done",
    runId: run.runId,
    cellId: run.cellId,
    status: "aborted",
    executionCount: null,
    elapsedMs: 0,
    message,
  };
}
