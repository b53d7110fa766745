import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { type ExerciseAttempt, SCHEMA_VERSION, Store } from "./store.ts";
import type { SavedRun } from "../messages.ts";

function run(overrides: Partial<SavedRun> = {}): SavedRun {
  return {
    outputs: [{ type: "stream", name: "stdout", text: "hi\n" }],
    executionCount: 1,
    status: "ok",
    elapsedMs: 12.5,
    finishedAt: 1_700_000_000_000,
    ...overrides,
  };
}

Deno.test("Store.open() creates the data folder and a WAL database at the current schema", async () => {
  const dir = join(await Deno.makeTempDir(), "nested", "data");
  const store = Store.open(dir);
  try {
    assert.equal(store.schemaVersion, SCHEMA_VERSION);
    const db = new DatabaseSync(join(dir, "gradbook.sqlite"));
    const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    assert.equal(mode.journal_mode, "wal");
    db.close();
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store keeps sources and runs across reopening, and null resets a source", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = Store.open(dir);
    first.saveSources("intro", { c1: "let x = 1;", c2: "x + 1" });
    first.saveRun("intro", "c1", run());
    first.close();

    const second = Store.open(dir);
    second.saveSources("intro", { c2: null });
    const state = second.lessonState("intro");
    assert.deepEqual(state.sources, { c1: "let x = 1;" });
    assert.deepEqual(state.runs.c1, run());
    assert.deepEqual(second.lessonState("other"), { sources: {}, runs: {}, widgets: {} });
    second.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store.clearOutputs() empties outputs but keeps the run's status for progress", () => {
  const store = new Store(":memory:");
  store.saveRun("intro", "c1", run());
  store.saveRun("intro", "c2", run({ status: "error" }));
  store.saveRun("graphs", "c1", run());
  store.clearOutputs("intro", ["c1"]);
  assert.deepEqual(store.lessonState("intro").runs.c1?.outputs, []);
  assert.deepEqual(
    [...store.cellsDone()].map(([lesson, cells]) => [lesson, [...cells]]),
    [["intro", ["c1"]], ["graphs", ["c1"]]],
  );
  store.close();
});

Deno.test("Store.saveRun() replaces outputs too large to keep by a notice", () => {
  const store = new Store(":memory:");
  const big = "x".repeat(5 * 1024 * 1024);
  store.saveRun("intro", "c1", run({ outputs: [{ type: "stream", name: "stdout", text: big }] }));
  const outputs = store.lessonState("intro").runs.c1?.outputs;
  assert.equal(outputs?.length, 1);
  assert.equal(outputs[0]?.type, "notice");
  store.close();
});

function attempt(source: string, score: number, createdAt: number): ExerciseAttempt {
  return {
    exerciseId: "e1",
    source,
    createdAt,
    status: "graded",
    score,
    maxScore: 2,
    checks: [{
      name: "c",
      passed: score > 0,
      points: 1,
      earned: score / 2,
      visible: false,
      message: "",
    }],
    message: "",
  };
}

Deno.test("Store records exercise attempts in order, with best scores per lesson", () => {
  const store = new Store(":memory:");
  store.recordAttempt("intro", attempt("b", 2, 2));
  store.recordAttempt("intro", attempt("a", 0, 1));
  const attempts = store.attempts("intro", "e1");
  assert.deepEqual(attempts.map((a) => [a.source, a.score]), [["a", 0], ["b", 2]]);
  assert.deepEqual(attempts[1], attempt("b", 2, 2));
  assert.deepEqual(store.exerciseScores().get("intro")?.get("e1"), { best: 2, attempts: 2 });
  store.close();
});

Deno.test("Store unlocks hints monotonically and keeps the first solution reveal", () => {
  const store = new Store(":memory:");
  assert.equal(store.unlockHints("intro", "e1", 1), 1);
  assert.equal(store.unlockHints("intro", "e1", 2), 2);
  assert.equal(store.unlockHints("intro", "e1", 1), 2);
  assert.equal(store.revealSolution("intro", "e1", 100), 100);
  assert.equal(store.revealSolution("intro", "e1", 200), 100);
  assert.deepEqual(store.unlocks("intro").get("e1"), { hintsUnlocked: 2, solutionRevealedAt: 100 });
  store.close();
});

Deno.test("Store exports its progress and imports it into another database, merging", () => {
  const source = new Store(":memory:");
  source.saveSources("intro", { c1: "edited", e1: "answer" });
  source.saveRun("intro", "c1", run());
  source.saveRun("intro", "c2", run({ status: "error" }));
  source.recordAttempt("intro", attempt("a", 1, 1));
  source.unlockHints("intro", "e1", 1);
  source.revealSolution("intro", "e1", 50);
  source.saveWidget("intro", "c1", "slider:lr", 0.25);
  const lessons = source.exportLessons();
  assert.deepEqual(lessons, {
    intro: {
      sources: { c1: "edited", e1: "answer" },
      cellsDone: ["c1"],
      exercises: {
        e1: {
          hintsUnlocked: 1,
          solutionRevealedAt: 50,
          attempts: [(({ exerciseId: _, ...rest }) => rest)(attempt("a", 1, 1))],
        },
      },
      widgets: { c1: { "slider:lr": 0.25 } },
    },
  });
  const file = {
    format: "gradbook-progress" as const,
    version: 1 as const,
    exportedAt: new Date(1000).toISOString(),
    lessons,
  };
  const target = new Store(":memory:");
  target.recordAttempt("intro", attempt("a", 1, 1));
  target.saveSources("intro", { c1: "older" });
  assert.deepEqual(target.importProgress(file), {
    lessons: 1,
    sources: 2,
    cellsDone: 1,
    attempts: 0,
    widgets: 1,
    scratch: 0,
  });
  assert.deepEqual(target.exportLessons(), lessons);
  assert.equal(target.lessonState("intro").runs.c1?.finishedAt, 1000);
  source.close();
  target.close();
});

Deno.test("Store refuses a database written by a newer schema", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = new DatabaseSync(join(dir, "gradbook.sqlite"));
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => Store.open(dir), /schema version is \d+, newer than/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store keeps the latest value of each widget of a cell across reopening", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = Store.open(dir);
    store.saveWidget("intro", "c1", "slider:lr", 0.1);
    store.saveWidget("intro", "c1", "slider:lr", 0.3);
    store.saveWidget("intro", "c1", "checkbox:on", true);
    store.saveWidget("intro", "c2", "select:opt", "adam");
    store.close();
    const reopened = Store.open(dir);
    assert.deepEqual(reopened.lessonState("intro").widgets, {
      c1: { "slider:lr": 0.3, "checkbox:on": true },
      c2: { "select:opt": "adam" },
    });
    assert.deepEqual(reopened.widgetValues("other"), {});
    reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Experimenting never lowers progress: a cell that once ran without error stays done", () => {
  const store = new Store(":memory:");
  store.saveRun("intro", "c1", run());
  store.saveRun("intro", "c1", run({ status: "error" }));
  store.saveRun("intro", "c2", run({ status: "error" }));
  assert.equal(store.lessonState("intro").runs.c1?.status, "error", "the last run is shown");
  assert.deepEqual(
    [...store.cellsDone()].map(([lesson, cells]) => [lesson, [...cells]]),
    [["intro", ["c1"]]],
  );
  store.close();
});
