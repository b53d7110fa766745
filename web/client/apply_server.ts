/**
 * Folds what the server says on a lesson's socket (kernel state and epoch, queued, started,
 * outputs, done, display updates, widget values, notices) into the notebook state, and the
 * small immutable helpers the reducers share. Pure, like `state.ts`.
 *
 * @module
 */
import type { MimeBundle, WidgetValue } from "../../runtime/vocabulary.ts";
import type { CellOutput, ServerMessage } from "../messages.ts";
import { carryWidgets, dropCarried, placeOutput } from "./reactivity.ts";
import type { CellState, NotebookState, Notice } from "./state.ts";

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

export function patch(
  state: NotebookState,
  cellId: string,
  change: Partial<CellState>,
): NotebookState {
  const cell = state.cells[cellId];
  if (cell === undefined) return state;
  return { ...state, cells: { ...state.cells, [cellId]: { ...cell, ...change } } };
}

export function addNotice(
  state: NotebookState,
  level: Notice["level"],
  text: string,
): NotebookState {
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

export function applyServer(
  state: NotebookState,
  message: ServerMessage,
  now: number,
): NotebookState {
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

/** Sets one widget's value (the same state back when it is unchanged). */
export function withWidget(
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
