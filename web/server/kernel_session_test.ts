import assert from "node:assert/strict";
import type { KernelEvent, KernelState } from "../../notebook/kernel/protocol.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import type { ServerMessage } from "../messages.ts";
import type { ExecuteReply, Kernel, KernelStatusEvent } from "../../notebook/kernel/kernel.ts";
import { KernelSession } from "./kernel_session.ts";
import { decodeClientMessage } from "./socket_messages.ts";

/** A kernel whose runs end when the test says so (or when interrupted). */
class ManualKernel implements Kernel {
  state: KernelState = "idle";
  readonly runs: { cellId: string; widgets: Record<string, WidgetValue> }[] = [];
  interrupts = 0;
  #finish: ((status: ExecuteReply["status"]) => void) | null = null;
  #started: (() => void) | null = null;

  statusListener: ((status: KernelStatusEvent) => void) | null = null;
  onStatus(callback: (status: KernelStatusEvent) => void) {
    this.statusListener = callback;
    return () => {};
  }
  start() {
    return Promise.resolve();
  }
  execute(
    cellId: string,
    _code: string,
    _onEvent: (event: KernelEvent) => void,
    options?: { widgets?: Record<string, WidgetValue> },
  ): Promise<ExecuteReply> {
    this.runs.push({ cellId, widgets: options?.widgets ?? {} });
    this.#started?.();
    return new Promise((resolve) => {
      this.#finish = (status) =>
        resolve({ type: "reply", id: "x", status, executionCount: this.runs.length, elapsedMs: 1 });
    });
  }
  /** Waits until `count` runs have started. */
  async started(count: number): Promise<void> {
    while (this.runs.length < count) await new Promise<void>((r) => this.#started = r);
  }
  finish(status: ExecuteReply["status"] = "ok"): void {
    const finish = this.#finish;
    this.#finish = null;
    finish?.(status);
  }
  interrupt() {
    this.interrupts++;
    this.finish("interrupted");
    return Promise.resolve("cooperative" as const);
  }
  restart() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

function setup() {
  const kernel = new ManualKernel();
  const saved: Record<string, Record<string, WidgetValue>> = {};
  const session = new KernelSession("intro", () => kernel, () => {}, {
    widgets: {
      values: (cellId) => ({ ...saved[cellId] }),
      save: (cellId, key, value) => (saved[cellId] ??= {})[key] = value,
    },
  });
  const sent = attachPage(session);
  return { kernel, session, saved, sent };
}

/** Attaches a fake open page to `session`; returns the messages it is sent. */
function attachPage(session: KernelSession): ServerMessage[] {
  const sent: ServerMessage[] = [];
  const socket = {
    readyState: WebSocket.OPEN,
    send: (text: string) => sent.push(JSON.parse(text)),
    addEventListener() {},
  } as unknown as WebSocket;
  session.attach(socket);
  return sent;
}

const rerun = (tag: string, ...cells: string[]) => ({
  type: "rerun" as const,
  runs: cells.map((cellId) => ({ runId: `${tag}-${cellId}`, cellId, code: "const y = x + 1;" })),
});

Deno.test("A widget change saves the value and its cell reruns with it, then its dependents", async () => {
  const { kernel, session, saved, sent } = setup();
  try {
    session.handle({ type: "widget", cellId: "c1", key: "slider:x", value: 5 });
    assert.deepEqual(saved, { c1: { "slider:x": 5 } });
    session.handle(rerun("a", "c1", "c2"));
    await kernel.started(1);
    assert.deepEqual(kernel.runs[0], { cellId: "c1", widgets: { "slider:x": 5 } });
    kernel.finish();
    await kernel.started(2);
    assert.equal(kernel.runs[1]?.cellId, "c2");
    const started = sent.find((m) => m.type === "started");
    assert.deepEqual(started?.type === "started" && started.names, {
      declares: ["y"],
      reads: ["x"],
    });
    assert.ok(sent.some((m) => m.type === "widget" && m.value === 5), "other pages hear of it");
    kernel.finish();
  } finally {
    await session.close();
  }
});

Deno.test("A widget change while a dependent runs interrupts it and restarts with the new value", async () => {
  const { kernel, session, sent } = setup();
  try {
    session.handle(rerun("a", "c1", "c2"));
    await kernel.started(1);
    kernel.finish();
    await kernel.started(2); // c2, the slow dependent, is running
    session.handle({ type: "widget", cellId: "c1", key: "slider:x", value: 7 });
    session.handle(rerun("b", "c1", "c2"));
    assert.equal(kernel.interrupts, 1);
    await kernel.started(3);
    assert.deepEqual(kernel.runs[2], { cellId: "c1", widgets: { "slider:x": 7 } });
    // A third change while b-c1 runs interrupts it too, and b-c2 is dropped, never run.
    session.handle(rerun("c", "c1", "c2"));
    assert.equal(kernel.interrupts, 2);
    await kernel.started(4);
    kernel.finish();
    await kernel.started(5);
    kernel.finish();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(kernel.runs.map((r) => r.cellId), ["c1", "c2", "c1", "c1", "c2"]);
    const aborted = sent.filter((m) => m.type === "done" && m.status === "aborted")
      .map((m) => m.type === "done" && m.runId);
    assert.deepEqual(aborted, ["b-c2"]);
    const interrupted = sent.filter((m) => m.type === "done" && m.status === "interrupted")
      .map((m) => m.type === "done" && m.runId);
    assert.deepEqual(interrupted, ["a-c2", "b-c1"]);
  } finally {
    await session.close();
  }
});

Deno.test("decodeClientMessage() accepts widget and rerun messages and refuses bad values", () => {
  assert.deepEqual(
    decodeClientMessage('{"type":"widget","cellId":"c1","key":"slider:lr","value":0.5}'),
    { ok: true, message: { type: "widget", cellId: "c1", key: "slider:lr", value: 0.5 } },
  );
  const bad = decodeClientMessage('{"type":"widget","cellId":"c1","key":"k","value":{}}');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : "", /"value" must be a finite number/);
  const runs = [{ runId: "r1", cellId: "c2", code: "x", extra: 1 }];
  assert.deepEqual(decodeClientMessage(JSON.stringify({ type: "rerun", runs })), {
    ok: true,
    message: { type: "rerun", runs: [{ runId: "r1", cellId: "c2", code: "x" }] },
  });
  assert.equal(decodeClientMessage('{"type":"rerun","runs":[{"runId":"r"}]}').ok, false);
});

Deno.test("Each kernel start or stop gets a new epoch, sent with the kernel state and saved with each run", async () => {
  const kernel = new ManualKernel();
  const savedEpochs: string[] = [];
  const session = new KernelSession("intro", () => kernel, (_cellId, run) => {
    savedEpochs.push(run.epoch);
  });
  const sent: ServerMessage[] = [];
  session.attach({
    readyState: WebSocket.OPEN,
    send: (text: string) => sent.push(JSON.parse(text)),
    addEventListener() {},
  } as unknown as WebSocket);
  const epochs = () => sent.flatMap((m) => m.type === "kernel" && m.epoch ? [m.epoch] : []);
  try {
    const first = epochs()[0];
    assert.ok(first !== undefined, "the greeting carries the epoch");
    session.handle({ type: "execute", runId: "r1", cellId: "c1", code: "1" });
    await kernel.started(1);
    kernel.finish();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(savedEpochs, [first]);
    const done = sent.find((m) => m.type === "done");
    assert.equal(done?.type === "done" && done.epoch, first);
    kernel.statusListener?.({ state: "dead", reason: "shutdown" });
    kernel.statusListener?.({ state: "starting" });
    const [, dead, starting] = epochs();
    assert.ok(dead !== undefined && dead !== first, "a stopped kernel holds nothing: new epoch");
    assert.ok(starting !== undefined && starting !== dead, "a started kernel: new epoch again");
  } finally {
    await session.close();
  }
  const other = new KernelSession("intro", () => new ManualKernel(), () => {});
  const greeting: ServerMessage[] = [];
  other.attach({
    readyState: WebSocket.OPEN,
    send: (text: string) => greeting.push(JSON.parse(text)),
    addEventListener() {},
  } as unknown as WebSocket);
  const again = greeting.find((m) => m.type === "kernel");
  assert.ok(again?.type === "kernel" && !epochs().includes(again.epoch!), "a new session: new");
  await other.close();
});

Deno.test("A spare kernel taken by a session that is refused admission is stopped, not left running", async () => {
  const kernel = new ManualKernel();
  let stops = 0;
  kernel.shutdown = () => {
    stops++;
    kernel.state = "dead";
    return Promise.resolve();
  };
  const session = new KernelSession("intro", () => kernel, () => {}, {
    admission: { admit: () => "Too many kernels are running" },
  });
  const sent = attachPage(session);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(stops, 1, "the spare, already up, was stopped");
  assert.ok(sent.some((m) => m.type === "notice" && /Too many kernels/.test(m.text)));
  await session.close();
});
