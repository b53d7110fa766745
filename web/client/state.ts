/**
 * The notebook's state in the browser and the pure reducer that applies edits and the server's
 * messages to it (no DOM here, so it is unit-tested under Deno).
 *
 * @module
 */
import type { KernelState } from "../../notebook/kernel/protocol.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { LessonSlot, ScratchPlacement } from "../../notebook/course/scratch_cells.ts";
import { savedRunOrder } from "./reactivity.ts";
import type {
  CellNames,
  CellOutput,
  ExerciseProgress,
  RunStatus,
  SavedLessonState,
  SavedRun,
  ServerMessage,
} from "../messages.ts";
import { addNotice, applyServer, patch, withWidget } from "./apply_server.ts";
import {
  type DeletedScratch,
  pageRunOrder,
  reduceScratch,
  type ScratchAction,
} from "./scratch_state.ts";

export { withOutput } from "./apply_server.ts";

/** Where a cell is in its run. */
export type CellPhase = "idle" | "queued" | "busy";

/** One editable (or display-only) code cell, including an exercise's cell. */
export interface CellState {
  id: string;
  runnable: boolean;
  original: string;
  source: string;
  outputs: CellOutput[];
  executionCount: number | null;
  phase: CellPhase;
  /** The run this cell is queued for or running, to ignore messages of older runs. */
  runId: string | null;
  /** `Date.now()` when the current run started. */
  startedAt: number | null;
  elapsedMs: number | null;
  lastStatus: RunStatus | null;
  /** The cell ran without error at least once (counts as run even if a later run fails). */
  everOk: boolean;
  /** 1-based line of the last error in the cell's source. */
  errorLine: number | null;
  outputsCollapsed: boolean;
  codeCollapsed: boolean;
  /** What the code that last ran (else the current source) declares and reads. */
  names: CellNames | null;
  /** The code of the last run (null: never ran). */
  ranSource: string | null;
  /** When the last run finished, in the notebook's run order (null: never ran). */
  ranSeq: number | null;
  /** Widget panels kept on screen from the previous run until this run shows them again. */
  carriedWidgets: string[];
  /** The kernel epoch of the last run (null: unknown, saved before epochs or imported). */
  runEpoch: string | null;
  /**
   * The last run happened in a kernel that is gone (idle stop, restart, crash, a new server):
   * its outputs are still shown, but the live kernel holds nothing of it.
   */
  notInKernel: boolean;
  /** Cells above that this cell needs and that have not run in this kernel, offered to run
   * first (null: no offer shown). */
  runAboveOffer: string[] | null;
  /** A learner's own cell (`notebook/course/scratch_cells.ts`): never graded, deletable. */
  isScratch: boolean;
}

/** An exercise's grading state in the page. */
export interface ExerciseView {
  progress: ExerciseProgress;
  /** Number of hints the exercise has (their text arrives only when unlocked). */
  hintCount: number;
  /** A check is running on the server. */
  checking: boolean;
  /** `Date.now()` when the running check started. */
  checkStartedAt: number | null;
  /** A hint or the solution is being fetched. */
  unlocking: boolean;
  /** Why the last request failed (network, or refused by the server), for the learner. */
  error: string | null;
}

/** A message shown over the page for a while. */
export interface Notice {
  id: number;
  level: "info" | "warning";
  text: string;
}

/** Kernel state as the page shows it. */
export type KernelView = KernelState | "connecting";

/** The whole notebook. */
export interface NotebookState {
  cells: Record<string, CellState>;
  /** Ids of runnable cells (the lesson's and scratch cells), in page order. */
  runOrder: string[];
  /** The lesson's blocks, as the page layout sees them. */
  layout: LessonSlot[];
  /** Where each scratch cell sits, in order. */
  scratch: ScratchPlacement[];
  /** Scratch cells deleted, newest last, for Z (undo). */
  deleted: DeletedScratch[];
  kernel: KernelView;
  /** The live kernel's epoch (null until the server says). */
  kernelEpoch: string | null;
  activeId: string | null;
  notices: Notice[];
  nextNoticeId: number;
  /** Exercises by id. */
  exercises: Record<string, ExerciseView>;
  /** Last run sequence number handed out (see {@link CellState.ranSeq}). */
  runSeq: number;
  /** Widget values: cell id -> widget key -> value. */
  widgets: Record<string, Record<string, WidgetValue>>;
}

/** Everything that changes the notebook. */
export type Action =
  | { type: "edit"; cellId: string; source: string }
  | { type: "reset"; cellId: string }
  | { type: "clearOutputs"; cellId: string }
  | { type: "toggleOutputs"; cellId: string }
  | { type: "toggleCode"; cellId: string }
  | { type: "activate"; cellId: string }
  | { type: "connection"; connected: boolean }
  | { type: "notice"; level: "info" | "warning"; text: string }
  | { type: "dismiss"; id: number }
  | { type: "server"; message: ServerMessage; now: number }
  | { type: "checkStarted"; exerciseId: string; now: number }
  | { type: "unlockStarted"; exerciseId: string }
  | { type: "exerciseProgress"; exerciseId: string; progress: ExerciseProgress }
  | { type: "exerciseFailed"; exerciseId: string; message: string }
  | { type: "widget"; cellId: string; key: string; value: WidgetValue }
  | { type: "offerRunAbove"; cellId: string; cellIds: string[] | null }
  | ScratchAction;

/** Progress of an exercise nobody has touched yet. */
export const NO_PROGRESS: ExerciseProgress = {
  attempts: 0,
  bestScore: null,
  last: null,
  hintsHtml: [],
  solution: null,
  solutionRevealedAt: null,
};

/** A cell's state from its source and its saved run (if any). */
export function cellState(
  id: string,
  source: string,
  options: {
    original?: string;
    runnable?: boolean;
    isScratch?: boolean;
    run?: SavedRun;
    names?: CellNames;
    ranSeq?: number;
    codeCollapsed?: boolean;
  } = {},
): CellState {
  const { run } = options;
  const error = run?.outputs.find((o) => o.type === "error");
  return {
    id,
    runnable: options.runnable ?? true,
    original: options.original ?? source,
    source,
    outputs: run?.outputs ?? [],
    executionCount: run?.executionCount ?? null,
    phase: "idle",
    runId: null,
    startedAt: null,
    elapsedMs: run?.elapsedMs ?? null,
    lastStatus: run?.status ?? null,
    everOk: run?.status === "ok" || run?.everOk === true,
    errorLine: error?.type === "error" ? error.line ?? null : null,
    outputsCollapsed: false,
    codeCollapsed: options.codeCollapsed ?? false,
    names: options.names ?? null,
    // NOTE: the store keeps outputs, not the code that made them: assume the saved source.
    ranSource: options.ranSeq === undefined ? null : source,
    ranSeq: options.ranSeq ?? null,
    carriedWidgets: [],
    runEpoch: run?.epoch ?? null,
    notInKernel: false,
    runAboveOffer: null,
    isScratch: options.isScratch ?? false,
  };
}

/** Builds the initial state from the lesson and what was saved. */
export function initialState(
  lesson: PublicLesson,
  saved: SavedLessonState,
  names: Record<string, CellNames> = {},
): NotebookState {
  const cells: Record<string, CellState> = {};
  const runSeqs = savedRunOrder(saved.runs);
  const exercises: Record<string, ExerciseView> = {};
  const layout: LessonSlot[] = [];
  for (const block of lesson.blocks) {
    if (block.kind === "markdown") {
      layout.push({ kind: "markdown" });
      continue;
    }
    layout.push({ kind: block.kind, id: block.id });
    if (block.kind === "exercise") {
      exercises[block.id] = {
        progress: saved.exercises?.[block.id] ?? NO_PROGRESS,
        hintCount: block.hintCount,
        checking: false,
        checkStartedAt: null,
        unlocking: false,
        error: null,
      };
    }
    const original = block.kind === "code" ? block.source : block.starter;
    cells[block.id] = cellState(block.id, saved.sources[block.id] ?? original, {
      original,
      runnable: block.kind === "exercise" || block.runnable,
      run: saved.runs[block.id],
      names: names[block.id],
      ranSeq: runSeqs.get(block.id),
      codeCollapsed: block.kind === "code" && block.hidden,
    });
  }
  const scratch: ScratchPlacement[] = [];
  for (const { source, ...placement } of saved.scratch ?? []) {
    if (cells[placement.id] !== undefined) continue;
    scratch.push(placement);
    cells[placement.id] = cellState(placement.id, source, {
      isScratch: true,
      run: saved.runs[placement.id],
      names: names[placement.id],
      ranSeq: runSeqs.get(placement.id),
    });
  }
  return {
    cells,
    runOrder: pageRunOrder(layout, scratch, cells),
    layout,
    scratch,
    deleted: [],
    kernel: "connecting",
    kernelEpoch: null,
    activeId: null,
    notices: [],
    nextNoticeId: 1,
    exercises,
    runSeq: runSeqs.size,
    widgets: saved.widgets ?? {},
  };
}

function patchExercise(
  state: NotebookState,
  exerciseId: string,
  change: Partial<ExerciseView>,
): NotebookState {
  const exercise = state.exercises[exerciseId];
  if (exercise === undefined) return state;
  return { ...state, exercises: { ...state.exercises, [exerciseId]: { ...exercise, ...change } } };
}

/** Applies one action. */
export function reduce(state: NotebookState, action: Action): NotebookState {
  switch (action.type) {
    case "edit": {
      const cell = state.cells[action.cellId];
      if (cell === undefined || cell.source === action.source) return state;
      return patch(state, action.cellId, { source: action.source, errorLine: null });
    }
    case "reset":
      return patch(state, action.cellId, {
        source: state.cells[action.cellId]?.original ?? "",
        errorLine: null,
      });
    case "clearOutputs":
      return patch(state, action.cellId, { outputs: [], errorLine: null });
    case "toggleOutputs":
      return patch(state, action.cellId, {
        outputsCollapsed: !(state.cells[action.cellId]?.outputsCollapsed ?? false),
      });
    case "toggleCode":
      return patch(state, action.cellId, {
        codeCollapsed: !(state.cells[action.cellId]?.codeCollapsed ?? false),
      });
    case "activate":
      return state.activeId === action.cellId ? state : { ...state, activeId: action.cellId };
    case "connection": {
      if (action.connected) return state;
      // The server re-announces queued and running cells when the page reconnects.
      const cells = { ...state.cells };
      for (const cell of Object.values(cells)) {
        if (cell.phase !== "idle") cells[cell.id] = { ...cell, phase: "idle", runId: null };
      }
      return { ...state, cells, kernel: "connecting" };
    }
    case "notice":
      return addNotice(state, action.level, action.text);
    case "dismiss":
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case "server":
      return applyServer(state, action.message, action.now);
    case "checkStarted":
      return patchExercise(state, action.exerciseId, {
        checking: true,
        checkStartedAt: action.now,
        error: null,
      });
    case "unlockStarted":
      return patchExercise(state, action.exerciseId, { unlocking: true, error: null });
    case "exerciseProgress":
      return patchExercise(state, action.exerciseId, {
        progress: action.progress,
        checking: false,
        checkStartedAt: null,
        unlocking: false,
        error: null,
      });
    case "widget":
      return withWidget(state, action.cellId, action.key, action.value);
    case "offerRunAbove":
      return patch(state, action.cellId, { runAboveOffer: action.cellIds });
    case "exerciseFailed":
      return patchExercise(state, action.exerciseId, {
        checking: false,
        checkStartedAt: null,
        unlocking: false,
        error: action.message,
      });
    default:
      return reduceScratch(state, action);
  }
}

/** The lesson's runnable cells (scratch cells left out: they never count as progress). */
export function lessonRunOrder(state: NotebookState): string[] {
  return state.runOrder.filter((id) => state.cells[id]?.isScratch === false);
}

/** Number of the lesson's runnable cells whose last run ended "ok". */
export function cellsDone(state: NotebookState): number {
  // NOTE: counted as the server counts (`ever_ok`): a later failed run never lowers it.
  return lessonRunOrder(state).filter((id) => state.cells[id]?.everOk === true).length;
}
