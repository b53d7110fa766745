import assert from "node:assert/strict";
import type { PublicLesson } from "../../notebook/course/types.ts";
import { WIDGET_MIME } from "../../runtime/vocabulary.ts";
import type { CellOutput, ServerMessage } from "../messages.ts";
import { reproducibility, staleCells } from "./dependencies.ts";
import { dependencyCells } from "./reactivity.ts";
import { initialState, type NotebookState, reduce } from "./state.ts";

const LESSON: PublicLesson = {
  slug: "l",
  meta: { title: "L", summary: "", objectives: [], prerequisites: [], minutes: 1, order: 1 },
  blocks: ["c1", "c2", "c3"].map((id, i) => ({
    kind: "code" as const,
    id,
    source: `source ${id}`,
    hidden: false,
    runnable: true,
    line: i * 3 + 1,
  })),
};

const NAMES = {
  c1: { declares: ["x"], reads: [] },
  c2: { declares: ["y"], reads: ["x"] },
  c3: { declares: [], reads: ["y"] },
};

function send(state: NotebookState, ...messages: ServerMessage[]): NotebookState {
  return messages.reduce((s, message) => reduce(s, { type: "server", message, now: 0 }), state);
}

function runCell(state: NotebookState, cellId: string, runId: string, ...outputs: CellOutput[]) {
  const cell = state.cells[cellId]!;
  return send(
    state,
    { type: "queued", runId, cellId },
    { type: "started", runId, cellId, code: cell.source, names: cell.names ?? undefined },
    ...outputs.map((output): ServerMessage => ({ type: "output", runId, cellId, output })),
    { type: "done", runId, cellId, status: "ok", executionCount: 1, elapsedMs: 1 },
  );
}

const stale = (state: NotebookState) => staleCells(dependencyCells(state.runOrder, state.cells));

Deno.test("running the cells, rerunning the first and editing it mark the chain stale", () => {
  let state = initialState(LESSON, { sources: {}, runs: {} }, NAMES);
  for (const id of ["c1", "c2", "c3"]) state = runCell(state, id, `r-${id}`);
  assert.deepEqual(stale(state), []);
  state = runCell(state, "c1", "again");
  assert.deepEqual(stale(state), ["c2", "c3"]);
  state = runCell(runCell(state, "c2", "r2b"), "c3", "r3b");
  assert.equal(reproducibility(dependencyCells(state.runOrder, state.cells)).isReproducible, true);
  state = reduce(state, { type: "edit", cellId: "c1", source: "const x = 2;" });
  assert.deepEqual(stale(state), ["c1", "c2", "c3"]);
});

Deno.test("saved runs restore the run order, so an out-of-order save is not reproducible", () => {
  const run = (finishedAt: number) => ({
    outputs: [],
    executionCount: 1,
    status: "ok" as const,
    elapsedMs: 1,
    finishedAt,
  });
  const state = initialState(LESSON, { sources: {}, runs: { c1: run(30), c2: run(10) } }, NAMES);
  assert.equal(state.cells.c2?.ranSeq, 1);
  assert.equal(state.cells.c1?.ranSeq, 2);
  assert.deepEqual(stale(state), ["c2"]);
});

Deno.test("a rerun keeps the cell's widget panel in place and replaces it when shown again", () => {
  const panel = (value: number): CellOutput => ({
    type: "display",
    displayId: `w${value}`,
    data: {
      [WIDGET_MIME]: {
        widgets: [{ kind: "slider", key: "k", label: "k", min: 0, max: 9, scale: "linear", value }],
      },
      "text/plain": `k: ${value}`,
    },
  });
  const print: CellOutput = { type: "stream", name: "stdout", text: "hi\n" };
  let state = runCell(initialState(LESSON, { sources: {}, runs: {} }), "c1", "a", panel(1), print);
  state = send(state, { type: "started", runId: "b", cellId: "c1" });
  assert.deepEqual(state.cells.c1?.outputs, [panel(1)], "only the widget stays during the run");
  state = send(state, { type: "output", runId: "b", cellId: "c1", output: panel(2) });
  assert.deepEqual(state.cells.c1?.outputs, [panel(2)]);
  // A run that no longer shows the widget removes it when it ends.
  state = send(
    state,
    { type: "done", runId: "b", cellId: "c1", status: "ok", executionCount: 2, elapsedMs: 1 },
    { type: "started", runId: "c", cellId: "c1" },
    { type: "done", runId: "c", cellId: "c1", status: "ok", executionCount: 3, elapsedMs: 1 },
  );
  assert.deepEqual(state.cells.c1?.outputs, []);
});

Deno.test("a widget value set on the page or by the server is kept by cell and key", () => {
  let state = initialState(LESSON, { sources: {}, runs: {}, widgets: { c1: { k: 1 } } });
  state = reduce(state, { type: "widget", cellId: "c1", key: "k", value: 2 });
  state = send(state, { type: "widget", cellId: "c2", key: "on", value: true });
  assert.deepEqual(state.widgets, { c1: { k: 2 }, c2: { on: true } });
});
