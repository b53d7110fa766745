import assert from "node:assert/strict";
import { inSmallTasks } from "./lazy_editor.ts";

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
