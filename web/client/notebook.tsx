/**
 * The lesson notebook: toolbar (run, interrupt, restart, save and kernel status), the lesson's
 * blocks (prose, code cells, exercises) and notices.
 *
 * @module
 */
import { memo } from "preact/compat";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { PublicBlock } from "../../notebook/course/types.ts";
import { formatPoints, type LessonLink, type LessonPageData } from "../messages.ts";
import { CodeCell } from "./cell.tsx";
import { adoptStaticProse, hasStaticProse } from "./static_prose.ts";
import { ExerciseBlock } from "./exercise.tsx";
import { NotebookController, type SaveStatus } from "./controller.ts";
import type { Connection } from "./connection.ts";
import { installCommandMode } from "./command_mode.ts";
import {
  PlayIcon,
  RestartIcon,
  RestartRunIcon,
  RunAboveIcon,
  RunAllIcon,
  StopIcon,
} from "./icons.tsx";
import {
  type Action,
  cellsDone,
  initialState,
  type KernelView,
  lessonRunOrder,
  type Notice,
  reduce,
} from "./state.ts";
import { layoutPage } from "../../notebook/course/scratch_cells.ts";
import { AddCellBar } from "./add_cell.tsx";
import { freshnessOf, reproducibility, staleCells } from "./dependencies.ts";
import { dependencyCells } from "./reactivity.ts";
import { type WidgetBinding, WidgetContext } from "./widgets.tsx";
import type { CellFreshnessView } from "./cell.tsx";

const KERNEL_LABELS: Record<KernelView, string> = {
  connecting: "Connecting",
  starting: "Starting",
  idle: "Idle",
  busy: "Busy",
  dead: "Stopped",
};

const KERNEL_TITLES: Record<KernelView, string> = {
  connecting: "Connecting to the server",
  starting: "The kernel is starting",
  idle: "The kernel is ready",
  busy: "The kernel is running a cell",
  dead: "The kernel stopped; running a cell starts it again",
};

const SAVE_LABELS: Record<SaveStatus, string> = {
  saved: "Saved",
  pending: "Editing…",
  saving: "Saving…",
  failed: "Not saved, retrying",
};

/** A prose block: the server-rendered nodes when the page has them, else its HTML. */
const Prose = memo(function Prose({ index, html }: { index: number; html: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [isStatic] = useState(() => hasStaticProse(index));
  useLayoutEffect(
    () => (isStatic ? adoptStaticProse(index, host.current!) ?? undefined : undefined),
    [
      index,
    ],
  );
  return isStatic
    ? <div class="prose" ref={host} />
    : <div class="prose" dangerouslySetInnerHTML={{ __html: html }} />;
});

function Notices(
  { notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void },
) {
  useEffect(() => {
    const timers = notices.map((n) =>
      setTimeout(() => onDismiss(n.id), n.level === "info" ? 4000 : 12000)
    );
    return () => timers.forEach(clearTimeout);
  }, [notices]);
  return (
    <div class="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} class={`notice ${notice.level}`}>
          <span>{notice.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => onDismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** Updates this lesson's meter in the server-rendered sidebar. */
function updateSidebarProgress(slug: string, done: number, total: number): void {
  const meter = document.querySelector<HTMLElement>(
    `.toc li[data-slug="${CSS.escape(slug)}"] .meter`,
  );
  const bar = meter?.firstElementChild as HTMLElement | null | undefined;
  if (meter === null || meter === undefined || bar === null || bar === undefined) return;
  const percent = total === 0 ? 0 : Math.round((100 * done) / total);
  bar.style.width = `${percent}%`;
  meter.classList.toggle("complete", percent === 100);
  meter.title = `${done} of ${total} cells run`;
  meter.setAttribute("aria-valuenow", String(percent));
}

/** Updates a lesson's exercise points in the server-rendered sidebar. */
function updateSidebarPoints(link: LessonLink): void {
  const points = document.querySelector<HTMLElement>(
    `.toc li[data-slug="${CSS.escape(link.slug)}"] .points`,
  );
  if (points === null) return;
  points.textContent = formatPoints(link.pointsEarned, link.pointsTotal);
  points.classList.toggle("complete", link.pointsEarned >= link.pointsTotal);
}

/** The notebook of one lesson, running its cells over `connection` (the lesson's WebSocket). */
export function Notebook({ data, connection }: { data: LessonPageData; connection: Connection }) {
  const { lesson } = data;
  const [state, setState] = useState(() => initialState(lesson, data.saved, data.names));
  // NOTE: the controller reads the state right after it dispatches (to save a new scratch cell
  // at once); rendering waits for the next frame, so the ref is updated here, not in render.
  const stateRef = useRef(state);
  const dispatch = useMemo(() => (action: Action) => {
    stateRef.current = reduce(stateRef.current, action);
    setState(stateRef.current);
  }, []);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>("saved");
  const controller = useMemo(() => {
    const created = new NotebookController(
      lesson.slug,
      connection,
      dispatch,
      () => stateRef.current,
    );
    created.onSaveStatus = setSaveStatus;
    created.onLessonLink = updateSidebarPoints;
    return created;
  }, [lesson.slug, connection]);
  useEffect(() => controller.connect(), [controller]);
  /** The kernel action waiting for the learner's confirmation (Enter confirms, Escape cancels). */
  const [confirming, setConfirming] = useState<"restart" | "restartAndRunAll" | null>(null);
  useEffect(() => {
    // Ctrl/Cmd+S saves now, as in Jupyter, instead of the browser's Save dialog.
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        void controller.flush();
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [controller]);
  // A layout effect: the dialog listens from the moment it is in the page (a plain effect waits
  // for the next frame, and an Enter pressed before it was lost).
  useLayoutEffect(() => {
    if (confirming === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setConfirming(null);
      else if (event.key === "Enter") {
        if (confirming === "restart") controller.restart();
        else controller.restartAndRunAll();
        setConfirming(null);
      } else return;
      event.preventDefault();
      event.stopPropagation();
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [confirming, controller]);
  useEffect(() =>
    installCommandMode(document, {
      editCell: (id) => controller.editCell(id),
      runCell: (id) => controller.runCell(id, "stay"),
      selectNeighbour: (id, delta) => controller.selectNeighbour(id, delta),
      toggleOutputs: (id) => controller.dispatchToggleOutputs(id),
      interrupt: () => controller.interrupt(),
      addScratch: (id, side) => controller.addScratch(id, side, "command"),
      deleteCell: (id) => controller.deleteCell(id),
      undoDelete: () => controller.undoDelete(),
      moveCell: (id, delta) => controller.moveCell(id, delta),
    }), [controller]);

  const done = cellsDone(state);
  const lessonCells = lessonRunOrder(state).length;
  useEffect(() => updateSidebarProgress(lesson.slug, done, lessonCells), [done]);

  const busy = Object.values(state.cells).some((cell) => cell.phase !== "idle");
  const graph = useMemo(() => dependencyCells(state.runOrder, state.cells), [state.cells]);
  const freshness = useMemo(() => freshnessOf(graph), [graph]);
  const staleIds = useMemo(() => staleCells(graph), [graph]);
  const repro = useMemo(() => reproducibility(graph), [graph]);
  const ranHere = graph.some((cell) => cell.ranSeq !== null);
  const gone = Object.values(state.cells).filter((cell) => cell.notInKernel).length;
  const widgetBinding = useMemo<WidgetBinding>(
    () => ({ values: state.widgets, setWidget: controller.setWidget }),
    [state.widgets, controller],
  );
  const freshnessView = (id: string): CellFreshnessView => {
    // A cell queued or running is about to replace its outputs: never also "stale".
    if (state.cells[id]?.phase !== "idle") return null;
    const node = graph.find((c) => c.id === id);
    if (node?.isEdited) return "changed";
    const f = freshness.get(id);
    return f?.isStale ? "stale" : f?.isOutOfOrder ? "out-of-order" : null;
  };
  const activeId = state.activeId;
  const page = useMemo(() => layoutPage(state.layout, state.scratch), [state.scratch]);
  const blocks = page.map((item) => {
    if (item.kind === "prose") {
      const block = lesson.blocks[item.index];
      return block?.kind === "markdown"
        ? <Prose key={`md-${item.index}`} index={item.index} html={block.html} />
        : null;
    }
    const cell = state.cells[item.id];
    if (cell === undefined) return null;
    const add = <AddCellBar key={`add-${item.id}`} cellId={item.id} controller={controller} />;
    if (item.kind === "scratch") {
      return [
        <CodeCell
          key={item.id}
          cell={cell}
          active={activeId === item.id}
          controller={controller}
          freshness={freshnessView(item.id)}
        />,
        add,
      ];
    }
    const block = lesson.blocks.find((b): b is Exclude<PublicBlock, { kind: "markdown" }> =>
      b.kind !== "markdown" && b.id === item.id
    );
    if (block === undefined) return null;
    if (block.kind === "exercise") {
      const view = state.exercises[block.id];
      if (view === undefined) return null;
      return [
        <ExerciseBlock
          key={block.id}
          exercise={block}
          view={view}
          cell={cell}
          active={activeId === block.id}
          controller={controller}
          freshness={freshnessView(block.id)}
        />,
        add,
      ];
    }
    return [
      <CodeCell
        key={block.id}
        cell={cell}
        active={activeId === block.id}
        controller={controller}
        hiddenLabel={block.hidden ? "Setup code" : undefined}
        freshness={freshnessView(block.id)}
      />,
      cell.runnable ? add : null,
    ];
  });

  return (
    <WidgetContext.Provider value={widgetBinding}>
      <div class="toolbar" role="toolbar" aria-label="Notebook">
        <div class="tb-group">
          <button
            type="button"
            class="tb-button"
            title="Run the selected cell and go to the next (Shift+Enter)"
            disabled={activeId === null}
            onClick={() => activeId !== null && controller.runCell(activeId, "next")}
          >
            <PlayIcon /> Run
          </button>
          <button
            type="button"
            class="tb-button"
            title="Run every cell"
            onClick={() => controller.runAll()}
          >
            <RunAllIcon /> Run all
          </button>
          <button
            type="button"
            class="tb-button"
            title="Run the cells above the selected cell"
            onClick={() => controller.runAllAbove(activeId)}
          >
            <RunAboveIcon /> Run above
          </button>
          <button
            type="button"
            class="tb-button run-stale"
            title="Rerun the cells edited since they ran and the cells below them that are stale"
            disabled={staleIds.length === 0}
            onClick={() => controller.runStale()}
          >
            <RunAllIcon /> Run stale{staleIds.length > 0 ? ` (${staleIds.length})` : ""}
          </button>
        </div>
        <div class="tb-group">
          <button
            type="button"
            class="tb-button"
            title="Stop the running cell"
            disabled={!busy && state.kernel !== "busy"}
            onClick={() => controller.interrupt()}
          >
            <StopIcon /> Interrupt
          </button>
          <button
            type="button"
            class="tb-button"
            title="Restart the kernel (variables are lost)"
            onClick={() => setConfirming("restart")}
          >
            <RestartIcon /> Restart
          </button>
          <button
            type="button"
            class="tb-button"
            title="Restart the kernel and run every cell"
            onClick={() => setConfirming("restartAndRunAll")}
          >
            <RestartRunIcon /> Restart &amp; run all
          </button>
        </div>
        <span class="tb-spacer" />
        {ranHere
          ? (
            <span
              class={`repro-status ${repro.isReproducible ? "ok" : "off"}`}
              title={repro.isReproducible
                ? "The outputs are what Restart & run all would give"
                : `Restart & run all could give other outputs: ${repro.reasons.join("; ")}`}
            >
              {repro.isReproducible ? "Reproducible from top" : "Not reproducible from top"}
            </span>
          )
          : (
            <span class="repro-status none" title="No cell has run in the kernel running now">
              Nothing run in this kernel
            </span>
          )}
        <span class={`save-status ${saveStatus}`} title="Your edits are saved on this computer">
          {SAVE_LABELS[saveStatus]}
        </span>
        <span class={`kernel-status kernel-${state.kernel}`} title={KERNEL_TITLES[state.kernel]}>
          <span class="dot" /> {KERNEL_LABELS[state.kernel]}
          {gone > 0 && state.kernel !== "connecting" && state.kernel !== "dead" && " · new kernel"}
        </span>
      </div>
      {gone > 0 && state.kernel !== "connecting" && (
        <div class="kernel-gone" role="status">
          <span>
            The kernel that made these outputs is gone (stopped after being idle, restarted, or the
            server restarted), and its variables with it: {gone}{" "}
            {gone === 1 ? "cell shows" : "cells show"} outputs "not run in this kernel".
          </span>
          <button type="button" class="tb-button" onClick={() => controller.runAll()}>
            <RunAllIcon /> Run all again
          </button>
        </div>
      )}
      <div class="progress-line">
        {done} of {lessonCells} cells run
      </div>
      {blocks}
      {confirming !== null && (
        <div class="confirm-backdrop" onClick={() => setConfirming(null)}>
          <div
            class="confirm-dialog"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="confirm-title"
            onClick={(event) => event.stopPropagation()}
          >
            <p id="confirm-title">
              {confirming === "restart"
                ? "Restart the kernel? Its variables are lost; your code and outputs stay."
                : "Restart the kernel and run every cell? Its variables are lost first."}
            </p>
            <div class="confirm-buttons">
              <button type="button" class="tb-button" onClick={() => setConfirming(null)}>
                Cancel <kbd>Esc</kbd>
              </button>
              <button
                type="button"
                class="tb-button confirm-ok"
                onClick={() => {
                  if (confirming === "restart") controller.restart();
                  else controller.restartAndRunAll();
                  setConfirming(null);
                }}
              >
                {confirming === "restart" ? "Restart" : "Restart & run all"} <kbd>Enter</kbd>
              </button>
            </div>
          </div>
        </div>
      )}
      <Notices notices={state.notices} onDismiss={(id) => dispatch({ type: "dismiss", id })} />
    </WidgetContext.Provider>
  );
}
