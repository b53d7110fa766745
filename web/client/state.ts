/**
 * The notebook's state in the browser and the pure reducer that applies edits and the server's
 * messages to it (no DOM here, so it is unit-tested under Deno).
 *
 * @module
 */
import type { KernelState } from "../../notebook/kernel/protocol.ts";
import type { MimeBundle, WidgetValue } from "../../runtime/vocabulary.ts";
import type { PublicLesson } from "../../notebook/course/types.ts";
import { carryWidgets, dropCarried, placeOutput, savedRunOrder } from "./reactivity.ts";
import type {
  CellNames,
  CellOutput,
  ExerciseProgress,
  RunStatus,
  SavedLessonState,
  ServerMessage,
} from "../messages.ts";

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
  /** Ids of runnable cells, in lesson order. */
  runOrder: string[];
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
  | { type: "offerRunAbove"; cellId: string; cellIds: string[] | null };

/** Progress of an exercise nobody has touched yet. */
export const NO_PROGRESS: ExerciseProgress = {
  attempts: 0,
  bestScore: null,
  last: null,
  hintsHtml: [],
  solution: null,
  solutionRevealedAt: null,
};

/** Builds the initial state from the lesson and what was saved. */
export function initialState(
  lesson: PublicLesson,
  saved: SavedLessonState,
  names: Record<string, CellNames> = {},
): NotebookState {
  const cells: Record<string, CellState> = {};
  const runSeqs = savedRunOrder(saved.runs);
  const runOrder: string[] = [];
  const exercises: Record<string, ExerciseView> = {};
  for (const block of lesson.blocks) {
    if (block.kind === "markdown") continue;
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
    const runnable = block.kind === "exercise" || block.runnable;
    const run = saved.runs[block.id];
    const error = run?.outputs.find((o) => o.type === "error");
    cells[block.id] = {
      id: block.id,
      runnable,
      original,
      source: saved.sources[block.id] ?? original,
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
      codeCollapsed: block.kind === "code" && block.hidden,
      names: names[block.id] ?? null,
      // NOTE: the store keeps outputs, not the code that made them: assume the saved source.
      ranSource: runSeqs.has(block.id) ? saved.sources[block.id] ?? original : null,
      ranSeq: runSeqs.get(block.id) ?? null,
      carriedWidgets: [],
      runEpoch: run?.epoch ?? null,
      notInKernel: false,
      runAboveOffer: null,
    };
    if (runnable) runOrder.push(block.id);
  }
  return {
    cells,
    runOrder,
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

/** Appends an output, merging consecutive chunks of one stream (returns a new array). */
export function withOutput(outputs: CellOutput[], output: CellOutput): CellOutput[] {
  const last = outputs[outputs.length - 1];
  if (output.type === "stream" && last?.type === "stream" && last.name === output.name) {
    return [...outputs.slice(0, -1), { ...last, text: last.text + output.text }];
  }
  return [...outputs, output];
}

function updateDisplays(
  cells: Record<string, CellState>,
  displayId: string,
  data: MimeBundle,
): Record<string, CellState> {
  let changed: Record<string, CellState> | null = null;
  for (const cell of Object.values(cells)) {
    if (!cell.outputs.some((o) => o.type === "display" && o.displayId === displayId)) continue;
    changed ??= { ...cells };
    changed[cell.id] = {
      ...cell,
      outputs: cell.outputs.map((o) =>
        o.type === "display" && o.displayId === displayId ? { ...o, data } : o
      ),
    };
  }
  return changed ?? cells;
}

function patch(state: NotebookState, cellId: string, change: Partial<CellState>): NotebookState {
  const cell = state.cells[cellId];
  if (cell === undefined) return state;
  return { ...state, cells: { ...state.cells, [cellId]: { ...cell, ...change } } };
}

function addNotice(state: NotebookState, level: Notice["level"], text: string): NotebookState {
  const notice = { id: state.nextNoticeId, level, text };
  return { ...state, notices: [...state.notices.slice(-3), notice], nextNoticeId: notice.id + 1 };
}

/**
 * The kernel now has epoch `epoch`: runs of other epochs are no longer held by it, so they stop
 * counting as run (for stale marking and reproducibility) and show "not run in this kernel".
 */
function withEpoch(state: NotebookState, epoch: string): NotebookState {
  const cells = { ...state.cells };
  for (const cell of Object.values(cells)) {
    const notInKernel = cell.lastStatus !== null && cell.runEpoch !== epoch;
    if (!notInKernel && !cell.notInKernel) continue;
    cells[cell.id] = notInKernel
      ? { ...cell, notInKernel, ranSeq: null, ranSource: null }
      : { ...cell, notInKernel };
  }
  return { ...state, cells, kernelEpoch: epoch };
}

function applyServer(state: NotebookState, message: ServerMessage, now: number): NotebookState {
  switch (message.type) {
    case "kernel":
      if (message.epoch === undefined || message.epoch === state.kernelEpoch) {
        return { ...state, kernel: message.state };
      }
      return withEpoch({ ...state, kernel: message.state }, message.epoch);
    case "notice":
      return addNotice(state, message.level, message.text);
    case "update":
      return { ...state, cells: updateDisplays(state.cells, message.displayId, message.data) };
    case "widget":
      return withWidget(state, message.cellId, message.key, message.value);
    default:
      break;
  }
  const cell = state.cells[message.cellId];
  if (cell === undefined) return state;
  switch (message.type) {
    case "queued":
      return patch(state, cell.id, { phase: "queued", runId: message.runId });
    case "started": {
      if (cell.runId !== message.runId && cell.phase === "busy") return state;
      const kept = carryWidgets(cell.outputs);
      return patch(state, cell.id, {
        phase: "busy",
        runId: message.runId,
        startedAt: now,
        outputs: kept.outputs,
        carriedWidgets: kept.carried,
        errorLine: null,
        outputsCollapsed: false,
        ranSource: message.code ?? cell.source,
        names: message.names ?? cell.names,
      });
    }
    case "output": {
      if (cell.runId !== message.runId) return state;
      const { output } = message;
      const placed = placeOutput(cell.outputs, cell.carriedWidgets, output, withOutput);
      return patch(state, cell.id, {
        outputs: placed.outputs,
        carriedWidgets: placed.carried,
        errorLine: output.type === "error" && output.line !== undefined
          ? output.line
          : cell.errorLine,
      });
    }
    case "done": {
      if (cell.runId !== message.runId) return state;
      if (message.status === "aborted") {
        return patch(state, cell.id, { phase: "idle", runId: null, lastStatus: "aborted" });
      }
      const kept = dropCarried(cell.outputs, cell.carriedWidgets);
      const outputs = message.status !== "ok" && message.message !== undefined
        ? withOutput(kept, { type: "notice", level: "warning", text: message.message })
        : kept;
      const runSeq = state.runSeq + 1;
      const runEpoch = message.epoch ?? state.kernelEpoch;
      const notInKernel = runEpoch !== state.kernelEpoch;
      return patch({ ...state, runSeq }, cell.id, {
        runEpoch,
        notInKernel,
        phase: "idle",
        runId: null,
        outputs,
        carriedWidgets: [],
        ranSeq: notInKernel ? null : runSeq,
        executionCount: message.executionCount,
        elapsedMs: message.elapsedMs,
        lastStatus: message.status,
        everOk: cell.everOk || message.status === "ok",
        startedAt: null,
      });
    }
  }
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
  }
}

function withWidget(
  state: NotebookState,
  cellId: string,
  key: string,
  value: WidgetValue,
): NotebookState {
  if (state.widgets[cellId]?.[key] === value) return state;
  return {
    ...state,
    widgets: { ...state.widgets, [cellId]: { ...state.widgets[cellId], [key]: value } },
  };
}

/** Number of runnable cells that have ever run without error (a later failure keeps them). */
export function cellsDone(state: NotebookState): number {
  // NOTE: counted as the server counts (`ever_ok`): a later failed run never lowers it.
  return state.runOrder.filter((id) => state.cells[id]?.everOk === true).length;
}
