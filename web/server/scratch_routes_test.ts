import assert from "node:assert/strict";
import { SCRATCH_LIMITS } from "../../notebook/course/scratch_cells.ts";
import type { SavedLessonState } from "../messages.ts";
import { Store } from "./store.ts";
import { keepsRuns } from "./scratch_routes.ts";
import { postJson, startTestServer } from "./test_support.ts";
import { parseLesson } from "../../notebook/course/parse_lesson.ts";

const cell = (id: string, source: string, anchor: string | null = "c2") => ({
  id,
  source,
  anchor,
  place: "after",
});

Deno.test("POST /scratch saves a learner's scratch cells and the export carries them", async () => {
  const root = await Deno.makeTempDir();
  const server = await startTestServer(root);
  try {
    const url = `${server.url}api/lessons/01-doubling`;
    const saved = await postJson(`${url}/scratch`, {
      cells: [cell("scratch-a", "factor * 10"), cell("scratch-b", "1", "nowhere")],
    });
    assert.equal(saved.status, 200, saved.text);
    const state = await (await fetch(`${url}/state`)).json() as SavedLessonState;
    assert.deepEqual(state.scratch, [
      cell("scratch-a", "factor * 10"),
      // An anchor the lesson does not have puts the cell at the end.
      cell("scratch-b", "1", null),
    ]);
    const exported = await (await fetch(`${server.url}api/progress/export`)).json();
    assert.deepEqual(exported.lessons["01-doubling"].scratch, state.scratch);

    // A fresh data folder gets them back from the file.
    const other = await Deno.makeTempDir();
    const fresh = await startTestServer(other);
    try {
      const imported = await postJson(`${fresh.url}api/progress/import`, exported);
      assert.equal(imported.status, 200, imported.text);
      assert.equal((imported.json.imported as { scratch: number }).scratch, 2);
      const again = await (await fetch(`${fresh.url}api/lessons/01-doubling/state`)).json();
      assert.deepEqual(again.scratch, state.scratch);
    } finally {
      await fresh.shutdown();
      await Deno.remove(other, { recursive: true });
    }
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("POST /scratch refuses what a hostile page sends and keeps the saved cells", async () => {
  const root = await Deno.makeTempDir();
  const server = await startTestServer(root);
  try {
    const url = `${server.url}api/lessons/01-doubling`;
    assert.equal(
      (await postJson(`${url}/scratch`, { cells: [cell("scratch-a", "1")] })).status,
      200,
    );
    const refused = async (body: unknown, status = 400) => {
      const answer = await postJson(`${url}/scratch`, body);
      assert.equal(answer.status, status, answer.text);
      return String(answer.json.error);
    };
    // A lesson cell's id, or any id that is not a scratch id, is refused.
    assert.match(await refused({ cells: [cell("c2", "x")] }), /not a scratch cell id/);
    assert.match(await refused({ cells: [cell("double-it", "x")] }), /not a scratch cell id/);
    assert.match(
      await refused({ cells: [cell("scratch-a", "1"), cell("scratch-a", "2")] }),
      /repeats/,
    );
    const many = Array.from(
      { length: SCRATCH_LIMITS.cellsPerLesson + 1 },
      (_, i) => cell(`scratch-${i}`, ""),
    );
    assert.match(await refused({ cells: many }), /more than the limit/);
    const huge = "x".repeat(2 * SCRATCH_LIMITS.lessonChars + 70_000);
    assert.match(await refused({ cells: [cell("scratch-z", huge)] }, 413), /limit/);
    assert.match(await refused("{"), /not valid JSON/);
    assert.match(await refused({ cells: "all" }), /must be an array/);
    assert.equal(
      (await postJson(`${server.url}api/lessons/nope/scratch`, { cells: [] })).status,
      404,
    );
    const state = await (await fetch(`${url}/state`)).json() as SavedLessonState;
    assert.deepEqual(state.scratch, [cell("scratch-a", "1")]);
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("A scratch cell removed from the list takes its run and widgets; runs of unknown cells are not kept", () => {
  const store = new Store(":memory:");
  const lesson = parseLesson(
    "---\ntitle: X\nsummary: S\nobjectives: [o]\nminutes: 1\norder: 1\n---\n\n```ts\n1\n```\n",
    "01-x.md",
  );
  const run = {
    outputs: [],
    executionCount: 1,
    status: "ok" as const,
    elapsedMs: 1,
    finishedAt: 1,
  };
  store.saveScratch("01-x", [
    { id: "scratch-a", source: "1", anchor: null, place: "after" },
    { id: "scratch-b", source: "2", anchor: null, place: "after" },
  ]);
  assert.equal(keepsRuns(lesson, store, "scratch-a"), true);
  assert.equal(keepsRuns(lesson, store, "c1"), true);
  assert.equal(keepsRuns(lesson, store, "scratch-unsaved"), false);
  assert.equal(keepsRuns(lesson, store, "anything"), false);
  store.saveRun("01-x", "scratch-a", run);
  store.saveRun("01-x", "scratch-b", run);
  store.saveWidget("01-x", "scratch-a", "slider:k", 3);
  store.saveScratch("01-x", [{ id: "scratch-b", source: "2", anchor: null, place: "after" }]);
  const state = store.lessonState("01-x");
  assert.deepEqual(Object.keys(state.runs), ["scratch-b"]);
  assert.deepEqual(state.widgets, {});
  // Scratch runs never count as the lesson's cells run in the export.
  store.saveRun("01-x", "c1", run);
  assert.deepEqual(store.exportLessons()["01-x"]?.cellsDone, ["c1"]);
  store.close();
});

Deno.test("A scratch cell deleted and brought back (Z) gets its run back", async () => {
  const root = await Deno.makeTempDir();
  const server = await startTestServer(root);
  try {
    const url = `${server.url}api/lessons/01-doubling`;
    const both = { cells: [cell("scratch-a", "1"), cell("scratch-b", "2")] };
    assert.equal((await postJson(`${url}/scratch`, both)).status, 200);
    // The run arrives as the kernel session's sink would write it.
    const store = new Store(`${root}/data/gradbook.sqlite`);
    store.saveRun("01-doubling", "scratch-b", {
      outputs: [{ type: "stream", name: "stdout", text: "two\n" }],
      executionCount: 4,
      status: "ok",
      elapsedMs: 1,
      finishedAt: 1,
    });
    store.close();
    assert.equal(
      (await postJson(`${url}/scratch`, { cells: [cell("scratch-a", "1")] })).status,
      200,
    );
    let state = await (await fetch(`${url}/state`)).json() as SavedLessonState;
    assert.equal(state.runs["scratch-b"], undefined, "deleted with its cell");
    assert.equal((await postJson(`${url}/scratch`, both)).status, 200);
    state = await (await fetch(`${url}/state`)).json() as SavedLessonState;
    assert.equal(state.runs["scratch-b"]?.executionCount, 4);
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});
