/**
 * Jupyter's command mode: Escape in an editor leaves the cell selected with the keyboard focus
 * on the cell itself, and then single keys act on cells:
 *
 * | key | does |
 * |---|---|
 * | Enter | edit the cell (focus its editor) |
 * | Shift+Enter | run the cell and select the next one |
 * | Ctrl/Cmd+Enter | run the cell |
 * | J or ↓, K or ↑ | select the next or previous cell |
 * | O | show or hide the cell's outputs |
 * | I, I (twice) | interrupt the kernel |
 * | A, B | add a scratch cell above, below |
 * | D, D (twice) | delete a scratch cell (lesson cells stay) |
 * | Z | bring back the last deleted cell |
 * | Ctrl/Cmd+Shift+↑, ↓ | move a scratch cell up, down |
 *
 * @module
 */

/** What a key press asks for in command mode. */
export type CellCommand =
  | "edit"
  | "run-and-next"
  | "run"
  | "next"
  | "previous"
  | "toggle-outputs"
  | "interrupt"
  | "insert-above"
  | "insert-below"
  | "delete"
  | "undo-delete"
  | "move-up"
  | "move-down";

/** The parts of a keyboard event that {@link commandForKey} reads. */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** How soon the second key of "I, I" or "D, D" must follow the first, in milliseconds. */
export const DOUBLE_PRESS_MS = 800;

/** A lone press of a key that counts only twice in a row ("i" or "d"), and when it was. */
export interface FirstPress {
  key: string;
  at: number;
}

/**
 * The command for a key press, or null for keys command mode leaves alone. `previous` is the
 * last lone "i" or "d" press (for "I, I" and "D, D"), `now` the time of this one.
 */
export function commandForKey(
  press: KeyPress,
  now: number,
  previous: FirstPress | null,
): CellCommand | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  if (press.key === "Enter") {
    if (mod) return "run";
    return press.shiftKey ? "run-and-next" : "edit";
  }
  if (mod && press.shiftKey && press.key === "ArrowUp") return "move-up";
  if (mod && press.shiftKey && press.key === "ArrowDown") return "move-down";
  if (mod || press.shiftKey) return null;
  const twice = (key: string) =>
    previous !== null && previous.key === key && now - previous.at <= DOUBLE_PRESS_MS;
  switch (press.key) {
    case "j":
    case "ArrowDown":
      return "next";
    case "k":
    case "ArrowUp":
      return "previous";
    case "o":
      return "toggle-outputs";
    case "i":
      return twice("i") ? "interrupt" : null;
    case "d":
      return twice("d") ? "delete" : null;
    case "a":
      return "insert-above";
    case "b":
      return "insert-below";
    case "z":
      return "undo-delete";
    default:
      return null;
  }
}

/** What command mode drives: the notebook controller's cell actions. */
export interface CommandTarget {
  editCell(cellId: string): void;
  runCell(cellId: string): void;
  selectNeighbour(cellId: string, delta: 1 | -1): string | null;
  toggleOutputs(cellId: string): void;
  interrupt(): void;
  addScratch(cellId: string, side: "above" | "below"): void;
  deleteCell(cellId: string): void;
  undoDelete(): void;
  moveCell(cellId: string, delta: 1 | -1): void;
}

/**
 * Listens for command-mode keys on `root` (the document): they count only while a cell element
 * itself has the focus, never while an editor, a widget or a button has it. Returns a function
 * that stops listening.
 */
export function installCommandMode(root: Document, target: CommandTarget): () => void {
  let previous: FirstPress | null = null;
  const onKey = (event: KeyboardEvent) => {
    const focused = root.activeElement;
    if (!(focused instanceof HTMLElement) || !focused.classList.contains("cell")) return;
    const cellId = focused.dataset.cellId;
    if (!cellId) return;
    const now = performance.now();
    const command = commandForKey(event, now, previous);
    previous = (event.key === "i" || event.key === "d") && command === null
      ? { key: event.key, at: now }
      : null;
    if (command === null) return;
    event.preventDefault();
    switch (command) {
      case "edit":
        return target.editCell(cellId);
      case "run":
        return target.runCell(cellId);
      case "run-and-next":
        target.runCell(cellId);
        // After the last cell, a new scratch cell below (as in JupyterLab).
        if (target.selectNeighbour(cellId, 1) === null) target.addScratch(cellId, "below");
        return;
      case "next":
        target.selectNeighbour(cellId, 1);
        return;
      case "previous":
        target.selectNeighbour(cellId, -1);
        return;
      case "toggle-outputs":
        return target.toggleOutputs(cellId);
      case "interrupt":
        return target.interrupt();
      case "insert-above":
        return target.addScratch(cellId, "above");
      case "insert-below":
        return target.addScratch(cellId, "below");
      case "delete":
        return target.deleteCell(cellId);
      case "undo-delete":
        return target.undoDelete();
      case "move-up":
        return target.moveCell(cellId, -1);
      case "move-down":
        return target.moveCell(cellId, 1);
    }
  };
  root.addEventListener("keydown", onKey);
  return () => root.removeEventListener("keydown", onKey);
}
