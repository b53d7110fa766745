/**
 * Decodes what a page sends on its lesson's WebSocket into a {@link ClientMessage}, checking
 * every field, so a malformed, unknown or oversized message becomes a clear error for the page
 * instead of an exception in the server.
 *
 * @module
 */
import type { ClientMessage, RerunRequest } from "../messages.ts";
import { isWidgetValue } from "../../runtime/display/widget_spec.ts";

/** Largest message accepted, in characters (a cell's code travels in one). */
export const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;
/** Longest run id or cell id accepted. */
export const MAX_ID_CHARS = 200;
/** Most cells one widget change may rerun. */
export const MAX_RERUNS = 500;

/** The outcome of {@link decodeClientMessage}. */
export type DecodeResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; error: string };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    // JSON quoting escapes newlines and quotes, so the notice stays one clear line.
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  }
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function idProblem(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  if (typeof value !== "string" || value.length === 0) {
    return `"${key}" must be a non-empty string, got ${describe(value)}`;
  }
  if (value.length > MAX_ID_CHARS) {
    return `"${key}" is ${value.length} characters long, more than the limit of ${MAX_ID_CHARS}`;
  }
  return null;
}

/**
 * Decodes one WebSocket message (text, or anything else a socket may deliver).
 *
 * @example
 * ```ts
 * import { decodeClientMessage } from "./socket_messages.ts";
 * console.log(decodeClientMessage('{"type":"interrupt"}')); // { ok: true, message: { type: "interrupt" } }
 * console.log(decodeClientMessage("{").ok); // false
 * ```
 */
export function decodeClientMessage(data: unknown): DecodeResult {
  const fail = (error: string): DecodeResult => ({ ok: false, error });
  if (typeof data !== "string") {
    return fail("The server ignored a binary message: this socket takes JSON text only");
  }
  if (data.length > MAX_MESSAGE_CHARS) {
    return fail(
      `The server ignored a message of ${data.length} characters, more than the limit of ${MAX_MESSAGE_CHARS}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return fail("The server could not read a message from this page (it was not JSON)");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail(`The server ignored a message that is ${describe(parsed)}, not an object`);
  }
  const record = parsed as Record<string, unknown>;
  const type = record.type;
  switch (type) {
    case "execute": {
      const problem = idProblem(record, "runId") ?? idProblem(record, "cellId") ??
        (typeof record.code === "string"
          ? null
          : `"code" must be a string, got ${describe(record.code)}`);
      if (problem !== null) return fail(`The server ignored an execute message: ${problem}`);
      return {
        ok: true,
        message: {
          type,
          runId: record.runId as string,
          cellId: record.cellId as string,
          code: record.code as string,
        },
      };
    }
    case "interrupt":
    case "restart":
      return { ok: true, message: { type } };
    case "widget": {
      const problem = idProblem(record, "cellId") ?? idProblem(record, "key") ??
        (isWidgetValue(record.value) && String(record.value).length <= MAX_ID_CHARS
          ? null
          : `"value" must be a finite number, a boolean or a short string, got ${
            describe(record.value)
          }`);
      if (problem !== null) return fail(`The server ignored a widget message: ${problem}`);
      const { cellId, key, value } = record as { cellId: string; key: string; value: never };
      return { ok: true, message: { type, cellId, key, value } };
    }
    case "rerun": {
      const runs = record.runs;
      if (!Array.isArray(runs) || runs.length > MAX_RERUNS) {
        return fail(
          `The server ignored a rerun message: "runs" must be an array of at most ${MAX_RERUNS} cells, got ${
            describe(runs)
          }`,
        );
      }
      for (const run of runs) {
        const item = (typeof run === "object" && run !== null ? run : {}) as Record<
          string,
          unknown
        >;
        const problem = idProblem(item, "runId") ?? idProblem(item, "cellId") ??
          (typeof item.code === "string" ? null : `"code" must be a string`);
        if (problem !== null) return fail(`The server ignored a rerun message: ${problem}`);
      }
      const clean = (runs as RerunRequest[]).map(({ runId, cellId, code }) => ({
        runId,
        cellId,
        code,
      }));
      return { ok: true, message: { type, runs: clean } };
    }
    default:
      return fail(
        typeof type === "string"
          ? `Unknown message type ${
            JSON.stringify(type.slice(0, 40))
          }: this socket takes execute, interrupt, restart, widget and rerun`
          : `The server ignored a message without a "type" string (got ${describe(type)})`,
      );
  }
}
