/**
 * The one place where messages between the server and a kernel process are typed.
 *
 * Transport: newline-delimited JSON over the kernel process's stdin (requests) and stdout
 * (events). Every message carries `v: PROTOCOL_VERSION`; a peer that receives another version
 * answers with an `error` event and ignores the message.
 *
 * @module
 */
import type { SourceMapLines } from "./cell_source_map.ts";
import type { MimeBundle, WidgetValue } from "../../runtime/vocabulary.ts";

/** Version of the kernel protocol; bump on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/**
 * The exit code of a kernel process that ended itself to be started afresh: a cell ignored an
 * interrupt or its time limit, and a worker spinning in synchronous code cannot be stopped from
 * inside the process (issue #26). The server starts a new kernel without calling it a crash.
 */
export const KERNEL_RESTART_EXIT_CODE = 75;

/** Kernel lifecycle states, as shown to the user. */
export type KernelState = "starting" | "idle" | "busy" | "dead";

/** How one execution ended. */
export type ExecuteStatus = "ok" | "error" | "interrupted" | "timeout" | "died";

/** A cell compiled by the host: the module and its decoded source map, or its syntax error. */
export type HostCompiledCell =
  | { js: string; hasResult: boolean; lines: SourceMapLines }
  | { syntaxError: { message: string; line: number; column: number } };

/** Requests the server sends to a kernel. */
export type KernelRequest =
  | {
    type: "execute";
    /** Request id chosen by the server; every event about this execution carries it. */
    id: string;
    cellId: string;
    code: string;
    /** Per-cell time limit in ms (default: kernel's configured limit). */
    timeoutMs?: number;
    /** Saved values of this cell's widgets (`input.slider`, ...), by widget key. */
    widgets?: Record<string, WidgetValue>;
    /**
     * "judge" runs the cell in the grading realm (the lesson's setup, checks and hidden tests),
     * a worker the answer's cells cannot reach; default "cells".
     */
    realm?: "cells" | "judge";
    /** Judge only: the answer's top-level names, read from the cells realm through the bridge. */
    bridge?: string[];
    /**
     * The cell as the host compiled it (`cell_compiler.ts`), so the kernel never loads
     * TypeScript; absent, the kernel compiles `code` itself (and loads TypeScript to do so).
     */
    compiled?: HostCompiledCell;
  }
  | { type: "interrupt" }
  | { type: "complete"; id: string; code: string; cursor: number }
  | { type: "inspect"; id: string; code: string; cursor: number }
  | { type: "shutdown" };

/** A request with the protocol version attached, as written on the wire. */
export type WireRequest = KernelRequest & { v: number };

/** Events a kernel sends to the server. */
export type KernelEvent =
  | { type: "status"; state: KernelState; reason?: string }
  | { type: "stream"; id: string; name: "stdout" | "stderr"; text: string }
  | {
    type: "display";
    id: string;
    /** Present for updatable displays (`display(x).update(y)`). */
    displayId?: string;
    /** True when this replaces the output previously shown under `displayId`. */
    update?: boolean;
    data: MimeBundle;
  }
  | { type: "result"; id: string; executionCount: number; data: MimeBundle }
  | {
    type: "error";
    id: string;
    name: string;
    message: string;
    /** Stack with frames mapped to the cell ("cell:3:5"), no server paths. */
    stack: string;
    /** 1-based line and column in the cell's own source, when known. */
    line?: number;
    column?: number;
  }
  | {
    type: "reply";
    id: string;
    status: ExecuteStatus;
    executionCount: number;
    elapsedMs: number;
    /** Human-readable explanation for interrupted/timeout/died. */
    message?: string;
  }
  | { type: "complete_reply"; id: string; matches: string[]; from: number; to: number }
  /**
   * Answer to `interrupt`: the running cell stopped by itself ("cooperative", variables kept),
   * had to be terminated ("terminated", variables lost), or nothing was running ("idle").
   */
  | { type: "interrupt_reply"; outcome: "cooperative" | "terminated" | "idle" }
  | { type: "inspect_reply"; id: string; found: boolean; data: MimeBundle };

/** An event with the protocol version attached, as written on the wire. */
export type WireEvent = KernelEvent & { v: number };
