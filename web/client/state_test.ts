import assert from "node:assert/strict";
import type { PublicLesson } from "../../notebook/course/types.ts";
import { cellsDone, initialState, reduce, withOutput } from "./state.ts";

const LESSON: PublicLesson = {
  slug: "l",
  meta: { title: "L", summary: "", objectives: [], prerequisites: [], minutes: 1, order: 1 },
  blocks: [
    { kind: "markdown", html: "<p>Hi</p>", line: 1 },
    { kind: "code", id: "c1", source: "1", hidden: false, runnable: true, line: 2 },
    { kind: "code", id: "c2", source: "setup", hidden: true, runnable: true, line: 5 },
    { kind: "code", id: "c3", source: "shown", hidden: false, runnable: false, line: 8 },
  ],
};

function fresh() {
  return initialState(LESSON, {
    sources: { c1: "edited" },
    runs: {
      c2: {
        outputs: [{ type: "error", name: "E", message: "m", stack: "", line: 1 }],
        executionCount: 3,
        status: "error",
        elapsedMs: 4,
        finishedAt: 0,
      },
    },
  });
}

Deno.test("initialState() restores saved sources and runs, and collapses hidden cells", () => {
  const state = fresh();
  assert.deepEqual(state.runOrder, ["c1", "c2"]);
  assert.equal(state.cells.c1?.source, "edited");
  assert.equal(state.cells.c1?.original, "1");
  assert.equal(state.cells.c2?.codeCollapsed, true);
  assert.equal(state.cells.c2?.errorLine, 1);
  assert.equal(state.cells.c2?.executionCount, 3);
  assert.equal(state.cells.c3?.runnable, false);
});

Deno.test("withOutput() merges consecutive chunks of the same stream only", () => {
  let outputs = withOutput([], { type: "stream", name: "stdout", text: "a" });
  outputs = withOutput(outputs, { type: "stream", name: "stdout", text: "b" });
  outputs = withOutput(outputs, { type: "stream", name: "stderr", text: "c" });
  assert.deepEqual(outputs, [
    { type: "stream", name: "stdout", text: "ab" },
    { type: "stream", name: "stderr", text: "c" },
  ]);
});

Deno.test("reduce() follows a run from queued to done and ignores other runs' messages", () => {
  const now = 1000;
  let state = fresh();
  state = reduce(state, {
    type: "server",
    message: { type: "queued", runId: "r1", cellId: "c2" },
    now,
  });
  assert.equal(state.cells.c2?.phase, "queued");
  state = reduce(state, {
    type: "server",
    message: { type: "started", runId: "r1", cellId: "c2" },
    now,
  });
  assert.equal(state.cells.c2?.phase, "busy");
  assert.deepEqual(state.cells.c2?.outputs, [], "outputs clear when the run starts");
  assert.equal(state.cells.c2?.errorLine, null);
  const output = { type: "stream", name: "stdout", text: "x" } as const;
  state = reduce(state, {
    type: "server",
    message: { type: "output", runId: "old", cellId: "c2", output },
    now,
  });
  assert.deepEqual(state.cells.c2?.outputs, []);
  state = reduce(state, {
    type: "server",
    message: { type: "output", runId: "r1", cellId: "c2", output },
    now,
  });
  state = reduce(state, {
    type: "server",
    message: {
      type: "output",
      runId: "r1",
      cellId: "c2",
      output: { type: "display", data: { "text/plain": "0" }, displayId: "d" },
    },
    now,
  });
  state = reduce(state, {
    type: "server",
    message: { type: "update", displayId: "d", data: { "text/plain": "9" } },
    now,
  });
  assert.deepEqual(state.cells.c2?.outputs[1], {
    type: "display",
    data: { "text/plain": "9" },
    displayId: "d",
  });
  state = reduce(state, {
    type: "server",
    message: {
      type: "done",
      runId: "r1",
      cellId: "c2",
      status: "ok",
      executionCount: 4,
      elapsedMs: 12,
    },
    now,
  });
  assert.equal(state.cells.c2?.phase, "idle");
  assert.equal(state.cells.c2?.executionCount, 4);
  assert.equal(cellsDone(state), 1);
});

Deno.test("reduce() marks the error line and adds the reply's message for a failed run", () => {
  const now = 0;
  let state = fresh();
  state = reduce(state, {
    type: "server",
    message: { type: "started", runId: "r", cellId: "c1" },
    now,
  });
  state = reduce(state, {
    type: "server",
    message: {
      type: "output",
      runId: "r",
      cellId: "c1",
      output: { type: "error", name: "TypeError", message: "bad", stack: "", line: 2 },
    },
    now,
  });
  assert.equal(state.cells.c1?.errorLine, 2);
  state = reduce(state, {
    type: "server",
    message: {
      type: "done",
      runId: "r",
      cellId: "c1",
      status: "interrupted",
      executionCount: 1,
      elapsedMs: 1,
      message: "Stopped",
    },
    now,
  });
  assert.deepEqual(state.cells.c1?.outputs.at(-1), {
    type: "notice",
    level: "warning",
    text: "Stopped",
  });
  state = reduce(state, { type: "edit", cellId: "c1", source: "fixed" });
  assert.equal(state.cells.c1?.errorLine, null, "editing clears the error highlight");
  state = reduce(state, { type: "reset", cellId: "c1" });
  assert.equal(state.cells.c1?.source, "1");
});

Deno.test("reduce() sets running cells idle when the connection drops", () => {
  let state = fresh();
  state = reduce(state, {
    type: "server",
    message: { type: "queued", runId: "r", cellId: "c1" },
    now: 0,
  });
  state = reduce(state, { type: "connection", connected: false });
  assert.equal(state.cells.c1?.phase, "idle");
  assert.equal(state.kernel, "connecting");
});
