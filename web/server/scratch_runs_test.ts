import assert from "node:assert/strict";
import { join } from "node:path";
import type { KernelEvent, KernelState } from "../../notebook/kernel/protocol.ts";
import type { SavedLessonState, ServerMessage } from "../messages.ts";
import { startServer } from "./app.ts";
import type { ExecuteReply, Kernel } from "../../notebook/kernel/kernel.ts";
import { postJson, writeLessons } from "./test_support.ts";
import { MAX_PENDING_RUNS, PendingScratchRuns } from "./scratch_routes.ts";

const LESSON = "---\ntitle: Runs\nsummary: S\nobjectives: [o]\nminutes: 1\norder: 1\n---\n\n" +
  "```ts\nconst k = 2;\n```\n";

/** A kernel whose every cell prints "ran" and succeeds. */
class EchoKernel implements Kernel {
  state: KernelState = "idle";
  #count = 0;
  onStatus() {
    return () => {};
  }
  start() {
    return Promise.resolve();
  }
  execute(cellId: string, _code: string, onEvent: (event: KernelEvent) => void) {
    onEvent({ type: "stream", id: cellId, name: "stdout", text: "ran\n" });
    const count = ++this.#count;
    return Promise.resolve(
      {
        type: "reply",
        id: cellId,
        status: "ok",
        executionCount: count,
        elapsedMs: 1,
      } as ExecuteReply,
    );
  }
  interrupt() {
    return Promise.resolve("idle" as const);
  }
  restart() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

Deno.test("Only lesson cells and saved scratch cells keep runs: a page cannot fill the store with made-up cell ids", async () => {
  const root = await Deno.makeTempDir();
  const server = await startServer({
    lessonsDir: await writeLessons(root, { "01-runs.md": LESSON }),
    dataDir: join(root, "data"),
    port: 0,
    createKernel: () => new EchoKernel(),
  });
  try {
    const api = `${server.url}api/lessons/01-runs`;
    const saved = await postJson(`${api}/scratch`, {
      cells: [{ id: "scratch-mine", source: "k * 3", anchor: "c1", place: "after" }],
    });
    assert.equal(saved.status, 200, saved.text);
    const ids = ["c1", "scratch-mine", "made-up-1", "made-up-2", "scratch-unsaved"];
    const socket = new WebSocket(server.url.replace("http", "ws") + "ws/lessons/01-runs");
    const done = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("The runs did not finish within 5 s")), 5000);
      socket.onopen = () =>
        ids.forEach((cellId, i) =>
          socket.send(JSON.stringify({ type: "execute", runId: `r${i}`, cellId, code: "1" }))
        );
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data) as ServerMessage;
        if (message.type === "done") done.add(message.cellId);
        if (done.size === ids.length) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    const closed = new Promise((resolve) => socket.onclose = resolve);
    socket.close();
    await closed;
    const state = await (await fetch(`${api}/state`)).json() as SavedLessonState;
    assert.deepEqual(Object.keys(state.runs).sort(), ["c1", "scratch-mine"]);
    // A scratch cell whose save arrives after its run finished still gets its run.
    const later = await postJson(`${api}/scratch`, {
      cells: [
        { id: "scratch-mine", source: "k * 3", anchor: "c1", place: "after" },
        { id: "scratch-unsaved", source: "1", anchor: null, place: "after" },
      ],
    });
    assert.equal(later.status, 200, later.text);
    const after = await (await fetch(`${api}/state`)).json() as SavedLessonState;
    assert.deepEqual(Object.keys(after.runs).sort(), ["c1", "scratch-mine", "scratch-unsaved"]);
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("PendingScratchRuns holds at most MAX_PENDING_RUNS runs, dropping the oldest", () => {
  const pending = new PendingScratchRuns();
  const run = {
    outputs: [],
    executionCount: 1,
    status: "ok" as const,
    elapsedMs: 1,
    finishedAt: 1,
  };
  for (let i = 0; i <= MAX_PENDING_RUNS; i++) pending.hold("l", `scratch-${i}`, run);
  assert.equal(pending.size, MAX_PENDING_RUNS);
  assert.deepEqual([...pending.take("l", ["scratch-0", "scratch-1"]).keys()], ["scratch-1"]);
  assert.deepEqual([...pending.take("other", ["scratch-2"]).keys()], []);
  assert.equal(pending.size, MAX_PENDING_RUNS - 1);
});
