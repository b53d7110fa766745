/**
 * The typed JSON that travels between the notebook server (`web/server/`) and the browser client
 * (`web/client/`): the page bootstrap data, saved cell state, and the WebSocket messages of a
 * lesson's kernel channel. Both sides import these types; the client receives typed JSON only.
 *
 * @module
 */
import type { PublicLesson } from "../course/types.ts";
import type { ExecuteStatus, KernelState, MimeBundle } from "../kernel/protocol.ts";

/** One output of a cell, in the order it appeared. */
export type CellOutput =
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; data: MimeBundle; displayId?: string }
  | { type: "result"; data: MimeBundle; executionCount: number }
  | {
    type: "error";
    name: string;
    message: string;
    stack: string;
    /** 1-based line in the cell's own source, when known. */
    line?: number;
    column?: number;
  }
  /** A message from the notebook itself (interrupted, timed out, kernel died). */
  | { type: "notice"; level: "info" | "warning"; text: string };

/** How a run ended, as the client sees it: the kernel's status, or "aborted" (never started). */
export type RunStatus = ExecuteStatus | "aborted";

/** The last run of a cell, as stored and restored on reload. */
export interface SavedRun {
  outputs: CellOutput[];
  executionCount: number | null;
  status: RunStatus;
  elapsedMs: number;
  /** Unix time in ms when the run finished. */
  finishedAt: number;
}

/** Saved state of one lesson: edited sources and last runs, both keyed by cell id. */
export interface SavedLessonState {
  sources: Record<string, string>;
  runs: Record<string, SavedRun>;
}

/** A lesson as listed in the index and the sidebar. */
export interface LessonLink {
  slug: string;
  title: string;
  summary: string;
  minutes: number;
  order: number;
  /** Runnable cells of the lesson. */
  cellCount: number;
  /** Runnable cells whose last run ended with status "ok". */
  cellsDone: number;
}

/** The JSON embedded in a lesson page, read by the client at start. */
export interface LessonPageData {
  lesson: PublicLesson;
  saved: SavedLessonState;
  course: LessonLink[];
}

/** Messages the browser sends on a lesson's WebSocket. */
export type ClientMessage =
  | { type: "execute"; runId: string; cellId: string; code: string }
  | { type: "interrupt" }
  | { type: "restart" };

/** Messages the server sends on a lesson's WebSocket. */
export type ServerMessage =
  | { type: "kernel"; state: KernelState; reason?: string }
  | { type: "queued"; runId: string; cellId: string }
  | { type: "started"; runId: string; cellId: string }
  | { type: "output"; runId: string; cellId: string; output: CellOutput }
  /** Replaces the data of every output shown under `displayId` (live charts). */
  | { type: "update"; displayId: string; data: MimeBundle }
  | {
    type: "done";
    runId: string;
    cellId: string;
    status: RunStatus;
    executionCount: number | null;
    elapsedMs: number;
    message?: string;
  }
  | { type: "notice"; level: "info" | "warning"; text: string };

/** Body of `POST /api/lessons/:slug/sources`: a source per cell id, `null` to reset the cell. */
export interface SaveSourcesRequest {
  sources: Record<string, string | null>;
}

/** Body of `POST /api/lessons/:slug/outputs/clear`. */
export interface ClearOutputsRequest {
  cellIds: string[];
}
