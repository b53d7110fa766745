import assert from "node:assert/strict";
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";
import { budgetEvents, KernelPool, outputSize } from "./limits.ts";
import type { KernelLike } from "./kernel_session.ts";

const stream = (text: string): KernelEvent => ({ type: "stream", id: "x", name: "stdout", text });
const show = (text: string, update = false): KernelEvent => ({
  type: "display",
  id: "x",
  displayId: "d",
  update,
  data: { "text/plain": text },
});

Deno.test("outputSize() counts strings and keys and stops at the cap", () => {
  assert.equal(outputSize("abc"), 5);
  assert.equal(outputSize({ a: ["xy", 1] }), 1 + 4 + 4 + 8);
  const huge = Array.from({ length: 100_000 }, () => "x".repeat(100));
  assert.ok(outputSize(huge, 1000) < 1200, "stops soon after the cap");
});

Deno.test("budgetEvents() drops new outputs past the budget with one notice, and passes replies", () => {
  const seen: KernelEvent[] = [];
  const onEvent = budgetEvents((event) => seen.push(event), 1000);
  for (let i = 0; i < 50; i++) onEvent(stream("y".repeat(100)));
  onEvent(show("z".repeat(100)));
  onEvent({ type: "error", id: "x", name: "Error", message: "late", stack: "" });
  onEvent({ type: "reply", id: "x", status: "error", executionCount: 1, elapsedMs: 1 });
  const streams = seen.filter((e) => e.type === "stream");
  assert.equal(streams.filter((e) => e.type === "stream" && e.name === "stdout").length, 9);
  const notices = streams.filter((e) => e.type === "stream" && e.name === "stderr");
  assert.equal(notices.length, 1);
  assert.match(
    notices[0]!.type === "stream" ? notices[0]!.text : "",
    /passed 1000 characters; the rest were not shown/,
  );
  assert.ok(!seen.some((e) => e.type === "display"), "the display past the budget is dropped");
  assert.deepEqual(seen.slice(-2).map((e) => e.type), ["error", "reply"]);
});

Deno.test("budgetEvents() lets small display updates through forever and drops a huge one", () => {
  const seen: KernelEvent[] = [];
  const onEvent = budgetEvents((event) => seen.push(event), 1000);
  for (let i = 0; i < 500; i++) onEvent(show(`${i}`, true));
  onEvent(show("w".repeat(600), true));
  assert.equal(seen.filter((e) => e.type === "display").length, 500);
  assert.match(JSON.stringify(seen.at(-1)), /A display update was larger than half of 1000/);
});

/** A kernel that records whether it runs. */
function fakeKernel(log: string[], name: string, shutdownMs = 0): KernelLike {
  return {
    state: "idle",
    onStatus: () => () => {},
    start: () => (log.push(`start ${name}`), Promise.resolve()),
    execute: (cellId) => (log.push(`run ${name}`),
      Promise.resolve({
        type: "reply" as const,
        id: cellId,
        status: "ok" as const,
        executionCount: 1,
        elapsedMs: 0,
      })),
    interrupt: () => Promise.resolve("idle" as const),
    restart: () => Promise.resolve(),
    shutdown: async () => {
      await new Promise((resolve) => setTimeout(resolve, shutdownMs));
      log.push(`stop ${name}`);
    },
  };
}

Deno.test("KernelPool culls the longest-idle kernel when a new one needs room", async () => {
  const log: string[] = [];
  const culled: string[] = [];
  const pool = new KernelPool({ maxKernels: 2, idleTimeoutMs: 0 }, (label) => culled.push(label));
  try {
    const [a, b, c] = ["a", "b", "c"].map((name) => pool.wrap(name, fakeKernel(log, name)));
    await a!.start();
    await b!.start();
    await a!.execute("c1", "1", () => {}); // a is now the most recently used
    await c!.start();
    assert.deepEqual(culled, ["b"]);
    assert.deepEqual(pool.liveLabels().sort(), ["a", "c"]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(log, ["start a", "start b", "run a", "start c", "stop b"]);
    await c!.shutdown();
    assert.equal(pool.liveCount, 1, "a kernel shut down by its session leaves the pool");
  } finally {
    pool.close();
  }
});

Deno.test("KernelPool.sweepIdle() stops kernels idle past the timeout only", async () => {
  const log: string[] = [];
  const pool = new KernelPool({ idleTimeoutMs: 60_000 });
  try {
    const a = pool.wrap("a", fakeKernel(log, "a"));
    await a.start();
    assert.deepEqual(pool.sweepIdle(performance.now() + 30_000), []);
    assert.deepEqual(pool.sweepIdle(performance.now() + 61_000), ["a"]);
    assert.equal(pool.liveCount, 0);
  } finally {
    pool.close();
  }
});

Deno.test("A cell sent while the pool is stopping its kernel waits for the stop, then runs", async () => {
  const log: string[] = [];
  const pool = new KernelPool({ idleTimeoutMs: 1000 });
  try {
    const a = pool.wrap("a", fakeKernel(log, "a", 50));
    await a.start();
    assert.deepEqual(pool.sweepIdle(performance.now() + 2000), ["a"]);
    const reply = await a.execute("c1", "1", () => {});
    assert.equal(reply.status, "ok");
    assert.deepEqual(log, ["start a", "stop a", "run a"]);
    assert.equal(pool.liveCount, 1);
  } finally {
    pool.close();
  }
});
