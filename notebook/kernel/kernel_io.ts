/**
 * A kernel process's input and output: requests read from stdin ({@link forEachRequest}),
 * events written to stdout as NDJSON lines ({@link send}), and one execution's streams, displays and display updates counted against
 * the output limits the server relies on (the worker's own limits run in the cell's realm, so
 * they are not trusted).
 *
 * @module
 */
import {
  type ExecuteStatus,
  type KernelEvent,
  type KernelRequest,
  PROTOCOL_VERSION,
  type WireRequest,
} from "./protocol.ts";
import type { FromWorker } from "./worker_messages.ts";
import { type CellSourceMap, hidePaths, mapStack } from "./map_stack.ts";

const encoder = new TextEncoder();
/** Writes `event` as one line on stdout. */
export function send(event: KernelEvent): void {
  const line = encodeEvent(event);
  if (line !== null) writeLine(line);
}

/** The event as one NDJSON line; a value JSON cannot hold becomes a notice (null: nothing). */
export function encodeEvent(event: KernelEvent): string | null {
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

/** Writes one line on stdout, whole. */
export function writeLine(line: string): void {
  const bytes = encoder.encode(line + "\n");
  for (let offset = 0; offset < bytes.length;) {
    offset += Deno.stdout.writeSync(bytes.subarray(offset));
  }
}

/** An execute request. */
export type ExecuteRequest = Extract<KernelRequest, { type: "execute" }>;
/** The two cell workers of a kernel. */
export type RealmName = "cells" | "judge";

/** The execution in progress and what it has sent. */
export interface Running {
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
export const MAX_DISPLAYS_PER_CELL = 1000;
const MAX_DISPLAY_CHARS_PER_CELL = 16 * 1024 * 1024;
const MAX_UPDATE_CHARS = 8 * 1024 * 1024;
export const UPDATE_INTERVAL_MS = 50;
/** A worker's display data as a MIME bundle (anything else becomes its text). */
export function plainBundle(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === "object" && !Array.isArray(data)
    ? data as Record<string, unknown>
    : { "text/plain": String(data) };
}

/** Sends a notice on stderr once per execution and `key`. */
export function notice(current: Running, key: string, text: string): void {
  if (current.noticed.has(key)) return;
  current.noticed.add(key);
  send({ type: "stream", id: current.request.id, name: "stderr", text });
}

/** Sends stream text, at most `outputLimitBytes` (plus room for the worker's notices). */
export function sendStream(
  current: Running,
  name: "stdout" | "stderr",
  text: string,
  outputLimitBytes: number,
): void {
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

/** Sends a display, or keeps a display update to send with the next flush. */
export function sendDisplay(
  current: Running,
  message: Extract<FromWorker, { type: "display" }>,
): void {
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

/** Sends the newest pending update of each display. */
export function flushUpdates(current: Running): void {
  clearTimeout(current.updateTimer);
  current.updateTimer = undefined;
  const pending = [...current.updates.values()];
  current.updates.clear();
  for (const event of pending) sendLimited(current, event, "update");
}

/** Sends `event` unless it passes this execution's limit for its kind (then one notice). */
export function sendLimited(
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

/** Calls `handle` with each request read from stdin; resolves when stdin closes. */
export async function forEachRequest(handle: (request: KernelRequest) => void): Promise<void> {
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
}

/** Sends a cell's error with its stack mapped to the cell's own lines and no host paths. */
export function sendError(
  current: Running,
  message: Extract<FromWorker, { type: "error" }>,
  cells: ReadonlyMap<string, CellSourceMap>,
  rootUrl: string,
): void {
  const mapped = mapStack(String(message.stack), (tag) => cells.get(tag), current.tag, rootUrl);
  sendLimited(current, {
    type: "error",
    id: current.request.id,
    name: String(message.name).slice(0, 200),
    message: hidePaths(String(message.message), rootUrl).slice(0, 64 * 1024),
    stack: mapped.stack.slice(0, 64 * 1024),
    line: mapped.line,
    column: mapped.column,
  }, "stream");
}

function timeLimitText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The status and message of the reply of `current`, which ended with `status`. */
export function stopReply(
  current: Running,
  status: ExecuteStatus,
  message: string | undefined,
  defaultTimeoutMs: number,
): [ExecuteStatus, string | undefined] {
  if (current.stopReason === "timeout" && status === "interrupted") {
    return [
      "timeout",
      message ??
        `The cell reached its time limit (${
          timeLimitText(current.request.timeoutMs ?? defaultTimeoutMs)
        }) and stopped; variables were kept.`,
    ];
  }
  if (status === "interrupted") {
    return [status, message ?? "Interrupted; the cell stopped and variables were kept."];
  }
  return [status, message];
}

/** Why `current` ended with the kernel: it did not stop within `graceMs` of being asked. */
export function terminatedMessage(
  current: Running,
  defaultTimeoutMs: number,
  graceMs: number,
): string {
  const why = current.stopReason === "timeout"
    ? `The cell reached its time limit (${
      timeLimitText(current.request.timeoutMs ?? defaultTimeoutMs)
    }) and did not stop within ${timeLimitText(graceMs)}`
    : `The cell did not stop within ${timeLimitText(graceMs)} of the interrupt`;
  return `${why}, so the kernel was restarted. Variables were lost; rerun the cells above.`;
}
