/**
 * The notebook's actions with side effects: running cells over the WebSocket, adding, moving
 * and deleting scratch cells, clearing saved outputs, and moving the focus between cell
 * editors; autosave (`autosave.ts`) and the exercise requests (`exercise_requests.ts`) are
 * their own modules.
 *
 * @module
 */
import type { ClearOutputsRequest, LessonLink, ServerMessage } from "../messages.ts";
import { newScratchId } from "../../notebook/course/scratch_cells.ts";
import { Autosave, type SaveStatus } from "./autosave.ts";
import { ExerciseRequests } from "./exercise_requests.ts";
import { scratchList } from "./scratch_state.ts";
import { CellFocus } from "./cell_focus.ts";
import { holdEditorsFor } from "./lazy_editor.ts";
import { appPath } from "./base_path.ts";
import type { Connection } from "./connection.ts";
import type { EditorHandle } from "./editor.ts";
import type { Action, NotebookState } from "./state.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import { type DependencyCell, dependentsOf, neededCellsAbove, staleCells } from "./dependencies.ts";
import { guessNames } from "./declared_names.ts";
import { dependencyCells } from "./reactivity.ts";

/** Quiet time after a widget change before its dependents rerun. */
const RERUN_DELAY_MS = 150;
/** Longest a continuous drag waits for a rerun. */
const RERUN_MAX_WAIT_MS = 500;

export type { SaveStatus };

/** Runs and saves a lesson's cells. */
export class NotebookController {
  readonly #editors = new Map<string, EditorHandle>();
  readonly #focus: CellFocus;
  readonly #autosave: Autosave;
  readonly #exercises: ExerciseRequests;
  /** A cell just added or restored, to focus once its editor exists. */
  #focusWhenReady: { cellId: string; mode: "edit" | "command" } | null = null;
  readonly #connection: Connection;
  #runCounter = 0;
  /**
   * The first run this page sent, until its result is shown: the editors' chunk waits for it if
   * it has not loaded yet (`holdEditorsFor`).
   */
  #firstRun: { runId: string; ended: () => void } | null = null;
  readonly #runPrefix = Math.random().toString(36).slice(2, 8);
  readonly #widgetCells = new Set<string>();
  #rerunTimer: ReturnType<typeof setTimeout> | undefined;
  #firstWidgetChange: number | null = null;
  /** Called with the lesson's updated progress after an exercise request. */
  onLessonLink: (link: LessonLink) => void = () => {};

  /** `connection`: the lesson's WebSocket, opened by the page (`main.tsx`). */
  constructor(
    readonly slug: string,
    connection: Connection,
    private readonly dispatch: (action: Action) => void,
    private readonly getState: () => NotebookState,
  ) {
    this.#connection = connection;
    this.#focus = new CellFocus(this.#editors, (cellId) => dispatch({ type: "activate", cellId }));
    this.#autosave = new Autosave(
      slug,
      () => scratchList(this.getState(), (id) => this.#editors.get(id)?.getDoc()),
    );
    this.#exercises = new ExerciseRequests(
      slug,
      dispatch,
      getState,
      (id) => this.#codeOf(id),
      () => this.flush(),
      (link) => this.onLessonLink(link),
    );
  }

  /** Called when the save status changes. */
  set onSaveStatus(callback: (status: SaveStatus) => void) {
    this.#autosave.onStatus = callback;
  }

  #codeOf(cellId: string): string {
    return this.#editors.get(cellId)?.getDoc() ?? this.getState().cells[cellId]?.source ?? "";
  }

  /**
   * Listens to the lesson's WebSocket (what arrived before is handed over first) and sets the
   * page-hide flush. Runs are sent over the socket from the start: one pressed before this is
   * called is not lost.
   */
  connect(): void {
    this.#connection.listen(
      (message: ServerMessage) => {
        this.dispatch({ type: "server", message, now: Date.now() });
        if (message.type === "done" && message.runId === this.#firstRun?.runId) {
          // Released after the frame that shows the result (renders wait for a frame).
          const { ended } = this.#firstRun;
          requestAnimationFrame(() => setTimeout(ended, 0));
        }
      },
      (connected) => {
        this.dispatch({ type: "connection", connected });
        if (!connected) this.#firstRun?.ended();
      },
    );
    addEventListener("pagehide", () => this.#autosave.flushWithBeacon());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.#autosave.flushWithBeacon();
    });
  }

  /** Registers a cell's editor (or unregisters it with `null`). */
  registerEditor(cellId: string, editor: EditorHandle | null): void {
    if (editor === null) this.#editors.delete(cellId);
    else this.#editors.set(cellId, editor);
    const pending = this.#focusWhenReady;
    if (editor !== null && pending?.cellId === cellId) {
      this.#focusWhenReady = null;
      // After this render: the cell's element is in the page then.
      requestAnimationFrame(() => {
        if (pending.mode === "edit") this.editCell(cellId);
        else this.enterCommandMode(cellId);
        document.getElementById(`cell-${cellId}`)?.scrollIntoView({ block: "nearest" });
      });
    }
  }

  /** Records an edit and schedules saving it. */
  edit(cellId: string, source: string): void {
    this.dispatch({ type: "edit", cellId, source });
    if (this.getState().cells[cellId]?.isScratch) this.#autosave.scratchChanged();
    else this.#autosave.source(cellId, source);
  }

  /**
   * Adds a scratch cell above or below `cellId` (null: at the end) and focuses it: its editor
   * with `"edit"`, the cell in command mode with `"command"` (as JupyterLab's A and B do).
   */
  addScratch(cellId: string | null, side: "above" | "below", mode: "edit" | "command"): void {
    const id = newScratchId();
    this.#focusWhenReady = { cellId: id, mode };
    this.dispatch({ type: "addScratch", id, relativeTo: cellId, side });
    this.#autosave.scratchChanged(true);
  }

  /** Deletes a scratch cell (a lesson cell stays, with a notice) and selects the next cell. */
  deleteCell(cellId: string): void {
    const cell = this.getState().cells[cellId];
    const next = cell?.isScratch && cell.phase === "idle"
      ? this.#focus.neighbour(cellId, 1) ?? this.#focus.neighbour(cellId, -1)
      : null;
    // Select the neighbour first: once the cell is gone, the keyboard focus would be nowhere.
    if (next !== null) this.enterCommandMode(next);
    this.dispatch({ type: "deleteCell", cellId });
    if (this.getState().cells[cellId] !== undefined) return;
    this.#autosave.scratchChanged(true);
  }

  /** Brings back the last deleted scratch cell (Z). */
  undoDelete(): void {
    const last = this.getState().deleted.at(-1);
    if (last !== undefined) this.#focusWhenReady = { cellId: last.cell.id, mode: "command" };
    this.dispatch({ type: "undoDelete" });
    if (last !== undefined) this.#autosave.scratchChanged(true);
  }

  /** Moves a scratch cell one place up or down, keeping it selected. */
  moveCell(cellId: string, delta: 1 | -1): void {
    const before = this.getState().scratch;
    this.dispatch({ type: "moveCell", cellId, delta });
    if (this.getState().scratch === before) return;
    this.#autosave.scratchChanged(true);
    requestAnimationFrame(() => {
      this.enterCommandMode(cellId);
      document.getElementById(`cell-${cellId}`)?.scrollIntoView({ block: "nearest" });
    });
  }

  /** Marks a cell as the active one (its editor got the focus). */
  focused(cellId: string): void {
    this.dispatch({ type: "activate", cellId });
  }

  /** Shows or hides a cell's code. */
  dispatchToggleCode(cellId: string): void {
    this.dispatch({ type: "toggleCode", cellId });
  }

  /** Collapses or expands a cell's outputs. */
  dispatchToggleOutputs(cellId: string): void {
    this.dispatch({ type: "toggleOutputs", cellId });
  }

  /** Restores a cell's original source. */
  reset(cellId: string): void {
    const cell = this.getState().cells[cellId];
    if (cell === undefined) return;
    this.dispatch({ type: "reset", cellId });
    this.#editors.get(cellId)?.setDoc(cell.original);
    this.#autosave.source(cellId, null);
  }

  /** Clears a cell's outputs, here and in the saved state. */
  clearOutputs(cellId: string): void {
    this.dispatch({ type: "clearOutputs", cellId });
    const body: ClearOutputsRequest = { cellIds: [cellId] };
    void fetch(appPath(`/api/lessons/${encodeURIComponent(this.slug)}/outputs/clear`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch(() => {});
  }

  /** Queues cells to run, in order. */
  run(cellIds: string[]): void {
    const state = this.getState();
    for (const cellId of cellIds) {
      const cell = state.cells[cellId];
      if (cell === undefined || !cell.runnable) continue;
      const runId = `${this.#runPrefix}-${++this.#runCounter}`;
      const code = this.#codeOf(cellId);
      const sent = this.#connection.send({ type: "execute", runId, cellId, code });
      if (!sent) {
        this.dispatch({
          type: "notice",
          level: "warning",
          text: "Not connected to the kernel; reconnecting. Run the cell again in a moment.",
        });
        return;
      }
      this.dispatch({
        type: "server",
        message: { type: "queued", runId, cellId },
        now: Date.now(),
      });
      if (this.#firstRun === null) {
        const { promise, resolve } = Promise.withResolvers<void>();
        this.#firstRun = { runId, ended: resolve };
        holdEditorsFor(promise);
      }
    }
  }

  /** Runs the cells edited since they ran and the stale ones, in order. */
  runStale(): void {
    const state = this.getState();
    this.run(staleCells(dependencyCells(state.runOrder, state.cells)));
  }

  /**
   * A widget changed: saves its value on the server now, and reruns its cell and the cells
   * that depend on it after {@link RERUN_DELAY_MS} ms of quiet (at most
   * {@link RERUN_MAX_WAIT_MS} ms into a drag).
   */
  setWidget = (cellId: string, key: string, value: WidgetValue): void => {
    this.dispatch({ type: "widget", cellId, key, value });
    this.#connection.send({ type: "widget", cellId, key, value });
    this.#widgetCells.add(cellId);
    const now = Date.now();
    this.#firstWidgetChange ??= now;
    clearTimeout(this.#rerunTimer);
    const wait = Math.min(RERUN_DELAY_MS, this.#firstWidgetChange + RERUN_MAX_WAIT_MS - now);
    this.#rerunTimer = setTimeout(() => this.#rerunWidgets(), Math.max(0, wait));
  };

  #rerunWidgets(): void {
    this.#firstWidgetChange = null;
    const state = this.getState();
    const changed = [...this.#widgetCells];
    this.#widgetCells.clear();
    const graph = dependencyCells(state.runOrder, state.cells);
    const ids = new Set([...changed, ...dependentsOf(graph, changed)]);
    const runs = state.runOrder.filter((id) => ids.has(id)).map((cellId) => ({
      runId: `${this.#runPrefix}-${++this.#runCounter}`,
      cellId,
      code: this.#codeOf(cellId),
    }));
    if (!this.#connection.send({ type: "rerun", runs })) {
      this.dispatch({
        type: "notice",
        level: "warning",
        text: "Not connected to the kernel; the widget's value is not applied yet.",
      });
      return;
    }
    for (const { runId, cellId } of runs) {
      this.dispatch({
        type: "server",
        message: { type: "queued", runId, cellId },
        now: Date.now(),
      });
    }
  }

  /**
   * Runs a cell; with `"next"`, moves the focus to the next cell's editor. A cell that reads
   * names from cells above that have not run in this kernel is not run: the cell offers to run
   * them first ({@link runWithCellsAbove}) or to run it anyway.
   */
  runCell(cellId: string, mode: "next" | "stay", anyway = false): void {
    const state = this.getState();
    this.dispatch({ type: "offerRunAbove", cellId, cellIds: null });
    const needed = anyway ? [] : neededCellsAbove(this.#graphFor(cellId), cellId)
      .filter((id) => state.cells[id]?.phase === "idle");
    if (needed.length > 0) {
      this.dispatch({ type: "offerRunAbove", cellId, cellIds: needed });
      return;
    }
    this.run([cellId]);
    if (mode === "next") this.focusNext(cellId);
  }

  /** The dependency graph, with a guess at the names of `cellId` if it was never analysed. */
  #graphFor(cellId: string): DependencyCell[] {
    const state = this.getState();
    const graph = dependencyCells(state.runOrder, state.cells);
    const at = graph.findIndex((cell) => cell.id === cellId);
    if (at < 0 || graph[at]!.names !== null) return graph;
    const known = new Set(graph.slice(0, at).flatMap((cell) => cell.names?.declares ?? []));
    graph[at] = { ...graph[at]!, names: guessNames(this.#codeOf(cellId), known) };
    return graph;
  }

  /** Accepts a cell's offer: runs the cells it needs, then the cell. */
  runWithCellsAbove(cellId: string): void {
    const needed = this.getState().cells[cellId]?.runAboveOffer ?? [];
    this.dispatch({ type: "offerRunAbove", cellId, cellIds: null });
    this.run([...needed, cellId]);
  }

  /** Runs every runnable cell. */
  runAll(): void {
    this.run(this.getState().runOrder);
  }

  /** Runs the cells above `cellId` (all of them when none is active). */
  runAllAbove(cellId: string | null): void {
    const order = this.getState().runOrder;
    const index = cellId === null ? order.length : order.indexOf(cellId);
    this.run(order.slice(0, index < 0 ? order.length : index));
  }

  /** Asks the kernel to stop the running cell (and drops the queue). */
  interrupt(): void {
    this.#connection.send({ type: "interrupt" });
  }

  /** Restarts the kernel: variables are lost. */
  restart(): void {
    this.#connection.send({ type: "restart" });
  }

  /** Restarts the kernel, then runs every cell. */
  restartAndRunAll(): void {
    this.restart();
    this.runAll();
  }

  /**
   * Focuses the editor of the next runnable cell after `cellId` in the page; after the last
   * one, adds a scratch cell below it (as Shift+Enter does in JupyterLab).
   */
  focusNext(cellId: string): void {
    const isRunnable = (id: string) => this.getState().cells[id]?.runnable === true;
    if (!this.#focus.focusNext(cellId, isRunnable)) this.addScratch(cellId, "below", "edit");
  }

  /** Command mode (Jupyter's): the cell stays selected, single keys act on it. */
  enterCommandMode(cellId: string): void {
    this.#focus.enterCommandMode(cellId);
  }

  /** Edit mode: focuses the cell's editor. */
  editCell(cellId: string): void {
    this.#focus.editCell(cellId);
  }

  /** Selects the cell `delta` places away (in command mode); returns its id, or null at an end. */
  selectNeighbour(cellId: string, delta: 1 | -1): string | null {
    return this.#focus.selectNeighbour(cellId, delta);
  }

  /** Saves pending edits now. */
  flush(): Promise<void> {
    return this.#autosave.flush();
  }

  /** Grades the exercise cell's current code on the server (one check at a time). */
  check(exerciseId: string): Promise<void> {
    return this.#exercises.check(exerciseId);
  }

  /** Unlocks the next hint of an exercise. */
  unlockHint(exerciseId: string): Promise<void> {
    return this.#exercises.unlockHint(exerciseId);
  }

  /** Reveals an exercise's solution (the server allows it after a first attempt). */
  revealSolution(exerciseId: string): Promise<void> {
    return this.#exercises.revealSolution(exerciseId);
  }
}
