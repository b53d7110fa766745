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
import { isAllowedDatasetPath } from "../datasets/read_file.ts";
import { gemmWasmUrl } from "../runtime/kernels/wasm_gemm.ts";
import { type CellSourceMap, hidePaths, mapStack } from "./map_stack.ts";
import { identifierAt } from "./inspect_value.ts";
import {
  type ExecuteStatus,
  type KernelEvent,
  type KernelRequest,
  PROTOCOL_VERSION,
  type WireRequest,
} from "./protocol.ts";
import type { FromWorker, ToWorker } from "./worker_messages.ts";

// NOTE: TypeScript (23 MB of JavaScript, most of this process's start) loads and compiles a
// first cell (its first compile is several times slower than the next) while the cell worker
// starts on the other core; the kernel reports itself ready when both are done, so that a
// first cell runs at once.
let compiler: typeof import("./compile_cell.ts") | null = null;
const compilerLoaded = import("./compile_cell.ts").then((module) => {
  module.compileCell("0");
  compiler = module;
});

const ROOT_URL = new URL("../", import.meta.url).href;
const MAX_REMEMBERED_CELLS = 1000;

function flag(name: string, fallback: number): number {
  const arg = Deno.args.find((a) => a.startsWith(`--${name}=`));
  const value = arg === undefined ? NaN : Number(arg.slice(name.length + 3));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
const outputLimitBytes = flag("output-limit", 1 << 20);
/**
 * The SIMD GEMM for the worker, which cannot read it itself, compiled once for every worker
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
const graceMs = flag("grace-ms", 2000);
const defaultTimeoutMs = flag("timeout-ms", 300_000);

const encoder = new TextEncoder();
function send(event: KernelEvent): void {
  let line: string;
  try {
    line = JSON.stringify({ ...event, v: PROTOCOL_VERSION });
  } catch (error) {
    if (!("id" in event)) return;
    line = JSON.stringify({
      type: "stream",
      id: event.id,
      name: "stderr",
      text: `Could not send an output: ${(error as Error).message}\n`,
      v: PROTOCOL_VERSION,
    });
  }
  const bytes = encoder.encode(line + "\n");
  for (let offset = 0; offset < bytes.length;) {
    offset += Deno.stdout.writeSync(bytes.subarray(offset));
  }
}

type ExecuteRequest = Extract<KernelRequest, { type: "execute" }>;

interface Running {
  request: ExecuteRequest;
  tag: string;
  executionCount: number;
  startedAt: number;
  stopReason: "interrupt" | "timeout" | null;
  timeoutTimer: ReturnType<typeof setTimeout>;
  graceTimer?: ReturnType<typeof setTimeout>;
  interruptWaiters: ((outcome: "cooperative" | "terminated") => void)[];
}

const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
const cells = new Map<string, CellSourceMap>();
const queue: ExecuteRequest[] = [];
let worker: Worker | null = null;
let isWorkerReady = false;
let running: Running | null = null;
let executionCount = 0;
let cellSeq = 0;

function startWorker(): void {
  send({ type: "status", state: "starting" });
  isWorkerReady = false;
  const next = new Worker(new URL("./cell_worker.ts", import.meta.url), {
    type: "module",
    name: "cells",
    deno: { permissions: "none" },
  } as WorkerOptions);
  worker = next;
  next.addEventListener("message", (event: MessageEvent<FromWorker>) => {
    if (worker === next) onWorkerMessage(event.data);
  });
  next.addEventListener("error", (event) => {
    event.preventDefault();
    if (worker !== next) return;
    const message = (event as ErrorEvent).message;
    if (running) finish("error", `The kernel's cell worker failed: ${message}`);
  });
  next.postMessage(
    {
      type: "init",
      flag: interruptFlag,
      outputLimitBytes,
      gemmWasm,
      threadLimit: Number.isFinite(threadLimit) ? threadLimit : undefined,
    } satisfies ToWorker,
  );
}

function onWorkerMessage(message: FromWorker): void {
  switch (message.type) {
    case "ready": {
      const readyWorker = worker;
      void compilerLoaded.then(() => {
        if (worker !== readyWorker) return;
        isWorkerReady = true;
        send({ type: "status", state: "idle" });
        pump();
      });
      return;
    }
    case "stream":
    case "display":
      send(message);
      return;
    case "result":
      send({ ...message, executionCount: running?.executionCount ?? executionCount });
      return;
    case "error": {
      const mapped = mapStack(message.stack, (tag) => cells.get(tag), running?.tag ?? "", ROOT_URL);
      send({
        type: "error",
        id: message.id,
        name: message.name,
        message: hidePaths(message.message, ROOT_URL),
        stack: mapped.stack,
        line: mapped.line,
        column: mapped.column,
      });
      return;
    }
    case "done":
      if (running?.request.id === message.id) finish(message.status);
      return;
    case "readFile":
      readDatasetForWorker(message.requestId, message.path);
      return;
    case "inspected":
      send({
        type: "inspect_reply",
        id: message.requestId,
        found: message.found,
        data: message.found ? { "text/plain": message.summary } : {},
      });
      return;
  }
}

/** Reads a dataset file for the permissionless worker, only inside the dataset folders. */
async function readDatasetForWorker(requestId: number, path: string): Promise<void> {
  const target = worker;
  if (!isAllowedDatasetPath(path)) {
    target?.postMessage(
      {
        type: "file",
        requestId,
        error: `Cannot read ${JSON.stringify(path)}: not a dataset file`,
      } satisfies ToWorker,
    );
    return;
  }
  try {
    const bytes = await Deno.readFile(new URL(path, ROOT_URL));
    target?.postMessage({ type: "file", requestId, bytes } satisfies ToWorker, [bytes.buffer]);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? `dataset file ${path} is missing (run \`deno install\` in the gradbook folder)`
      : `could not read dataset file ${path}`;
    target?.postMessage({ type: "file", requestId, error: reason } satisfies ToWorker);
  }
}

function pump(): void {
  if (running !== null || !isWorkerReady || worker === null) return;
  const request = queue.shift();
  if (request === undefined) return;
  send({ type: "status", state: "busy" });
  executionCount++;
  const tag = `gbcell-${++cellSeq}`;
  const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
  running = {
    request,
    tag,
    executionCount,
    startedAt: performance.now(),
    stopReason: null,
    timeoutTimer: setTimeout(() => stop("timeout"), timeoutMs),
    interruptWaiters: [],
  };
  try {
    const compiled = compiler!.compileCell(request.code);
    cells.set(tag, { cellId: request.cellId, map: compiled.map });
    if (cells.size > MAX_REMEMBERED_CELLS) cells.delete(cells.keys().next().value!);
    Atomics.store(interruptFlag, 0, 0);
    worker.postMessage(
      {
        type: "run",
        id: request.id,
        tag,
        js: compiled.js,
        hasResult: compiled.hasResult,
        widgets: request.widgets ?? {},
      } satisfies ToWorker,
    );
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
  if (worker !== null && isWorkerReady) send({ type: "status", state: "idle" });
  pump();
}

/** Asks the running cell to stop; terminates the worker if it has not within the grace time. */
function stop(reason: "interrupt" | "timeout"): Promise<"cooperative" | "terminated" | "idle"> {
  const current = running;
  if (current === null) return Promise.resolve("idle");
  current.stopReason ??= reason;
  Atomics.store(interruptFlag, 0, 1);
  worker?.postMessage({ type: "interrupt" } satisfies ToWorker);
  current.graceTimer ??= setTimeout(() => terminate(current), graceMs);
  return new Promise((resolve) => current.interruptWaiters.push(resolve));
}

function terminate(current: Running): void {
  if (running !== current) return;
  worker?.terminate();
  worker = null;
  isWorkerReady = false;
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
  executionCount = 0;
  startWorker();
}

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
      if (name === null || worker === null || !isWorkerReady) {
        send({ type: "inspect_reply", id: request.id, found: false, data: {} });
      } else {
        worker.postMessage({ type: "inspect", requestId: request.id, name } satisfies ToWorker);
      }
      return;
    }
    case "shutdown":
      worker?.terminate();
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
  worker?.terminate();
  Deno.exit(0);
}

startWorker();
readRequests();
