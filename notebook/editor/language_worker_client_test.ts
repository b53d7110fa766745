import assert from "node:assert/strict";
import { LanguageWorker } from "./language_worker_client.ts";
import type { LanguageAction, LanguageQuery } from "./protocol.ts";

const SCRIPTED = new URL("./testdata/scripted_worker.ts", import.meta.url);

/** A query to the scripted worker: it answers after `delayMs` with `source` and its count. */
function query<A extends LanguageAction>(
  action: A,
  cellId: string,
  source = "",
  delayMs = 0,
): LanguageQuery & { action: A } {
  return {
    action,
    lessonId: "l",
    cellId,
    cells: [{ id: cellId, source }],
    offset: delayMs,
    name: "",
  };
}

/** What the scripted worker answers (its results are not the real service's). */
function echo(answer: { result: unknown }): { source: string; seen: number } {
  return answer.result as { source: string; seen: number };
}

Deno.test("LanguageWorker starts its worker on the first question, not before", async () => {
  const worker = new LanguageWorker({ workerUrl: SCRIPTED });
  try {
    assert.equal(worker.isRunning, false);
    assert.deepEqual(echo(await worker.ask(query("hover", "c1", "x"))), { source: "x", seen: 1 });
    assert.equal(worker.starts, 1);
  } finally {
    worker.close();
  }
});

Deno.test("LanguageWorker coalesces queued diagnostics for one cell into the newest", async () => {
  const worker = new LanguageWorker({ workerUrl: SCRIPTED });
  try {
    const busy = worker.ask(query("completions", "c1", "busy", 150));
    const older = worker.ask(query("diagnostics", "c2", "const a = 1"));
    const other = worker.ask(query("diagnostics", "c3", "other cell"));
    const newer = worker.ask(query("diagnostics", "c2", "const a = 12"));
    assert.equal(echo(await busy).seen, 1);
    // The older text of c2 is never checked: both callers get the newer text's answer.
    assert.deepEqual(echo(await older), { source: "const a = 12", seen: 2 });
    assert.deepEqual(echo(await newer), { source: "const a = 12", seen: 2 });
    assert.deepEqual(echo(await other), { source: "other cell", seen: 3 });
  } finally {
    worker.close();
  }
});

Deno.test("LanguageWorker does not coalesce other actions", async () => {
  const worker = new LanguageWorker({ workerUrl: SCRIPTED });
  try {
    const busy = worker.ask(query("diagnostics", "c1", "busy", 100));
    const first = worker.ask(query("hover", "c2", "a"));
    const second = worker.ask(query("hover", "c2", "b"));
    await busy;
    assert.deepEqual(echo(await first), { source: "a", seen: 2 });
    assert.deepEqual(echo(await second), { source: "b", seen: 3 });
  } finally {
    worker.close();
  }
});

Deno.test("LanguageWorker restarts the worker after it crashes", async () => {
  const worker = new LanguageWorker({ workerUrl: SCRIPTED });
  try {
    const crash = worker.ask(query("diagnostics", "crash"));
    const queued = worker.ask(query("hover", "c1", "after"));
    await assert.rejects(crash, /The language worker crashed: .*scripted crash/);
    // The queued question goes to a fresh worker (its count starts again at 1).
    assert.deepEqual(echo(await queued), { source: "after", seen: 1 });
    assert.equal(worker.starts, 2);
  } finally {
    worker.close();
  }
});

Deno.test("LanguageWorker restarts a worker that does not answer in time", async () => {
  // NOTE: both limits are injected: a short one for questions to a started worker (the scripted
  // "hang" never answers) and a generous one for a worker's first question, which includes its
  // start, so a loaded machine's slow start is not taken for a hang.
  const worker = new LanguageWorker({
    workerUrl: SCRIPTED,
    timeoutMs: 150,
    startupTimeoutMs: 120_000,
  });
  try {
    assert.deepEqual(echo(await worker.ask(query("hover", "c1", "warm"))), {
      source: "warm",
      seen: 1,
    });
    await assert.rejects(
      worker.ask(query("signature", "hang")),
      /did not answer signature within 150 ms; it was restarted/,
    );
    assert.deepEqual(echo(await worker.ask(query("hover", "c1", "ok"))), { source: "ok", seen: 1 });
    assert.equal(worker.starts, 2);
  } finally {
    worker.close();
  }
});

Deno.test("LanguageWorker.close() fails waiting questions and refuses new ones", async () => {
  const worker = new LanguageWorker({ workerUrl: SCRIPTED });
  const inFlight = worker.ask(query("hover", "c1", "a", 1000));
  const queued = worker.ask(query("hover", "c2", "b"));
  worker.close();
  await assert.rejects(inFlight, /closed before it answered/);
  await assert.rejects(queued, /closed before it answered/);
  await assert.rejects(worker.ask(query("hover", "c1")), /The language worker is closed/);
  assert.equal(worker.isRunning, false);
});
