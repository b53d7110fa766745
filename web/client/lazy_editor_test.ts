import assert from "node:assert/strict";
import { editorLoader, inSmallTasks } from "./lazy_editor.ts";

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* a job that takes `ms` */ }
};

Deno.test("queued jobs run in order, over several tasks, and a failing job stops none of the rest", async () => {
  const ran: string[] = [];
  const reported: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    reported.push(event.error);
  };
  globalThis.addEventListener("error", onError);
  try {
    const done = Promise.withResolvers<void>();
    for (const name of ["a", "b", "c", "d"]) inSmallTasks(() => (busy(8), ran.push(name)));
    inSmallTasks(() => {
      throw new Error("this editor could not be built");
    });
    inSmallTasks(() => (ran.push("e"), done.resolve()));
    // A task queued after the jobs: with all of them in one task it would come last.
    const other = new MessageChannel();
    other.port1.onmessage = () => (ran.push("page"), other.port1.close());
    other.port2.postMessage(null);
    await done.promise;
    assert.deepEqual(ran.filter((name) => name !== "page"), ["a", "b", "c", "d", "e"]);
    assert.ok(ran.indexOf("page") < ran.indexOf("d"), `the page waited for every job: ${ran}`);
    assert.equal(reported.length, 1);
  } finally {
    globalThis.removeEventListener("error", onError);
  }
});

Deno.test("a held load waits for the run it was held for, or for its cap; an urgent one does not", async () => {
  const started: string[] = [];
  const loader = editorLoader(() => (started.push("import"), Promise.resolve("editor")));
  // The notebook mounts and asks for the editors; in the same task, a Run is pressed.
  const loaded = loader.load();
  const run = Promise.withResolvers<void>();
  loader.holdFor(run.promise, 1000);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(started, [], "the editors' chunk waits while the first run is in flight");
  run.resolve();
  assert.equal(await loaded, "editor");
  assert.deepEqual(started, ["import"]);

  const capped = editorLoader(() => Promise.resolve("editor"));
  const waited = performance.now();
  const pending = capped.load();
  capped.holdFor(new Promise(() => {}), 50); // a run that never ends holds it 50 ms at most
  assert.equal(await pending, "editor");
  assert.ok(performance.now() - waited >= 45);

  const urgent = editorLoader(() => Promise.resolve("editor"));
  void urgent.load();
  urgent.holdFor(new Promise(() => {}), 60_000);
  // Focus or Reset needs an editor now: the hold does not apply.
  assert.equal(await urgent.load({ urgent: true }), "editor");
});
