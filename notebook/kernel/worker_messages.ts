/**
 * Messages between the kernel process's main thread and its cell worker (internal to the
 * kernel; the server sees only `protocol.ts`).
 *
 * @module
 */
import type { ExecuteStatus } from "./protocol.ts";
import type { MimeBundle } from "../../runtime/vocabulary.ts";

/** Main thread -> cell worker. */
export type ToWorker =
  | {
    type: "init";
    /** The kernel's private channel: every later message in both directions travels on it. */
    port: MessagePort;
    flag: Int32Array;
    outputLimitBytes: number;
    /** The built SIMD GEMM module (`build/wasm/gemm.wasm`), compiled once per kernel process. */
    gemmWasm?: WebAssembly.Module;
    /** Most threads the kernels may use (the server's `--kernel-threads`); none: no cap. */
    threadLimit?: number;
  }
  | {
    type: "run";
    id: string;
    /** Tag that replaces the cell module's URL in stack traces (`gbcell-<n>`). */
    tag: string;
    js: string;
    hasResult: boolean;
    /** Saved values of the cell's widgets, by key (see `runtime/display/widgets.ts`). */
    widgets: Record<string, unknown>;
    /** Judge worker only: the answer's top-level names, read through the bridge. */
    bridge?: string[];
  }
  /** Connects the grading bridge (see `bridge.ts`): side 0 is the answer, 1 the judge. */
  | { type: "bridge"; port: MessagePort; signal: Int32Array; side: 0 | 1 }
  /** Liveness check: the worker answers `pong` when its event loop is free. */
  | { type: "ping"; seq: number }
  /** Ends an `await` in the running cell with an InterruptError. */
  | { type: "interrupt" }
  /** Answer to a `readFile` request: the bytes, or why they could not be read. */
  | { type: "file"; requestId: number; bytes?: Uint8Array; error?: string }
  /** Asks for a one-line summary of a top-level name's live value (editor hover). */
  | { type: "inspect"; requestId: string; name: string };

/** Cell worker -> main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "pong"; seq: number }
  | { type: "stream"; id: string; name: "stdout" | "stderr"; text: string }
  | { type: "display"; id: string; displayId: string; update: boolean; data: MimeBundle }
  | { type: "result"; id: string; data: MimeBundle }
  | { type: "error"; id: string; name: string; message: string; stack: string }
  | { type: "done"; id: string; status: Extract<ExecuteStatus, "ok" | "error" | "interrupted"> }
  /** A dataset file the worker (which has no permissions) asks the kernel process to read. */
  | { type: "readFile"; requestId: number; path: string }
  /** Answer to `inspect`: the value's summary, or `found: false` when the name is not set. */
  | { type: "inspected"; requestId: string; found: boolean; summary: string };
