/**
 * The cell worker: runs compiled cells (see `compile_cell.ts`) inside a Worker started with
 * `permissions: "none"`, streams console output and displays to the kernel's main thread, and
 * turns results and errors into messages.
 *
 * Everything a cell can import is in this module's static import graph (`cell_modules.ts`),
 * because a worker without permissions cannot load other local files.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { InterruptError, setInterruptFlag } from "gradbook";
import { flushDisplays, setDisplaySink } from "../../runtime/display/sink.ts";
import { inspectValue, toMimeBundle } from "../../runtime/display/mime.ts";
import { importCellModule } from "./cell_modules.ts";
import { installGemmWasm } from "../../runtime/kernels/wasm_gemm.ts";
import { setThreadLimit } from "../../runtime/kernels/threads.ts";
import { createCellConsole } from "./cell_console.ts";
import { WIDGET_HOST_KEY, type WidgetHost } from "../../runtime/display/widgets.ts";
import { summarizeValue } from "./inspect_value.ts";
import { dataSize, formatBytes } from "./output_size.ts";
import type { FromWorker, ToWorker } from "./worker_messages.ts";
import { DATASET_HOST_KEY, type DatasetHost } from "../../runtime/datasets/read_file.ts";
import { BridgeEndpoint } from "./bridge.ts";

// NOTE: everything the worker's own code calls is captured here, before any cell runs: a cell
// may replace globals and prototypes (`Blob`, `URL.createObjectURL`, `MessagePort.prototype`,
// the `MessageEvent` data getter) to read or rewrite the kernel's messages.
const apply = Reflect.apply;
const OriginalBlob = Blob;
const createObjectURL = URL.createObjectURL;
const revokeObjectURL = URL.revokeObjectURL;
const postOnPort = MessagePort.prototype.postMessage;
// Deno sets `data` on each MessageEvent itself (no prototype getter a cell could replace).
const eventData = function (this: MessageEvent): unknown {
  return this.data;
};
const defineProperty = Object.defineProperty;
const removeGlobalListener = globalThis.removeEventListener.bind(globalThis);
/**
 * The kernel's private channel, received in `init` before any cell runs. Protocol messages never
 * travel on the worker's global `postMessage`/`onmessage`, which cells can listen to and use.
 */
let mainPort: MessagePort | null = null;
function postToMain(message: FromWorker): void {
  if (mainPort !== null) apply(postOnPort, mainPort, [message]);
}
const STREAM_FLUSH_MS = 40;
const STREAM_FLUSH_CHARS = 32_768;
const MAX_DISPLAYS_PER_CELL = 1000;
/** Characters of display data one cell may send (new displays; an update counts alone). */
const MAX_DISPLAY_CHARS_PER_CELL = 16 * 1024 * 1024;

let currentId = "";
let outputLimit = 1 << 20;
let outputUsed = 0;
let isTruncated = false;
let displayCount = 0;
let displayChars = 0;
let pending: { name: "stdout" | "stderr"; text: string } | null = null;
let lastFlush = 0;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let rejectRunning: ((reason: unknown) => void) | null = null;
const tags = new Map<string, string>();

function flushStreams(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  lastFlush = performance.now();
  if (pending === null || pending.text === "") return;
  postToMain({ type: "stream", id: currentId, name: pending.name, text: pending.text });
  pending = null;
}

function writeStream(name: "stdout" | "stderr", text: string): void {
  if (isTruncated) return;
  outputUsed += text.length;
  if (outputUsed > outputLimit) {
    isTruncated = true;
    const keep = text.slice(0, Math.max(0, text.length - (outputUsed - outputLimit)));
    if (keep) writeBuffered(name, keep);
    writeBuffered(
      "stderr",
      `\n[Output truncated: this cell printed more than ${formatBytes(outputLimit)}; the rest ` +
        `is not shown. The cell is still running; print less often (e.g. every 100th step).]\n`,
    );
    flushStreams();
    return;
  }
  writeBuffered(name, text);
  if (
    (pending?.text.length ?? 0) > STREAM_FLUSH_CHARS ||
    performance.now() - lastFlush > STREAM_FLUSH_MS
  ) {
    flushStreams();
  } else {
    flushTimer ??= setTimeout(flushStreams, STREAM_FLUSH_MS);
  }
}

function writeBuffered(name: "stdout" | "stderr", text: string): void {
  if (pending !== null && pending.name !== name) flushStreams();
  if (pending === null) pending = { name, text };
  else pending.text += text;
}

setDisplaySink((data, displayId, update) => {
  // NOTE: without a size budget, 200 displays of a 4 MB string push 800 MB through the
  // kernel's pipe and the server's JSON parser, and other notebooks wait.
  const size = dataSize(data, MAX_DISPLAY_CHARS_PER_CELL);
  if (update && size > MAX_DISPLAY_CHARS_PER_CELL / 2) {
    writeStream("stderr", `[A display update of over ${formatBytes(size)} was not shown.]\n`);
    return;
  }
  if (!update && displayChars <= MAX_DISPLAY_CHARS_PER_CELL) {
    displayChars += size;
    if (displayChars > MAX_DISPLAY_CHARS_PER_CELL) {
      writeStream(
        "stderr",
        `[This cell's displays passed ${formatBytes(MAX_DISPLAY_CHARS_PER_CELL)}; ` +
          `the rest were not shown.]\n`,
      );
    }
  }
  if (!update && displayChars > MAX_DISPLAY_CHARS_PER_CELL) return;
  if (!update && ++displayCount > MAX_DISPLAYS_PER_CELL) {
    if (displayCount === MAX_DISPLAYS_PER_CELL + 1) {
      writeStream(
        "stderr",
        `[More than ${MAX_DISPLAYS_PER_CELL} displays in one cell; ` +
          `the rest are not shown. Use display(x).update(y) to redraw one output.]\n`,
      );
    }
    return;
  }
  flushStreams();
  postToMain({ type: "display", id: currentId, displayId, update, data });
});

function sandbox(): void {
  const denied = (what: string) =>
    class {
      constructor() {
        throw new TypeError(
          `${what} is not available in a notebook cell (the kernel is sandboxed)`,
        );
      }
    };
  // NOTE: the Cache API is a disk shared by every kernel of this Deno installation (and by
  // `check` and `grade`): a cell gets no persistent storage at all.
  for (const name of ["caches", "CacheStorage", "Cache", "localStorage", "sessionStorage"]) {
    try {
      delete (globalThis as Record<string, unknown>)[name];
    } catch {
      // not configurable: nothing to remove
    }
  }
  Object.assign(globalThis, {
    console: createCellConsole(writeStream),
    Worker: denied("new Worker()"),
    WebSocket: denied("WebSocket"),
    close: () => {
      throw new TypeError("close() is not available in a notebook cell; use Restart instead");
    },
  });
  // NOTE: standard streams are the kernel's channel to the server; a cell must not write there,
  // neither directly nor through Deno's internals (`core.print`, `Console`).
  const denoObject = Deno as unknown as Record<PropertyKey, unknown>;
  for (const name of ["stdin", "stdout", "stderr", (Deno as { internal?: symbol }).internal]) {
    if (name !== undefined) delete denoObject[name];
  }
  // `Deno.exit` in a worker silently ends the worker, and the kernel waited for a reply until
  // the time limit.
  denoObject.exit = () => {
    throw new TypeError("Deno.exit() is not available in a notebook cell; use Restart instead");
  };
  addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    writeStream("stderr", `Uncaught (in promise) ${describeError(event.reason)}\n`);
  });
  addEventListener("error", (event) => {
    event.preventDefault();
    writeStream("stderr", `Uncaught ${describeError(event.error)}\n`);
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return inspectValue(error);
}

function tagStack(stack: string): string {
  let tagged = stack;
  for (const [url, tag] of tags) tagged = tagged.replaceAll(url, tag);
  return tagged;
}

const helper = Object.freeze({ import: importCellModule });

async function run(message: Extract<ToWorker, { type: "run" }>): Promise<void> {
  currentId = message.id;
  widgetValues = message.widgets;
  claimedWidgetKeys.clear();
  outputUsed = 0;
  isTruncated = false;
  displayCount = 0;
  displayChars = 0;
  const url = apply(createObjectURL, URL, [
    new OriginalBlob([message.js], { type: "text/javascript" }),
  ]) as string;
  tags.set(url, message.tag);
  let status: "ok" | "error" | "interrupted" = "ok";
  try {
    if (message.bridge !== undefined) bindAnswerNames(message.bridge);
    const module = await import(url);
    apply(revokeObjectURL, URL, [url]);
    const stopped = new Promise<never>((_, reject) => (rejectRunning = reject));
    const value = await Promise.race([module.default(helper), stopped]);
    settleOutputs();
    if (message.hasResult && value !== undefined) {
      const data = typeof value === "string"
        ? { "text/plain": Deno.inspect(value, { colors: false }) }
        : toMimeBundle(value);
      postToMain({ type: "result", id: message.id, data });
    }
  } catch (error) {
    settleOutputs();
    status = reportThrown(message.id, error);
  } finally {
    rejectRunning = null;
  }
  flushStreams();
  postToMain({ type: "done", id: message.id, status });
}

/**
 * Reports what a cell threw. The value is hostile at worst (a Proxy whose every trap throws, an
 * object whose `name` getter throws): reading it must never keep `done` from being sent.
 */
function reportThrown(id: string, error: unknown): "error" | "interrupted" {
  let isInterrupt = false;
  let name = "Uncaught";
  let text = "";
  let stack = "";
  try {
    isInterrupt = error instanceof InterruptError ||
      (error as Error)?.name === "InterruptError";
    if (isInterrupt) return "interrupted";
    if (error instanceof Error) {
      name = String(error.name);
      text = String(error.message);
      stack = tagStack(String(error.stack ?? ""));
    } else {
      text = inspectValue(error);
    }
  } catch {
    name = "Uncaught";
    text = "a value that cannot be inspected (reading it threw)";
    stack = "";
  }
  postToMain({ type: "error", id, name, message: text, stack });
  return "error";
}

function settleOutputs(): void {
  try {
    flushDisplays();
  } catch (error) {
    writeStream("stderr", `Could not display the last update: ${describeError(error)}\n`);
  }
  flushStreams();
}

// Datasets are read by the kernel process: this worker has no read permission.
const fileRequests = new Map<
  number,
  { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }
>();
let nextFileRequest = 1;
const datasetHost: DatasetHost = {
  readFile(path: string): Promise<Uint8Array> {
    const requestId = nextFileRequest++;
    return new Promise((resolve, reject) => {
      fileRequests.set(requestId, { resolve, reject });
      postToMain({ type: "readFile", requestId, path });
    });
  },
};
Object.defineProperty(globalThis, DATASET_HOST_KEY, { value: datasetHost });

/** Answers an `inspect` from the cells' shared scope (top-level names live on globalThis). */
function inspectName(requestId: string, name: string): void {
  let found = false;
  let summary = "";
  try {
    found = Object.hasOwn(globalThis, name);
    if (found) summary = summarizeValue((globalThis as Record<string, unknown>)[name]);
  } catch (error) {
    summary = `(could not inspect: ${describeError(error)})`;
  }
  postToMain({ type: "inspected", requestId, found, summary });
}

// Widgets (`input.slider`, ...) read their saved values here; keys are unique per run.
let widgetValues: Record<string, unknown> = {};
const claimedWidgetKeys = new Set<string>();
const widgetHost: WidgetHost = {
  claimKey(base: string): string {
    let key = base;
    for (let n = 2; claimedWidgetKeys.has(key); n++) key = `${base}#${n}`;
    claimedWidgetKeys.add(key);
    return key;
  },
  savedValue: (key: string) => Object.hasOwn(widgetValues, key) ? widgetValues[key] : undefined,
};
Object.defineProperty(globalThis, WIDGET_HOST_KEY, { value: widgetHost });

/**
 * On the judge worker: makes the answer's top-level `names` read through the bridge, so the
 * checks call the answer's functions (which run in the cell worker) and get copies of its values.
 */
function bindAnswerNames(names: string[]): void {
  const endpoint = bridge;
  if (endpoint === null) throw new Error("The grader's bridge to the answer is not connected.");
  for (const name of names) {
    defineProperty(globalThis, name, {
      get: () => endpoint.get(name),
      set: (value: unknown) =>
        defineProperty(globalThis, name, { value, writable: true, configurable: true }),
      configurable: true,
    });
  }
}

let bridge: BridgeEndpoint | null = null;
let interruptFlag: Int32Array = new Int32Array(new SharedArrayBuffer(4));
let queue = Promise.resolve();

function onPortMessage(event: MessageEvent): void {
  const message = apply(eventData, event, []) as ToWorker;
  if (message.type === "file") {
    const pendingRead = fileRequests.get(message.requestId);
    fileRequests.delete(message.requestId);
    if (message.bytes !== undefined) pendingRead?.resolve(message.bytes);
    else pendingRead?.reject(new Error(message.error ?? "could not read the dataset file"));
  } else if (message.type === "run") {
    // NOTE: a rejected run must not stop the queue (every later cell would wait forever).
    queue = queue.then(() => run(message)).catch(() => {
      const text = "The kernel could not finish running this cell.";
      postToMain({ type: "error", id: message.id, name: "Error", message: text, stack: "" });
      postToMain({ type: "done", id: message.id, status: "error" });
    });
  } else if (message.type === "interrupt") {
    rejectRunning?.(new InterruptError());
  } else if (message.type === "inspect") {
    inspectName(message.requestId, message.name);
  } else if (message.type === "ping") {
    postToMain({ type: "pong", seq: message.seq });
  } else if (message.type === "bridge") {
    // The cell worker answers the judge's reads; the judge reads the answer's names.
    bridge = new BridgeEndpoint(
      message.port,
      message.signal,
      message.side,
      interruptFlag,
      (name) =>
        Object.hasOwn(globalThis, name) ? (globalThis as Record<string, unknown>)[name] : undefined,
    );
  }
}

function onInit(event: MessageEvent): void {
  const message = apply(eventData, event, []) as ToWorker;
  if (message.type !== "init" || mainPort !== null) return;
  removeGlobalListener("message", onInit);
  mainPort = message.port;
  mainPort.onmessage = onPortMessage;
  interruptFlag = message.flag;
  setInterruptFlag(message.flag);
  outputLimit = message.outputLimitBytes;
  try {
    if (message.threadLimit !== undefined) setThreadLimit(message.threadLimit);
    if (message.gemmWasm !== undefined) installGemmWasm(message.gemmWasm);
  } catch {
    // A stale build (other ABI version): matrix products use the TypeScript kernel.
  }
  sandbox();
  postToMain({ type: "ready" });
}
addEventListener("message", onInit);
