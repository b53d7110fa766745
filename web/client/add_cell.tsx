/**
 * The "+" between cells: adds a scratch cell (the learner's own, never graded) right below the
 * cell above it and puts the cursor in it. Quiet until the pointer or the keyboard reaches it.
 *
 * @module
 */
import type { NotebookController } from "./controller.ts";

/** The "+" below the cell `cellId`. */
export function AddCellBar(
  { cellId, controller }: { cellId: string; controller: NotebookController },
) {
  return (
    <div class="add-cell">
      <button
        type="button"
        class="add-cell-button"
        title="Add a scratch cell of your own here (B below, A above in command mode)"
        onClick={() => controller.addScratch(cellId, "below", "edit")}
      >
        + Scratch cell
      </button>
    </div>
  );
}
