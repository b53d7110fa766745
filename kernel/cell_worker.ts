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
import { flushDisplays, setDisplaySink } from "../display/sink.ts";
import { inspectValue, toMimeBundle } from "../display/mime.ts";
import { importCellModule } from "./cell_modules.ts";
import { installGemmWasm } from "../runtime/kernels/wasm_gemm.ts";
import { setThreadLimit } from "../runtime/kernels/threads.ts";
import { createCellConsole } from "./cell_console.ts";
import { WIDGET_HOST_KEY, type WidgetHost } from "../display/widgets.ts";
import { summarizeValue } from "./inspect_value.ts";
import type { FromWorker, ToWorker } from "./worker_messages.ts";
import { DATASET_HOST_KEY, type DatasetHost } from "../datasets/read_file.ts";

// NOTE: captured before any cell runs: a cell may assign `globalThis.postMessage`.
const postToMain: (message: FromWorker) => void = globalThis.postMessage.bind(globalThis);
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

function formatBytes(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${bytes} bytes`;
}

/** Characters of strings and keys in `value` (8 per other leaf), counting no further than `cap`. */
function dataSize(value: unknown, cap: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= cap) {
    const item = stack.pop();
    if (typeof item === "string") total += item.length;
    else if (Array.isArray(item)) stack.push(...item);
    else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        total += key.length;
        stack.push(child);
      }
    } else total += 8;
  }
  return total;
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
  const url = URL.createObjectURL(new Blob([message.js], { type: "text/javascript" }));
  tags.set(url, message.tag);
  let status: "ok" | "error" | "interrupted" = "ok";
  try {
    const module = await import(url);
    URL.revokeObjectURL(url);
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
    if (error instanceof InterruptError || (error as Error)?.name === "InterruptError") {
      status = "interrupted";
    } else {
      status = "error";
      const isError = error instanceof Error;
      postToMain({
        type: "error",
        id: message.id,
        name: isError ? error.name : "Uncaught",
        message: isError ? error.message : inspectValue(error),
        stack: isError ? tagStack(error.stack ?? "") : "",
      });
    }
  } finally {
    rejectRunning = null;
  }
  flushStreams();
  postToMain({ type: "done", id: message.id, status });
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

let queue = Promise.resolve();
addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "file") {
    const pendingRead = fileRequests.get(message.requestId);
    fileRequests.delete(message.requestId);
    if (message.bytes !== undefined) pendingRead?.resolve(message.bytes);
    else pendingRead?.reject(new Error(message.error ?? "could not read the dataset file"));
  } else if (message.type === "init") {
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
  } else if (message.type === "run") {
    queue = queue.then(() => run(message));
  } else if (message.type === "interrupt") {
    rejectRunning?.(new InterruptError());
  } else if (message.type === "inspect") {
    inspectName(message.requestId, message.name);
  }
});
