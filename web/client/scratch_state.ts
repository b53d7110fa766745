/**
 * The reducer of scratch cells in the page (add above or below a cell, delete, undo the last
 * delete, move up or down): pure, on top of the layout in `notebook/course/scratch_cells.ts`.
 * Lesson cells are never deleted or moved: asking for it leaves a notice that says so.
 *
 * @module
 */
import {
  insertScratch,
  layoutPage,
  type LessonSlot,
  moveScratch,
  type ScratchCell,
  type ScratchPlacement,
} from "../../notebook/course/scratch_cells.ts";
import { addNotice } from "./apply_server.ts";
import { type CellState, cellState, type NotebookState } from "./state.ts";

/** A deleted scratch cell, kept so Z can bring it back where it was. */
export interface DeletedScratch {
  cell: CellState;
  placement: ScratchPlacement;
  /** Its index in the scratch list when it was deleted. */
  index: number;
}

/** How many deletions Z can undo. */
export const UNDO_DEPTH = 20;

/** The scratch actions of the notebook reducer. */
export type ScratchAction =
  | { type: "addScratch"; id: string; relativeTo: string | null; side: "above" | "below" }
  | { type: "deleteCell"; cellId: string }
  | { type: "undoDelete" }
  | { type: "moveCell"; cellId: string; delta: 1 | -1 };

/** The runnable cells in page order: the lesson's and the scratch cells between them. */
export function pageRunOrder(
  layout: readonly LessonSlot[],
  scratch: readonly ScratchPlacement[],
  cells: Record<string, CellState>,
): string[] {
  return layoutPage(layout, scratch).flatMap((item) =>
    item.kind !== "prose" && cells[item.id]?.runnable ? [item.id] : []
  );
}

/** The scratch cells as the server saves them: placement and current source, in order. */
export function scratchList(
  state: NotebookState,
  sourceOf: (id: string) => string | undefined = () => undefined,
): ScratchCell[] {
  return state.scratch.map((p) => ({
    ...p,
    source: sourceOf(p.id) ?? state.cells[p.id]?.source ?? "",
  }));
}

function withScratch(
  state: NotebookState,
  scratch: ScratchPlacement[],
  cells = state.cells,
): NotebookState {
  return { ...state, scratch, cells, runOrder: pageRunOrder(state.layout, scratch, cells) };
}

const LESSON_CELL_STAYS = "Lesson cells cannot be deleted or moved; Reset restores a lesson " +
  "cell's code. Add your own cells with A or B (or +) and delete those with D, D.";

/** Applies one scratch action. */
export function reduceScratch(state: NotebookState, action: ScratchAction): NotebookState {
  switch (action.type) {
    case "addScratch": {
      if (state.cells[action.id] !== undefined) return state;
      const scratch = insertScratch(
        state.layout,
        state.scratch,
        action.id,
        action.relativeTo,
        action.side,
      );
      const cells = { ...state.cells, [action.id]: cellState(action.id, "", { isScratch: true }) };
      return { ...withScratch(state, scratch, cells), activeId: action.id };
    }
    case "deleteCell": {
      const cell = state.cells[action.cellId];
      if (cell === undefined) return state;
      if (!cell.isScratch) return addNotice(state, "info", LESSON_CELL_STAYS);
      const index = state.scratch.findIndex((p) => p.id === action.cellId);
      const placement = state.scratch[index];
      if (placement === undefined) return state;
      if (cell.phase !== "idle") {
        return addNotice(
          state,
          "info",
          "This cell is queued or running: wait for it (or interrupt it), then delete it.",
        );
      }
      const { [action.cellId]: _, ...cells } = state.cells;
      const deleted = [...state.deleted, { cell, placement, index }].slice(-UNDO_DEPTH);
      const { [action.cellId]: __, ...widgets } = state.widgets;
      return {
        ...withScratch(state, state.scratch.filter((p) => p.id !== action.cellId), cells),
        deleted,
        widgets,
        activeId: state.activeId === action.cellId ? null : state.activeId,
      };
    }
    case "undoDelete": {
      const last = state.deleted[state.deleted.length - 1];
      if (last === undefined) return addNotice(state, "info", "No deleted cell to bring back.");
      const scratch = [...state.scratch];
      scratch.splice(Math.min(last.index, scratch.length), 0, last.placement);
      const cells = { ...state.cells, [last.cell.id]: last.cell };
      return {
        ...withScratch(state, scratch, cells),
        deleted: state.deleted.slice(0, -1),
        activeId: last.cell.id,
      };
    }
    case "moveCell": {
      const cell = state.cells[action.cellId];
      if (cell === undefined) return state;
      if (!cell.isScratch) return addNotice(state, "info", LESSON_CELL_STAYS);
      return withScratch(
        state,
        moveScratch(state.layout, state.scratch, action.cellId, action.delta),
      );
    }
  }
}
