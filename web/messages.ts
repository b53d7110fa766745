/**
 * The typed JSON that travels between the notebook server (`web/server/`) and the browser client
 * (`web/client/`): the page bootstrap data, saved cell state, and the WebSocket messages of a
 * lesson's kernel channel. Both sides import these types; the client receives typed JSON only.
 *
 * @module
 */
import type { PublicLesson } from "../notebook/course/types.ts";
import type { ScratchCell } from "../notebook/course/scratch_cells.ts";
import type { ExportedAttempt } from "../notebook/grader/gradebook.ts";
import type { ExecuteStatus, KernelState } from "../notebook/kernel/protocol.ts";
import type { MimeBundle, WidgetValue } from "../runtime/vocabulary.ts";

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
  /**
   * The kernel epoch the run happened in (see the `kernel` server message); absent for runs
   * saved before epochs existed or imported. A run from another epoch than the live kernel's
   * is "not run in this kernel": the kernel does not hold what it made.
   */
  epoch?: string;
  /**
   * The cell ran without error at least once before (set only when `status` is not "ok"): it
   * still counts as run, so experimenting never lowers progress.
   */
  everOk?: boolean;
}

/** Saved state of one lesson: edited sources and last runs, both keyed by cell id. */
export interface SavedLessonState {
  sources: Record<string, string>;
  runs: Record<string, SavedRun>;
  /** The learner's progress on each exercise of the lesson, by exercise id. */
  exercises?: Record<string, ExerciseProgress>;
  /** Saved widget values (`input.slider`, ...): cell id -> widget key -> value. */
  widgets?: Record<string, Record<string, WidgetValue>>;
  /** The learner's scratch cells, in order (`notebook/course/scratch_cells.ts`). */
  scratch?: ScratchCell[];
}

/** Body of `POST /api/lessons/:slug/scratch`: every scratch cell of the lesson, in order. */
export interface SaveScratchRequest {
  cells: ScratchCell[];
}

/** The runtime names a cell declares and reads (`notebook/cell/cell_model.ts`). */
export interface CellNames {
  declares: string[];
  reads: string[];
}

/** A cell to rerun because a widget it depends on changed. */
export interface RerunRequest {
  runId: string;
  cellId: string;
  code: string;
}

/** A graded attempt as the browser sees it (the checked code is not sent back). */
export type AttemptView = Omit<ExportedAttempt, "source">;

/**
 * A learner's progress on one exercise, as sent to the browser: only the hints they unlocked,
 * and the solution only once they revealed it.
 */
export interface ExerciseProgress {
  attempts: number;
  /** Best score over all attempts, null before the first. */
  bestScore: number | null;
  /** The newest attempt's result. */
  last: AttemptView | null;
  /** Rendered HTML of the unlocked hints, in order. */
  hintsHtml: string[];
  /** The reference solution, only after the learner revealed it. */
  solution: string | null;
  solutionRevealedAt: number | null;
}

/** Body of `POST /api/lessons/:slug/exercises/:id/check`. */
export interface CheckRequest {
  code: string;
}

/** Body of `POST /api/lessons/:slug/exercises/:id/hints`: unlock hints up to `index` (0-based). */
export interface HintRequest {
  index: number;
}

/** Answer of the exercise routes (check, hints, solution). */
export interface ExerciseResponse {
  progress: ExerciseProgress;
  /** The lesson's updated link, for the sidebar's progress. */
  link: LessonLink;
}

/** Answer of `POST /api/progress/import`. */
export interface ImportResponse {
  imported: {
    lessons: number;
    sources: number;
    cellsDone: number;
    attempts: number;
    widgets: number;
    scratch: number;
  };
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
  /** Exercises of the lesson. */
  exerciseCount: number;
  /** Sum of the exercises' points. */
  pointsTotal: number;
  /** Sum of the best score of each exercise. */
  pointsEarned: number;
}

/** The JSON embedded in a lesson page, read by the client at start. */
export interface LessonPageData {
  lesson: PublicLesson;
  saved: SavedLessonState;
  course: LessonLink[];
  /** What each runnable cell's current source declares and reads, for stale marking. */
  names?: Record<string, CellNames>;
}

/** Messages the browser sends on a lesson's WebSocket. */
export type ClientMessage =
  | { type: "execute"; runId: string; cellId: string; code: string }
  | { type: "interrupt" }
  | { type: "restart" }
  /** A widget changed: save its value (the cell's next run resolves to it). */
  | { type: "widget"; cellId: string; key: string; value: WidgetValue }
  /**
   * Reruns cells because a widget changed: replaces earlier widget reruns still waiting, and
   * interrupts one running (it restarts with the new value).
   */
  | { type: "rerun"; runs: RerunRequest[] };

/** Messages the server sends on a lesson's WebSocket. */
export type ServerMessage =
  | {
    type: "kernel";
    state: KernelState;
    reason?: string;
    /**
     * The kernel epoch: a new id each time the lesson's kernel (re)starts or stops (restart,
     * idle stop, cull, crash, a new server), so a page can tell which saved runs it holds.
     */
    epoch?: string;
  }
  | { type: "queued"; runId: string; cellId: string }
  | {
    type: "started";
    runId: string;
    cellId: string;
    /** The code that runs, and what it declares and reads (for stale marking). */
    code?: string;
    names?: CellNames;
  }
  /** A widget's value changed (on this page or another one open on the lesson). */
  | { type: "widget"; cellId: string; key: string; value: WidgetValue }
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
    /** The kernel epoch the run finished in. */
    epoch?: string;
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

/**
 * Formats exercise points as "3/7 pts" (at most two decimals), for the index, sidebar and
 * exercise results.
 *
 * @example
 * ```ts
 * import { formatPoints } from "./messages.ts";
 * console.log(formatPoints(1.3333, 2)); // "1.33/2 pts"
 * ```
 */
export function formatPoints(earned: number, total: number): string {
  const round = (x: number) => String(Math.round(x * 100) / 100);
  return `${round(earned)}/${round(total)} pts`;
}
