import assert from "node:assert/strict";
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";
import { budgetEvents, outputSize } from "./limits.ts";

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
