/**
 * Entry point of a kernel process (started by `KernelProcess`, see `kernel_process.ts`).
 *
 * Reads {@link WireRequest}s as NDJSON on stdin, writes {@link WireEvent}s as NDJSON on stdout,
 * compiles cells with TypeScript and runs them one at a time in a cell worker that has no
 * permissions. Interrupts and time limits first ask the cell to stop (a shared flag the runtime
 * polls); after a grace period the worker is terminated and a fresh one started.
 *
 * Flags: `--output-limit=<bytes> --grace-ms=<ms> --timeout-ms=<ms> [--threads=<n>]` (`--threads`
 * caps the threads the float32 kernels use; by default they use all cores but one).
 *
 * @module
 */
import { isAllowedDatasetPath } from "../../runtime/datasets/read_file.ts";
import { gemmWasmUrl } from "../../runtime/kernels/wasm_gemm.ts";
import { type CellSourceMap, hidePaths, mapStack } from "./map_stack.ts";
import { identifierAt } from "./inspect_value.ts";
import {
  type ExecuteStatus,
  KERNEL_RESTART_EXIT_CODE,
  type KernelEvent,
  type KernelRequest,
  PROTOCOL_VERSION,
  type WireRequest,
} from "./protocol.ts";
import type { FromWorker, ToWorker } from "./worker_messages.ts";

const ROOT_URL = new URL("../../", import.meta.url).href;
const MAX_REMEMBERED_CELLS = 1000;

function flag(name: string, fallback: number): number {
  const arg = Deno.args.find((a) => a.startsWith(`--${name}=`));
  const value = arg === undefined ? NaN : Number(arg.slice(name.length + 3));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
const outputLimitBytes = flag("output-limit", 1 << 20);
/**
 * The SIMD GEMM for the workers, which cannot read it themselves, compiled once for every worker
 * this process starts; without it, the TypeScript path.
 */
const gemmWasm = compileOptional(gemmWasmUrl("exact"));
const threadLimit = flag("threads", Infinity);

function compileOptional(url: URL): WebAssembly.Module | undefined {
  try {
    return new WebAssembly.Module(Deno.readFileSync(url));
  } catch {
    return undefined; // not built, or not a valid module: the TypeScript kernels run
  }
}

// NOTE: TypeScript (23 MB of JavaScript, most of this process's start) loads and compiles a
// first cell (its first compile is several times slower than the next) while the cell worker
// starts on the other core; the kernel reports itself ready when both are done, so that a
// first cell runs at once.
let compiler: typeof import("./compile_cell.ts") | null = null;
const compilerLoaded = import("./compile_cell.ts").then((module) => {
  module.compileCell("0");
  compiler = module;
});
const graceMs = flag("grace-ms", 2000);
const defaultTimeoutMs = flag("timeout-ms", 300_000);

const encoder = new TextEncoder();
function send(event: KernelEvent): void {
  const line = encodeEvent(event);
  if (line !== null) writeLine(line);
}

/** The event as one NDJSON line; a value JSON cannot hold becomes a notice (null: nothing). */
function encodeEvent(event: KernelEvent): string | null {
  try {
    return JSON.stringify({ ...event, v: PROTOCOL_VERSION });
  } catch (error) {
    if (!("id" in event)) return null;
    return JSON.stringify({
      type: "stream",
      id: event.id,
      name: "stderr",
      text: `Could not send an output: ${(error as Error).message}\n`,
      v: PROTOCOL_VERSION,
    });
  }
}

function writeLine(line: string): void {
  const bytes = encoder.encode(line + "\n");
  for (let offset = 0; offset < bytes.length;) {
    offset += Deno.stdout.writeSync(bytes.subarray(offset));
  }
}

type ExecuteRequest = Extract<KernelRequest, { type: "execute" }>;
type RealmName = "cells" | "judge";

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

interface Running {
  request: ExecuteRequest;
  realm: RealmName;
  tag: string;
  executionCount: number;
  startedAt: number;
  stopReason: "interrupt" | "timeout" | null;
  timeoutTimer: ReturnType<typeof setTimeout>;
  graceTimer?: ReturnType<typeof setTimeout>;
  interruptWaiters: ((outcome: "cooperative" | "terminated") => void)[];
  /** Output this execution sent, counted here: the worker's own limits trust the cell. */
  streamChars: number;
  displays: number;
  displayChars: number;
  noticed: Set<string>;
  /** The newest display update per display id, sent at most every UPDATE_INTERVAL_MS. */
  updates: Map<string, KernelEvent>;
  updateTimer?: ReturnType<typeof setTimeout>;
}

/** Limits enforced on what leaves a worker (the worker's limits run in the cell's realm). */
const MAX_DISPLAYS_PER_CELL = 1000;
const MAX_DISPLAY_CHARS_PER_CELL = 16 * 1024 * 1024;
const MAX_UPDATE_CHARS = 8 * 1024 * 1024;
const UPDATE_INTERVAL_MS = 50;
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
      void compilerLoaded.then(() => {
        if (realms[realm.name] !== realm) return;
        realm.isReady = true;
        if (realm.name === "cells") send({ type: "status", state: "idle" });
        else connectBridge(realm);
        pump();
      });
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
      sendStream(current, message.name === "stdout" ? "stdout" : "stderr", message.text);
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
    case "error": {
      if (current === null) return;
      const mapped = mapStack(
        String(message.stack),
        (tag) => cells.get(tag),
        current.tag,
        ROOT_URL,
      );
      sendLimited(current, {
        type: "error",
        id: current.request.id,
        name: String(message.name).slice(0, 200),
        message: hidePaths(String(message.message), ROOT_URL).slice(0, 64 * 1024),
        stack: mapped.stack.slice(0, 64 * 1024),
        line: mapped.line,
        column: mapped.column,
      }, "stream");
      return;
    }
    case "done":
      if (current === null) return;
      finish(
        message.status === "error" || message.status === "interrupted" ? message.status : "ok",
      );
      return;
    case "readFile":
      readDatasetForWorker(realm, Number(message.requestId), String(message.path));
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

function plainBundle(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === "object" && !Array.isArray(data)
    ? data as Record<string, unknown>
    : { "text/plain": String(data) };
}

function notice(current: Running, key: string, text: string): void {
  if (current.noticed.has(key)) return;
  current.noticed.add(key);
  send({ type: "stream", id: current.request.id, name: "stderr", text });
}

function sendStream(current: Running, name: "stdout" | "stderr", text: string): void {
  // The worker truncates at the limit and says so; this allows its notices, never a flood.
  const budget = outputLimitBytes + 4096 - current.streamChars;
  if (budget <= 0) {
    notice(current, "stream", `\n[Output truncated at ${outputLimitBytes} bytes.]\n`);
    return;
  }
  const kept = text.length > budget ? text.slice(0, budget) : text;
  current.streamChars += kept.length;
  send({ type: "stream", id: current.request.id, name, text: kept });
}

function sendDisplay(current: Running, message: Extract<FromWorker, { type: "display" }>): void {
  const event: KernelEvent = {
    type: "display",
    id: current.request.id,
    displayId: typeof message.displayId === "string" ? message.displayId.slice(0, 200) : "",
    update: message.update === true,
    data: plainBundle(message.data),
  };
  if (event.update && event.displayId) {
    current.updates.set(event.displayId, event);
    current.updateTimer ??= setTimeout(() => flushUpdates(current), UPDATE_INTERVAL_MS);
    return;
  }
  if (current.displays >= MAX_DISPLAYS_PER_CELL) {
    notice(
      current,
      "displays",
      `[More than ${MAX_DISPLAYS_PER_CELL} displays; the rest are not shown.]\n`,
    );
    return;
  }
  current.displays++;
  sendLimited(current, event, "display");
}

function flushUpdates(current: Running): void {
  clearTimeout(current.updateTimer);
  current.updateTimer = undefined;
  const pending = [...current.updates.values()];
  current.updates.clear();
  for (const event of pending) sendLimited(current, event, "update");
}

/** Sends `event` unless it passes this execution's limit for its kind (then one notice). */
function sendLimited(
  current: Running,
  event: KernelEvent,
  kind: "display" | "update" | "stream",
): void {
  const line = encodeEvent(event);
  if (line === null) return;
  if (kind === "update" && line.length > MAX_UPDATE_CHARS) {
    notice(current, "update", `[A display update of ${line.length} characters was not shown.]\n`);
    return;
  }
  if (kind === "display") {
    if (current.displayChars + line.length > MAX_DISPLAY_CHARS_PER_CELL + 65536) {
      notice(current, "chars", `[This cell's displays passed 16 MiB; the rest were not shown.]\n`);
      return;
    }
    current.displayChars += line.length;
  }
  writeLine(line);
}

/** Reads a dataset file for the permissionless worker, only inside the dataset folders. */
async function readDatasetForWorker(realm: Realm, requestId: number, path: string): Promise<void> {
  // NOTE: `new URL()` decodes `%2e%2e` into `..` and resolves it, so a percent sign is refused
  // outright and the resolved file must still lie inside a dataset folder.
  const target = path.includes("%") ? null : new URL(path, ROOT_URL);
  const resolved = target === null || !target.href.startsWith(ROOT_URL)
    ? null
    : decodeURIComponent(target.href.slice(ROOT_URL.length));
  if (!isAllowedDatasetPath(path) || resolved === null || !isAllowedDatasetPath(resolved)) {
    post(realm, {
      type: "file",
      requestId,
      error: `Cannot read ${JSON.stringify(path.slice(0, 200))}: not a dataset file`,
    });
    return;
  }
  try {
    const bytes = await Deno.readFile(target!);
    post(realm, { type: "file", requestId, bytes }, [bytes.buffer]);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? `dataset file ${path} is missing (run \`deno install\` in the gradbook folder)`
      : `could not read dataset file ${path}`;
    post(realm, { type: "file", requestId, error: reason });
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
  try {
    const compiled = compiler!.compileCell(request.code);
    cells.set(tag, { cellId: request.cellId, map: compiled.map });
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
  } catch (error) {
    const isSyntax = error instanceof compiler!.CellSyntaxError;
    send({
      type: "error",
      id: request.id,
      name: isSyntax ? "SyntaxError" : "Error",
      message: (error as Error).message,
      stack: isSyntax
        ? `SyntaxError: ${error.message}\n    at cell:${error.line}:${error.column}`
        : `Error: ${(error as Error).message}`,
      line: isSyntax ? error.line : undefined,
      column: isSyntax ? error.column : undefined,
    });
    finish("error");
  }
}

function timeLimitText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function finish(status: ExecuteStatus, message?: string, wasTerminated = false): void {
  const current = running;
  if (current === null) return;
  clearTimeout(current.timeoutTimer);
  clearTimeout(current.graceTimer);
  flushUpdates(current);
  running = null;
  let replyStatus = status;
  let replyMessage = message;
  if (current.stopReason === "timeout" && status === "interrupted") {
    replyStatus = "timeout";
    replyMessage ??= `The cell reached its time limit (${
      timeLimitText(current.request.timeoutMs ?? defaultTimeoutMs)
    }) and stopped; variables were kept.`;
  } else if (status === "interrupted") {
    replyMessage ??= "Interrupted; the cell stopped and variables were kept.";
  }
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
  const why = current.stopReason === "timeout"
    ? `The cell reached its time limit (${
      timeLimitText(current.request.timeoutMs ?? defaultTimeoutMs)
    }) and did not stop within ${timeLimitText(graceMs)}`
    : `The cell did not stop within ${timeLimitText(graceMs)} of the interrupt`;
  finish(
    current.stopReason === "timeout" ? "timeout" : "interrupted",
    `${why}, so the kernel was restarted. Variables were lost; rerun the cells above.`,
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

async function readRequests(): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of Deno.stdin.readable) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line === "") continue;
      let request: WireRequest;
      try {
        request = JSON.parse(line);
      } catch {
        continue;
      }
      if (request.v !== PROTOCOL_VERSION) {
        const message = `Ignored a request with protocol version ${request.v}; this kernel ` +
          `speaks version ${PROTOCOL_VERSION}.`;
        send({ type: "error", id: "", name: "ProtocolError", message, stack: message });
        continue;
      }
      handle(request);
    }
  }
  // The server closed our stdin: it is gone, so are we.
  stopRealm("judge");
  stopRealm("cells");
  Deno.exit(0);
}

startRealm("cells");
readRequests();
