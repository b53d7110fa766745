import assert from "node:assert/strict";
import type { PublicLesson } from "../../notebook/course/types.ts";
import { cellsDone, initialState, type NotebookState, reduce } from "./state.ts";
import { scratchList } from "./scratch_state.ts";
import { dependencyCells } from "./reactivity.ts";
import { staleCells } from "./dependencies.ts";

const LESSON: PublicLesson = {
  slug: "l",
  meta: { title: "L", summary: "", objectives: [], prerequisites: [], minutes: 1, order: 1 },
  blocks: [
    { kind: "markdown", html: "<p>Hi</p>", line: 1 },
    { kind: "code", id: "c1", source: "const a = 1;", hidden: false, runnable: true, line: 2 },
    { kind: "markdown", html: "<p>More</p>", line: 4 },
    { kind: "code", id: "c2", source: "a + 1", hidden: false, runnable: true, line: 5 },
  ],
};

const fresh = () =>
  initialState(LESSON, {
    sources: {},
    runs: {},
    scratch: [{ id: "scratch-saved", source: "a * 2", anchor: "c2", place: "after" }],
  });

const done = (state: NotebookState, cellId: string, runId: string) =>
  reduce(state, {
    type: "server",
    message: { type: "done", runId, cellId, status: "ok", executionCount: 1, elapsedMs: 1 },
    now: 0,
  });

Deno.test("initialState() places saved scratch cells in the run order but not in progress", () => {
  const state = fresh();
  assert.deepEqual(state.runOrder, ["c1", "c2", "scratch-saved"]);
  assert.equal(state.cells["scratch-saved"]?.isScratch, true);
  assert.equal(state.cells["scratch-saved"]?.source, "a * 2");
  let ran = state;
  for (const id of state.runOrder) {
    ran = reduce(ran, {
      type: "server",
      message: { type: "queued", runId: id, cellId: id },
      now: 0,
    });
    ran = done(ran, id, id);
  }
  assert.equal(cellsDone(ran), 2, "only the lesson's two cells count");
});

Deno.test("A above and B below add scratch cells in page order and select them", () => {
  let state = reduce(fresh(), {
    type: "addScratch",
    id: "scratch-a",
    relativeTo: "c2",
    side: "above",
  });
  state = reduce(state, { type: "addScratch", id: "scratch-b", relativeTo: "c1", side: "below" });
  assert.deepEqual(state.runOrder, ["c1", "scratch-b", "scratch-a", "c2", "scratch-saved"]);
  assert.equal(state.activeId, "scratch-b");
  state = reduce(state, { type: "edit", cellId: "scratch-b", source: "let b = a;" });
  assert.deepEqual(scratchList(state).find((c) => c.id === "scratch-b"), {
    id: "scratch-b",
    source: "let b = a;",
    anchor: "c1",
    place: "after",
  });
});

Deno.test("D, D deletes only scratch cells; Z brings the last one back where it was", () => {
  let state = reduce(fresh(), {
    type: "addScratch",
    id: "scratch-a",
    relativeTo: "c1",
    side: "below",
  });
  state = reduce(state, { type: "edit", cellId: "scratch-a", source: "kept text" });
  const lessonTry = reduce(state, { type: "deleteCell", cellId: "c1" });
  assert.equal(lessonTry.cells.c1 !== undefined, true);
  assert.match(lessonTry.notices.at(-1)?.text ?? "", /Lesson cells cannot be deleted/);
  state = reduce(state, { type: "deleteCell", cellId: "scratch-a" });
  assert.equal(state.cells["scratch-a"], undefined);
  assert.deepEqual(state.runOrder, ["c1", "c2", "scratch-saved"]);
  state = reduce(state, { type: "undoDelete" });
  assert.deepEqual(state.runOrder, ["c1", "scratch-a", "c2", "scratch-saved"]);
  assert.equal(state.cells["scratch-a"]?.source, "kept text");
  state = reduce(state, { type: "undoDelete" });
  assert.match(state.notices.at(-1)?.text ?? "", /No deleted cell/);
});

Deno.test("Moving a scratch cell changes the run order; lesson cells do not move", () => {
  let state = fresh();
  state = reduce(state, { type: "moveCell", cellId: "scratch-saved", delta: -1 });
  assert.deepEqual(state.runOrder, ["c1", "scratch-saved", "c2"]);
  state = reduce(state, { type: "moveCell", cellId: "c2", delta: 1 });
  assert.deepEqual(state.runOrder, ["c1", "scratch-saved", "c2"]);
  assert.match(state.notices.at(-1)?.text ?? "", /cannot be deleted or moved/);
});

Deno.test("A scratch cell takes part in stale marking: editing a lesson cell above marks it", () => {
  let state = fresh();
  const names = {
    c1: { declares: ["a"], reads: [] },
    "scratch-saved": { declares: [], reads: ["a"] },
  };
  for (const id of ["c1", "scratch-saved"]) {
    state = reduce(state, {
      type: "server",
      message: { type: "started", runId: id, cellId: id, names: names[id as keyof typeof names] },
      now: 0,
    });
    state = done(state, id, id);
  }
  state = reduce(state, { type: "edit", cellId: "c1", source: "const a = 5;" });
  assert.deepEqual(staleCells(dependencyCells(state.runOrder, state.cells)), [
    "c1",
    "scratch-saved",
  ]);
});
