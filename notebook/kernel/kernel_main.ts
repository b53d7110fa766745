/**
 * Entry point of a kernel process (started by `KernelProcess`, see `kernel_process.ts`).
 *
 * Reads {@link WireRequest}s as NDJSON on stdin, writes {@link WireEvent}s as NDJSON on stdout,
 * compiles cells with TypeScript and runs them one at a time in a cell worker that has no
 * permissions. Interrupts and time limits first ask the cell to stop (a shared flag the runtime
 * polls); a cell that has not stopped after a grace period ends the process with
 * `KERNEL_RESTART_EXIT_CODE`, and the server starts a fresh kernel (issue #26: a terminated worker
 * spinning in synchronous code kept running).
 *
 * Flags: `--output-limit=<bytes> --grace-ms=<ms> --timeout-ms=<ms> [--threads=<n>]` (`--threads`
 * caps the threads the float32 kernels use; by default they use all cores but one).
 *
 * @module
 */
import type { CellSourceMap } from "./map_stack.ts";
import { identifierAt } from "./identifier_at.ts";
import { mapToCell } from "./cell_source_map.ts";
import {
  type ExecuteStatus,
  type HostCompiledCell,
  KERNEL_RESTART_EXIT_CODE,
  type KernelRequest,
} from "./protocol.ts";
import type { FromWorker, ToWorker } from "./worker_messages.ts";
import { readDataset, readFlags } from "./kernel_setup.ts";
import {
  type ExecuteRequest,
  flushUpdates,
  forEachRequest,
  plainBundle,
  type RealmName,
  type Running,
  send,
  sendDisplay,
  sendError,
  sendLimited,
  sendStream,
  stopReply,
  terminatedMessage,
} from "./kernel_io.ts";

const ROOT_URL = new URL("../../", import.meta.url).href;
const MAX_REMEMBERED_CELLS = 1000;

const { outputLimitBytes, gemmWasm, threadLimit, graceMs, defaultTimeoutMs } = readFlags(
  Deno.args,
);

// NOTE: the host compiles cells (`cell_compiler.ts`) and sends them compiled, so a kernel
// never loads TypeScript (8.7 MB of JavaScript, 230 ms of evaluating here, and tens of MB of
// heap per kernel). A request without `compiled` makes this kernel load it, once, and compile
// here. The specifier is not a literal: `deno run` builds the graph of a literal one before this
// file's first line runs (`kernel_graph_test.ts`).
const COMPILER_MODULE = "./compile_cell.ts";
type Compiler = typeof import("./compile_cell.ts");
let compiler: Compiler | null = null;
let compilerFailure: string | null = null;
let compilerLoading: Promise<void> | null = null;

/** Loads the compiler in the background (once) and pumps the queue when it is there. */
function loadCompiler(): void {
  compilerLoading ??= import(COMPILER_MODULE).then(
    (module: Compiler) => {
      compiler = module;
    },
    (error: unknown) => {
      compilerFailure = `The kernel could not load its cell compiler: ${(error as Error).message}`;
    },
  ).finally(pump);
}

/**
 * A cell worker. "cells" runs the notebook's cells (and, when grading, the learner's answer);
 * "judge" is started only for grading and runs the lesson's setup, the visible checks and the
 * hidden tests in a realm the answer cannot reach (see `bridge.ts`).
 */
interface Realm {
  name: RealmName;
  worker: Worker;
  /** The private channel to the worker (see `cell_worker.ts`). */
  port: MessagePort;
  isReady: boolean;
}

const PING_INTERVAL_MS = 1000;

const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
const cells = new Map<string, CellSourceMap>();
const queue: ExecuteRequest[] = [];
const realms: Partial<Record<RealmName, Realm>> = {};
let running: Running | null = null;
let executionCount = 0;
let cellSeq = 0;
/** True while the cells worker misses pings with no cell running (a timer that spins). */
let isWedged = false;
let pingSeq = 0;
let pingAnswered = 0;

function startRealm(name: RealmName): Realm {
  if (name === "cells") {
    send({ type: "status", state: "starting" });
    // A new answer realm: the judge's bridge pointed at the old one.
    stopRealm("judge");
    isWedged = false;
  }
  const worker = new Worker(new URL("./cell_worker.ts", import.meta.url), {
    type: "module",
    name,
    deno: { permissions: "none" },
  } as WorkerOptions);
  const channel = new MessageChannel();
  const realm: Realm = { name, worker, port: channel.port1, isReady: false };
  realms[name] = realm;
  channel.port1.onmessage = (event: MessageEvent<FromWorker>) => {
    if (realms[name] === realm) onWorkerMessage(realm, event.data);
  };
  // NOTE: the worker's global channel carries nothing but `init`; cells can listen there.
  worker.addEventListener("message", () => {});
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    if (realms[name] !== realm) return;
    const message = (event as ErrorEvent).message;
    if (running?.realm === name) finish("error", `The kernel's cell worker failed: ${message}`);
  });
  worker.postMessage(
    {
      type: "init",
      port: channel.port2,
      flag: interruptFlag,
      outputLimitBytes,
      gemmWasm,
      threadLimit: Number.isFinite(threadLimit) ? threadLimit : undefined,
    } satisfies ToWorker,
    [channel.port2],
  );
  return realm;
}

function stopRealm(name: RealmName): void {
  const realm = realms[name];
  if (realm === undefined) return;
  delete realms[name];
  realm.worker.terminate();
  realm.port.close();
}

function post(realm: Realm | undefined, message: ToWorker, transfer: Transferable[] = []): void {
  realm?.port.postMessage(message, transfer);
}

/** Connects the judge to the answer's realm with a fresh private channel. */
function connectBridge(judge: Realm): void {
  const answer = realms.cells;
  if (answer === undefined) return;
  const channel = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  post(answer, { type: "bridge", port: channel.port1, signal, side: 0 }, [channel.port1]);
  post(judge, { type: "bridge", port: channel.port2, signal, side: 1 }, [channel.port2]);
}

function onWorkerMessage(realm: Realm, message: FromWorker): void {
  const current = running?.realm === realm.name ? running : null;
  switch (message.type) {
    case "ready":
      realm.isReady = true;
      if (realm.name === "cells") send({ type: "status", state: "idle" });
      else connectBridge(realm);
      pump();
      return;
    case "pong":
      if (realm.name !== "cells") return;
      pingAnswered = Math.max(pingAnswered, Number(message.seq) || 0);
      if (isWedged && pingAnswered === pingSeq) {
        isWedged = false;
        if (running === null) send({ type: "status", state: "idle" });
        pump();
      }
      return;
    case "stream":
      if (current === null || typeof message.text !== "string") return;
      sendStream(
        current,
        message.name === "stdout" ? "stdout" : "stderr",
        message.text,
        outputLimitBytes,
      );
      return;
    case "display":
      if (current !== null) sendDisplay(current, message);
      return;
    case "result":
      if (current === null) return;
      sendLimited(current, {
        type: "result",
        id: current.request.id,
        data: plainBundle(message.data),
        executionCount: current.executionCount,
      }, "display");
      return;
    case "error":
      if (current !== null) sendError(current, message, cells, ROOT_URL);
      return;
    case "done":
      if (current === null) return;
      finish(
        message.status === "error" || message.status === "interrupted" ? message.status : "ok",
      );
      return;
    case "readFile":
      void readDataset(Number(message.requestId), String(message.path), ROOT_URL).then(
        ([reply, transfer]) => post(realm, reply, transfer),
      );
      return;
    case "inspected":
      if (realm.name !== "cells") return;
      send({
        type: "inspect_reply",
        id: String(message.requestId),
        found: message.found === true,
        data: message.found === true
          ? { "text/plain": String(message.summary).slice(0, 4096) }
          : {},
      });
      return;
  }
}

function pump(): void {
  if (running !== null || isWedged) return;
  const request = queue[0];
  if (request === undefined) return;
  const realmName: RealmName = request.realm === "judge" ? "judge" : "cells";
  const answer = realms.cells;
  if (answer === undefined || !answer.isReady) return;
  const realm = realms[realmName] ?? startRealm(realmName);
  if (!realm.isReady) return; // pumped again when it is
  if (request.compiled === undefined && compiler === null && compilerFailure === null) {
    loadCompiler();
    return; // pumped again when it is loaded
  }
  queue.shift();
  send({ type: "status", state: "busy" });
  executionCount++;
  const tag = `gbcell-${++cellSeq}`;
  const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
  running = {
    request,
    realm: realmName,
    tag,
    executionCount,
    startedAt: performance.now(),
    stopReason: null,
    timeoutTimer: setTimeout(() => stop("timeout"), timeoutMs),
    interruptWaiters: [],
    streamChars: 0,
    displays: 0,
    displayChars: 0,
    noticed: new Set(),
    updates: new Map(),
  };
  const compiled = compileRequest(request);
  if ("syntaxError" in compiled || "failure" in compiled) {
    const error = "syntaxError" in compiled ? compiled.syntaxError : null;
    const message = error?.message ?? (compiled as { failure: string }).failure;
    send({
      type: "error",
      id: request.id,
      name: error === null ? "Error" : "SyntaxError",
      message,
      stack: error === null
        ? `Error: ${message}`
        : `SyntaxError: ${message}\n    at cell:${error.line}:${error.column}`,
      line: error?.line,
      column: error?.column,
    });
    finish("error");
    return;
  }
  const { lines } = compiled;
  cells.set(tag, { cellId: request.cellId, map: (line, column) => mapToCell(lines, line, column) });
  if (cells.size > MAX_REMEMBERED_CELLS) cells.delete(cells.keys().next().value!);
  Atomics.store(interruptFlag, 0, 0);
  post(realm, {
    type: "run",
    id: request.id,
    tag,
    js: compiled.js,
    hasResult: compiled.hasResult,
    widgets: request.widgets ?? {},
    ...(realmName === "judge" ? { bridge: request.bridge ?? [] } : {}),
  });
}

/** The request's cell compiled: as the host sent it, else by this kernel's own compiler. */
function compileRequest(request: ExecuteRequest): HostCompiledCell | { failure: string } {
  if (request.compiled !== undefined) return request.compiled;
  if (compiler === null) return { failure: compilerFailure ?? "The cell compiler is not loaded." };
  try {
    return compiler.compileForKernel(request.code);
  } catch (error) {
    return { failure: (error as Error).message };
  }
}

function finish(status: ExecuteStatus, message?: string, wasTerminated = false): void {
  const current = running;
  if (current === null) return;
  clearTimeout(current.timeoutTimer);
  clearTimeout(current.graceTimer);
  flushUpdates(current);
  running = null;
  const [replyStatus, replyMessage] = stopReply(current, status, message, defaultTimeoutMs);
  send({
    type: "reply",
    id: current.request.id,
    status: replyStatus,
    executionCount: current.executionCount,
    elapsedMs: Math.round(performance.now() - current.startedAt),
    ...(replyMessage === undefined ? {} : { message: replyMessage }),
  });
  const outcome = wasTerminated ? "terminated" : "cooperative";
  for (const resolve of current.interruptWaiters) resolve(outcome);
  if (realms.cells?.isReady) {
    send({ type: "status", state: "idle" });
    ping();
  }
  pump();
}

/** Asks the running cell to stop; terminates the worker if it has not within the grace time. */
function stop(reason: "interrupt" | "timeout"): Promise<"cooperative" | "terminated" | "idle"> {
  const current = running;
  if (current === null) {
    if (!isWedged) return Promise.resolve("idle");
    // No cell runs, but a timer of an earlier cell holds the worker: end it.
    endForRestart();
    return Promise.resolve("terminated");
  }
  current.stopReason ??= reason;
  Atomics.store(interruptFlag, 0, 1);
  post(realms[current.realm], { type: "interrupt" });
  current.graceTimer ??= setTimeout(() => terminate(current), graceMs);
  return new Promise((resolve) => current.interruptWaiters.push(resolve));
}

function terminate(current: Running): void {
  if (running !== current) return;
  stopRealm(current.realm);
  if (current.realm === "cells") stopRealm("judge");
  finish(
    current.stopReason === "timeout" ? "timeout" : "interrupted",
    terminatedMessage(current, defaultTimeoutMs, graceMs),
    true,
  );
  // NOTE: a judge that spins is left to the grading kernel's shutdown, which ends the process.
  if (current.realm === "cells") endForRestart();
}

/**
 * Ends this process once the replies already sent are flushed, with
 * {@link KERNEL_RESTART_EXIT_CODE}: the server starts a fresh kernel.
 */
function endForRestart(): void {
  // NOTE: Deno 2.9's Worker.terminate() does not stop a worker spinning in synchronous code
  // (`while (true) {}`): its thread kept a core busy and its heap stayed resident, ~30 MiB per
  // restart (issue #26, `interrupt_restart_test.ts`). Only ending the process frees them.
  stopRealm("judge");
  stopRealm("cells");
  setTimeout(() => Deno.exit(KERNEL_RESTART_EXIT_CODE), 0);
}

/**
 * Liveness: with no cell running, the cells worker must answer a ping within PING_INTERVAL_MS;
 * if it does not, a timer or callback of an earlier cell is computing, and the kernel says it
 * is busy (an interrupt then ends the worker) instead of idle.
 */
function ping(): void {
  const realm = realms.cells;
  if (realm === undefined || !realm.isReady) return;
  if (pingAnswered === pingSeq) post(realm, { type: "ping", seq: ++pingSeq });
}

setInterval(() => {
  const realm = realms.cells;
  if (realm === undefined || !realm.isReady || running !== null) return;
  if (pingAnswered < pingSeq) {
    if (!isWedged) {
      isWedged = true;
      send({
        type: "status",
        state: "busy",
        reason: "A timer or callback of an earlier cell is still running; interrupt to stop it.",
      });
    }
    return;
  }
  ping();
}, PING_INTERVAL_MS);

function handle(request: KernelRequest): void {
  switch (request.type) {
    case "execute":
      queue.push(request);
      pump();
      return;
    case "interrupt":
      stop("interrupt").then((outcome) => send({ type: "interrupt_reply", outcome }));
      return;
    case "complete":
      send({
        type: "complete_reply",
        id: request.id,
        matches: [],
        from: request.cursor,
        to: request.cursor,
      });
      return;
    case "inspect": {
      // The worker answers between a running cell's awaits, or once it finishes.
      const name = identifierAt(request.code, request.cursor);
      const realm = realms.cells;
      if (name === null || realm === undefined || !realm.isReady) {
        send({ type: "inspect_reply", id: request.id, found: false, data: {} });
      } else {
        post(realm, { type: "inspect", requestId: request.id, name });
      }
      return;
    }
    case "shutdown":
      stopRealm("judge");
      stopRealm("cells");
      send({ type: "status", state: "dead", reason: "shutdown" });
      Deno.exit(0);
  }
}

startRealm("cells");
void forEachRequest(handle).then(() => {
  // The server closed our stdin: it is gone, so are we.
  stopRealm("judge");
  stopRealm("cells");
  Deno.exit(0);
});
