/**
 * A code cell: execution count, editor, run/reset/clear buttons, status with elapsed time, and
 * collapsible outputs. Exercises (`exercise.tsx`) wrap the same cell with their prompt.
 *
 * @module
 */
import { memo } from "preact/compat";
import { useEffect, useRef, useState } from "preact/hooks";
import type { NotebookController } from "./controller.ts";
import type { CellEditor, EditorHandle } from "./editor.ts";
import { inSmallTasks, loadEditorModule } from "./lazy_editor.ts";
import { PlayIcon, RestartIcon } from "./icons.tsx";
import { Outputs } from "./outputs.tsx";
import { whenNearScreen } from "./near_screen.ts";
import type { CellState } from "./state.ts";
import { CellIdContext } from "./widgets.tsx";

/** Why a cell's output may be outdated (see `dependencies.ts`), for its badge. */
export type CellFreshnessView = "changed" | "stale" | "out-of-order" | null;

const FRESHNESS_BADGES: Record<Exclude<CellFreshnessView, null>, [string, string]> = {
  changed: ["changed since run", "This cell was edited after it last ran; its output is older"],
  stale: ["stale", "A cell above that this cell reads from changed; rerun it (Run stale)"],
  "out-of-order": [
    "out of order",
    "This cell saw a value a top-to-bottom run would not give it; Restart & run all fixes it",
  ],
};

/** Formats milliseconds as "850 ms", "3.4 s" or "2 min 5 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A live "1.2 s" counter since `since` (a `Date.now()` time). */
export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [since]);
  return <span class="elapsed">{formatElapsed(Math.max(0, now - since))}</span>;
}

function Status({ cell }: { cell: CellState }) {
  if (cell.phase === "queued") return <span class="status queued">Queued</span>;
  if (cell.phase === "busy") {
    return (
      <span class="status busy">
        <span class="spinner" aria-hidden="true" /> Running{" "}
        <Elapsed since={cell.startedAt ?? Date.now()} />
      </span>
    );
  }
  if (cell.lastStatus === null) return null;
  if (cell.notInKernel) {
    return (
      <span
        class={`status ${cell.lastStatus} not-in-kernel`}
        title="These outputs came from an earlier kernel that is gone; the kernel running now holds nothing this cell made"
      >
        not run in this kernel
      </span>
    );
  }
  const labels: Record<string, string> = {
    ok: "✓",
    error: "Error",
    interrupted: "Interrupted",
    timeout: "Timed out",
    died: "Kernel died",
    aborted: "Not run",
  };
  return (
    <span class={`status ${cell.lastStatus}`}>
      {labels[cell.lastStatus]}
      {cell.elapsedMs !== null && cell.lastStatus !== "aborted" && (
        <span class="elapsed">{formatElapsed(cell.elapsedMs)}</span>
      )}
    </span>
  );
}

function Prompt({ cell }: { cell: CellState }) {
  const text = cell.phase === "busy"
    ? "*"
    : cell.phase === "queued"
    ? "·"
    : cell.executionCount === null
    ? " "
    : String(cell.executionCount);
  return <div class="prompt" title="Execution count">[{text}]</div>;
}

/** Props of {@link CodeCell}. */
export interface CodeCellProps {
  cell: CellState;
  active: boolean;
  controller: NotebookController;
  /** Label of a collapsed hidden cell. */
  hiddenLabel?: string;
  /** Why its output may be outdated. */
  freshness?: CellFreshnessView;
}

function Editor({ cell, controller }: { cell: CellState; controller: NotebookController }) {
  const host = useRef<HTMLDivElement>(null);
  const real = useRef<CellEditor | null>(null);
  const latest = useRef(cell);
  latest.current = cell;
  // NOTE: a CodeMirror view per cell made most of a long lesson's first load (~50 views): the
  // views near the screen are built once the editor's chunk has loaded (`lazy_editor.ts`), the
  // others when scrolled to or the moment the controller uses them (the handle it holds builds on
  // demand: focus, setDoc)
  const [built, setBuilt] = useState(false);
  useEffect(() => {
    let disposed = false;
    let building: Promise<CellEditor | null> | null = null;
    // Text set (Reset) before the editor was built: the editor starts from it.
    let pendingDoc: string | null = null;
    const create = ({ createEditor }: typeof import("./editor.ts")): CellEditor | null => {
      if (disposed) return null;
      if (real.current !== null) return real.current;
      const now = latest.current;
      const created = createEditor({
        parent: host.current!,
        doc: pendingDoc ?? now.source,
        readOnly: !now.runnable,
        original: now.isScratch ? null : now.original,
        onChange: (doc) => controller.edit(cell.id, doc),
        onRun: (mode) => controller.runCell(cell.id, mode),
        onFocus: () => controller.focused(cell.id),
        onEscape: () => controller.enterCommandMode(cell.id),
      });
      created.setErrorLine(now.errorLine);
      real.current = created;
      setBuilt(true);
      return created;
    };
    const failed = (error: unknown) => {
      building = null;
      console.error("The cell editor could not be loaded", error);
      return null;
    };
    // Editors near the screen are built in small tasks, so the page answers clicks meanwhile; one
    // the controller wants now (focus, Reset) is built at once (`create` builds only once).
    const build = (urgent = false): Promise<CellEditor | null> => {
      if (urgent) return loadEditorModule({ urgent: true }).then(create).catch(failed);
      building ??= loadEditorModule().then((module) =>
        new Promise<CellEditor | null>((resolve, reject) =>
          inSmallTasks(() => {
            try {
              resolve(create(module));
            } catch (error) {
              reject(error);
            }
          })
        )
      ).catch(failed);
      return building;
    };
    const handle: EditorHandle = {
      getDoc: () => real.current?.getDoc() ?? pendingDoc ?? latest.current.source,
      setDoc: (doc) => {
        if (real.current !== null) return real.current.setDoc(doc);
        pendingDoc = doc;
        void build(true);
      },
      setErrorLine: (line) => real.current?.setErrorLine(line),
      focus: () => {
        if (real.current !== null) real.current.focus();
        else void build(true).then((editor) => editor?.focus());
      },
      blur: () => real.current?.blur(),
      destroy: () => real.current?.destroy(),
    };
    controller.registerEditor(cell.id, handle);
    const cancel = whenNearScreen(host.current!, () => void build());
    return () => {
      disposed = true;
      cancel();
      controller.registerEditor(cell.id, null);
      real.current?.destroy();
      real.current = null;
    };
  }, [cell.id]);
  // NOTE: the editor owns its text; state follows it one frame later, so never copy
  // cell.source back into it here (that loses keystrokes). Reset calls setDoc itself.
  useEffect(() => {
    real.current?.setErrorLine(cell.errorLine);
  }, [cell.errorLine]);
  return (
    <>
      {!built && <pre class="editor-placeholder">{cell.source}</pre>}
      <div class="editor" ref={host} />
    </>
  );
}

/** Move and delete buttons of a scratch cell (Ctrl+Shift+↑/↓ and D, D in command mode). */
function ScratchButtons(
  { cellId, controller }: { cellId: string; controller: NotebookController },
) {
  return (
    <>
      <button
        type="button"
        class="icon-button move-up"
        title="Move this scratch cell up (Ctrl+Shift+↑)"
        aria-label="Move up"
        onClick={() => controller.moveCell(cellId, -1)}
      >
        ↑
      </button>
      <button
        type="button"
        class="icon-button move-down"
        title="Move this scratch cell down (Ctrl+Shift+↓)"
        aria-label="Move down"
        onClick={() => controller.moveCell(cellId, 1)}
      >
        ↓
      </button>
      <button
        type="button"
        class="icon-button delete-cell"
        title="Delete this scratch cell (D, D; Z brings it back)"
        onClick={() => controller.deleteCell(cellId)}
      >
        Delete
      </button>
    </>
  );
}

/** One code cell. */
export const CodeCell = memo(function CodeCell(
  { cell, active, controller, hiddenLabel, freshness = null }: CodeCellProps,
) {
  // A scratch cell has no lesson code to differ from or to reset to.
  const edited = !cell.isScratch && cell.source !== cell.original;
  const hasOutputs = cell.outputs.length > 0;
  const classes = [
    "cell",
    "code-cell",
    cell.runnable ? "runnable" : "norun",
    cell.isScratch && "scratch",
    active && "active",
    cell.phase !== "idle" && cell.phase,
    edited && "edited",
    cell.lastStatus !== null && `last-${cell.lastStatus}`,
    freshness !== null && `fresh-${freshness}`,
  ].filter(Boolean).join(" ");
  return (
    <div class={classes} id={`cell-${cell.id}`} data-cell-id={cell.id} tabIndex={-1}>
      <div class="cell-input">
        {cell.runnable ? <Prompt cell={cell} /> : <div class="prompt" />}
        <div class="cell-body">
          {cell.codeCollapsed
            ? (
              <button
                type="button"
                class="code-collapsed"
                onClick={() => controller.dispatchToggleCode(cell.id)}
              >
                <span>▸</span> {hiddenLabel ?? "Code hidden"}{" "}
                <span class="muted">{cell.source.split("\n").length} lines · show</span>
              </button>
            )
            : <Editor cell={cell} controller={controller} />}
          {cell.runnable && (
            <div class="cell-bar">
              {cell.isScratch && (
                <span
                  class="scratch-badge"
                  title="Your own cell: saved with your progress, never graded, not part of the lesson file"
                >
                  scratch
                </span>
              )}
              <Status cell={cell} />
              {freshness !== null && (
                <span class={`freshness-badge ${freshness}`} title={FRESHNESS_BADGES[freshness][1]}>
                  {FRESHNESS_BADGES[freshness][0]}
                </span>
              )}
              {edited && (
                <span class="edited-badge" title="This cell differs from the lesson's original">
                  edited
                </span>
              )}
              {cell.runAboveOffer !== null && (
                <span class="run-above-offer" role="alert">
                  Needs cells above that have not run in this kernel:{" "}
                  <button
                    type="button"
                    class="icon-button run-above"
                    onClick={() => controller.runWithCellsAbove(cell.id)}
                  >
                    Run the {cell.runAboveOffer.length}{" "}
                    {cell.runAboveOffer.length === 1 ? "cell" : "cells"} above first
                  </button>
                  <button
                    type="button"
                    class="icon-button run-anyway"
                    onClick={() => controller.runCell(cell.id, "stay", true)}
                  >
                    Run anyway
                  </button>
                </span>
              )}
              <span class="cell-actions">
                {edited && (
                  <button
                    type="button"
                    class="icon-button"
                    title="Reset the cell to the lesson's original code"
                    onClick={() => controller.reset(cell.id)}
                  >
                    <RestartIcon /> Reset
                  </button>
                )}
                {cell.isScratch && <ScratchButtons cellId={cell.id} controller={controller} />}
                {hasOutputs && (
                  <button
                    type="button"
                    class="icon-button"
                    title="Clear this cell's outputs"
                    onClick={() => controller.clearOutputs(cell.id)}
                  >
                    Clear
                  </button>
                )}
                <button
                  type="button"
                  class="icon-button run-button"
                  title="Run this cell (Shift+Enter)"
                  onClick={() => controller.runCell(cell.id, "stay")}
                >
                  <PlayIcon /> Run
                </button>
              </span>
            </div>
          )}
        </div>
      </div>
      {hasOutputs && (
        <div class={`cell-output${cell.outputsCollapsed ? " collapsed" : ""}`}>
          <button
            type="button"
            class="prompt out-toggle"
            title={cell.outputsCollapsed ? "Show outputs" : "Collapse outputs"}
            onClick={() => controller.dispatchToggleOutputs(cell.id)}
          >
            {cell.outputsCollapsed ? "▸" : "▾"}
          </button>
          {cell.outputsCollapsed
            ? (
              <button
                type="button"
                class="outputs-collapsed"
                onClick={() => controller.dispatchToggleOutputs(cell.id)}
              >
                {cell.outputs.length} output{cell.outputs.length === 1 ? "" : "s"} hidden · show
              </button>
            )
            : (
              <CellIdContext.Provider value={cell.id}>
                <Outputs outputs={cell.outputs} />
              </CellIdContext.Provider>
            )}
        </div>
      )}
    </div>
  );
});
