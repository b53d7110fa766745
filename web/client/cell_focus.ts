/**
 * Where the keyboard is among a lesson page's cells: a cell's editor (edit mode), the cell
 * itself (Jupyter's command mode), and the way from one cell to its neighbours in page order.
 *
 * @module
 */
import type { EditorHandle } from "./editor.ts";

/** Moves the focus between the cells whose editors are registered in `editors`. */
export class CellFocus {
  constructor(
    private readonly editors: ReadonlyMap<string, EditorHandle>,
    /** Marks a cell as the active one in the page state. */
    private readonly activate: (cellId: string) => void,
  ) {}

  /** Focuses the editor of the next cell after `cellId` that passes `keep`; false if none. */
  focusNext(cellId: string, keep: (id: string) => boolean): boolean {
    const next = this.neighbour(cellId, 1, keep);
    if (next === null) return false;
    this.editors.get(next)?.focus();
    document.getElementById(`cell-${next}`)?.scrollIntoView({
      block: "nearest",
      behavior: "smooth",
    });
    this.activate(next);
    return true;
  }

  /**
   * Command mode (Jupyter's): the cell stays selected but its editor lets go of the keyboard,
   * so single keys act on cells (see `command_mode.ts`).
   */
  enterCommandMode(cellId: string): void {
    this.editors.get(cellId)?.blur();
    this.activate(cellId);
    document.getElementById(`cell-${cellId}`)?.focus({ preventScroll: true });
  }

  /** Edit mode: focuses the cell's editor. */
  editCell(cellId: string): void {
    this.editors.get(cellId)?.focus();
    this.activate(cellId);
  }

  /** Selects the cell `delta` places away (in command mode); returns its id, or null at an end. */
  selectNeighbour(cellId: string, delta: 1 | -1): string | null {
    const next = this.neighbour(cellId, delta);
    if (next === null) return null;
    document.getElementById(`cell-${next}`)?.scrollIntoView({ block: "nearest" });
    this.enterCommandMode(next);
    return next;
  }

  /**
   * The nearest cell with an editor in direction `delta` from `cellId`, in page order, that
   * passes `keep`.
   */
  neighbour(
    cellId: string,
    delta: 1 | -1,
    keep: (id: string) => boolean = () => true,
  ): string | null {
    const ordered = [...this.editors.keys()]
      .map((id) => ({ id, element: document.getElementById(`cell-${id}`) }))
      .filter((entry) => entry.element !== null)
      .sort((a, b) =>
        a.element!.compareDocumentPosition(b.element!) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1
      )
      .map((entry) => entry.id);
    const index = ordered.indexOf(cellId);
    if (index < 0) return null;
    const candidates = delta > 0 ? ordered.slice(index + 1) : ordered.slice(0, index).reverse();
    return candidates.find(keep) ?? null;
  }
}
