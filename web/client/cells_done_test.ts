import assert from "node:assert/strict";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { RunStatus } from "../messages.ts";
import { cellsDone, initialState, type NotebookState, reduce } from "./state.ts";

const LESSON: PublicLesson = {
  slug: "l",
  meta: { title: "L", summary: "", objectives: [], prerequisites: [], minutes: 1, order: 1 },
  blocks: [
    { kind: "code", id: "c1", source: "1", hidden: false, runnable: true, line: 2 },
    { kind: "code", id: "c2", source: "2", hidden: false, runnable: true, line: 5 },
  ],
};

/** Runs `cellId` through queued, started and done with `status`. */
function run(state: NotebookState, runId: string, cellId: string, status: RunStatus) {
  const now = 1000;
  for (
    const message of [
      { type: "queued", runId, cellId },
      { type: "started", runId, cellId },
      { type: "done", runId, cellId, status, executionCount: 1, elapsedMs: 1 },
    ] as const
  ) {
    state = reduce(state, { type: "server", message, now });
  }
  return state;
}

Deno.test("cellsDone() never drops within a session when a cell that ran fails later", () => {
  let state = initialState(LESSON, { sources: {}, runs: {} });
  state = run(state, "r1", "c1", "ok");
  state = run(state, "r2", "c2", "ok");
  assert.equal(cellsDone(state), 2);
  state = run(state, "r3", "c1", "error");
  assert.equal(cellsDone(state), 2, "an experiment that fails does not lower the count");
  state = run(state, "r4", "c2", "interrupted");
  state = reduce(state, {
    type: "server",
    message: { type: "kernel", state: "idle", epoch: "new-kernel" },
    now: 1000,
  });
  assert.equal(cellsDone(state), 2, "nor does an interrupt or a new kernel");
});

Deno.test("cellsDone() counts a saved cell that once ran without error, as the sidebar does", () => {
  const state = initialState(LESSON, {
    sources: {},
    runs: {
      c1: {
        outputs: [],
        executionCount: 2,
        status: "error",
        elapsedMs: 1,
        finishedAt: 0,
        everOk: true,
      },
      c2: { outputs: [], executionCount: 3, status: "error", elapsedMs: 1, finishedAt: 0 },
    },
  });
  assert.equal(cellsDone(state), 1);
});
