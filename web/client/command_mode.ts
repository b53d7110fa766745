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
  | "interrupt";

/** The parts of a keyboard event that {@link commandForKey} reads. */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** How soon the second I of "I, I" must follow the first, in milliseconds. */
export const DOUBLE_PRESS_MS = 800;

/**
 * The command for a key press, or null for keys command mode leaves alone. `previousI` is the
 * time of the last lone "i" press (for "I, I"), `now` the time of this one.
 */
export function commandForKey(
  press: KeyPress,
  now: number,
  previousI: number | null,
): CellCommand | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  if (press.key === "Enter") {
    if (mod) return "run";
    return press.shiftKey ? "run-and-next" : "edit";
  }
  if (mod || press.shiftKey) return null;
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
      return previousI !== null && now - previousI <= DOUBLE_PRESS_MS ? "interrupt" : null;
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
}

/**
 * Listens for command-mode keys on `root` (the document): they count only while a cell element
 * itself has the focus, never while an editor, a widget or a button has it. Returns a function
 * that stops listening.
 */
export function installCommandMode(root: Document, target: CommandTarget): () => void {
  let previousI: number | null = null;
  const onKey = (event: KeyboardEvent) => {
    const focused = root.activeElement;
    if (!(focused instanceof HTMLElement) || !focused.classList.contains("cell")) return;
    const cellId = focused.dataset.cellId;
    if (!cellId) return;
    const now = performance.now();
    const command = commandForKey(event, now, previousI);
    previousI = event.key === "i" && command === null ? now : null;
    if (command === null) return;
    event.preventDefault();
    switch (command) {
      case "edit":
        return target.editCell(cellId);
      case "run":
        return target.runCell(cellId);
      case "run-and-next":
        target.runCell(cellId);
        target.selectNeighbour(cellId, 1);
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
    }
  };
  root.addEventListener("keydown", onKey);
  return () => root.removeEventListener("keydown", onKey);
}
