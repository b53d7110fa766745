/**
 * Hostile and broken cells run through the server in real sandboxed kernels: display floods,
 * non-Error throws, a microtask loop that never yields, huge console strings. Each ends with a
 * clear outcome, the kernel stays usable, and meanwhile the server keeps answering another
 * notebook (HTTP requests and cell round trips in a second lesson). How fast it answers is a
 * bench figure (`deno task bench`, the load section's p50/p95), not a wall-clock test here: the
 * suite must pass on a loaded machine.
 */
import assert from "node:assert/strict";
import { KernelProcess } from "../../notebook/kernel/kernel_process.ts";
import type { ServerMessage } from "../../web/messages.ts";
import { SocketClient, startCourseServer, withTempDir, writeCourse } from "./support.ts";

type Done = Extract<ServerMessage, { type: "done" }>;

let runCounter = 0;
/** Runs `code` on `socket`'s lesson and waits for its `done`. */
async function runCell(
  socket: SocketClient,
  code: string,
  options: { timeoutMs?: number; whileRunning?: () => void } = {},
): Promise<{ done: Done; outputs: ServerMessage[] }> {
  const runId = `run-${++runCounter}`;
  socket.send({ type: "execute", runId, cellId: "c1", code });
  if (options.whileRunning !== undefined) {
    await socket.waitFor((m) => m.type === "started" && m.runId === runId);
    options.whileRunning();
  }
  const done = await socket.waitFor(
    (m): m is Done => m.type === "done" && m.runId === runId,
    options.timeoutMs ?? 60_000,
    `the end of ${code.slice(0, 60)}`,
  );
  const outputs = socket.messages.filter((m) => m.type === "output" && m.runId === runId);
  return { done, outputs };
}

/**
 * Pings the other lesson until `until` settles: an HTTP request for its state and a `1 + 1`
 * cell, one after the other; returns the slowest of each in ms.
 */
async function pingWhile(
  base: string,
  other: SocketClient,
  until: Promise<unknown>,
): Promise<{ httpMs: number[]; cellMs: number[] }> {
  let finished = false;
  void until.finally(() => finished = true);
  const httpMs: number[] = [];
  const cellMs: number[] = [];
  while (!finished || httpMs.length < 3) {
    let start = performance.now();
    const response = await fetch(`${base}api/lessons/02-b/state`);
    await response.body?.cancel();
    httpMs.push(performance.now() - start);
    assert.equal(response.status, 200);
    start = performance.now();
    const { done } = await runCell(other, "1 + 1", { timeoutMs: 10_000 });
    cellMs.push(performance.now() - start);
    assert.equal(done.status, "ok");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { httpMs, cellMs };
}

function textOf(outputs: ServerMessage[]): string {
  return outputs.map((m) => m.type === "output" ? JSON.stringify(m.output) : "").join("\n");
}

Deno.test("Hostile cells end clearly while the server keeps answering another notebook", async (t) => {
  await withTempDir(async (root) => {
    await writeCourse(root, 2);
    const server = await startCourseServer(root, {
      createKernel: () => new KernelProcess({ interruptGraceMs: 500, outputLimitBytes: 200_000 }),
    });
    const ws = (slug: string) => `${server.url.replace("http", "ws")}ws/lessons/${slug}`;
    const hostile = new SocketClient(ws("01-a"));
    const other = new SocketClient(ws("02-b"));
    const slowest: string[] = [];
    try {
      for (const socket of [hostile, other]) {
        await socket.waitFor((m) => m.type === "kernel" && m.state === "idle", 60_000);
        assert.equal((await runCell(socket, "1 + 1")).done.status, "ok");
      }
      const check = async (name: string, code: string, onStarted?: () => void) => {
        let release!: () => void;
        const started = new Promise<void>((resolve) => release = resolve);
        const cell = runCell(hostile, code, {
          whileRunning: () => {
            release();
            onStarted?.();
          },
        });
        await started;
        const pings = await pingWhile(server.url, other, cell);
        const result = await cell;
        const worstHttp = Math.max(...pings.httpMs);
        const worstCell = Math.max(...pings.cellMs);
        slowest.push(
          `${name}: ${pings.httpMs.length} pings, slowest HTTP ${worstHttp.toFixed(0)} ms, ` +
            `slowest 1+1 in the other lesson ${worstCell.toFixed(0)} ms`,
        );
        assert.ok(pings.httpMs.length >= 3, `${name}: the other notebook answered`);
        // The hostile lesson's kernel still runs cells.
        assert.equal(
          (await runCell(hostile, "40 + 2")).done.status,
          "ok",
          `${name}: kernel usable`,
        );
        return result;
      };

      await t.step("a flood of display updates arrives coalesced", async () => {
        const { done, outputs } = await check(
          "update flood",
          "import { display } from 'gradbook/display';\n" +
            "const h = display('start');\n" +
            "const t0 = performance.now();\n" +
            "for (let i = 0; performance.now() - t0 < 1500; i++) h.update(String(i));",
        );
        assert.equal(done.status, "ok");
        const updates = hostile.messages.filter((m) => m.type === "update");
        assert.ok(updates.length < 100, `${updates.length} updates reached the page`);
        assert.equal(outputs.length, 1);
      });

      await t.step("a flood of new displays is capped by the kernel with a notice", async () => {
        const { done, outputs } = await check(
          "display flood",
          "import { display } from 'gradbook/display';\n" +
            "for (let i = 0; i < 50_000; i++) display('d' + i);",
        );
        assert.equal(done.status, "ok");
        assert.ok(outputs.length <= 1001, `${outputs.length} outputs reached the page`);
        assert.match(textOf(outputs), /More than 1000 displays in one cell/);
      });

      await t.step("huge displays are cut at the kernel's per-cell display budget", async () => {
        const { done, outputs } = await check(
          "huge displays",
          "import { display } from 'gradbook/display';\n" +
            "const big = 'y'.repeat(4_000_000);\n" +
            "for (let i = 0; i < 200; i++) display(big);",
        );
        assert.equal(done.status, "ok");
        const text = textOf(outputs);
        assert.ok(text.length < 40_000_000, `${text.length} characters reached the page`);
        assert.match(text, /were not shown/);
      });

      await t.step("non-Error throws become clear errors", async () => {
        const cases: [string, RegExp][] = [
          ["throw 42;", /42/],
          ["throw null;", /null/],
          ["throw undefined;", /undefined/],
          ["throw Symbol('odd');", /Symbol\(odd\)/],
          ["throw { toString() { throw new Error('nope'); } };", /.+/],
          ["throw Object.create(null);", /.+/],
          ["await Promise.reject('rejected as a string');", /rejected as a string/],
        ];
        for (const [code, message] of cases) {
          const { done, outputs } = await check(code, code);
          assert.equal(done.status, "error", code);
          const error = outputs.find((m) => m.type === "output" && m.output.type === "error");
          assert.ok(error?.type === "output" && error.output.type === "error", `${code}: error`);
          assert.match(`${error.output.name}: ${error.output.message}`, message, code);
        }
      });

      await t.step("a microtask loop that never yields is stopped by an interrupt", async () => {
        const { done } = await check(
          "microtask loop",
          "const spin = (): Promise<void> => Promise.resolve().then(spin);\n" +
            "spin();\nawait new Promise(() => {});",
          () => setTimeout(() => hostile.send({ type: "interrupt" }), 300),
        );
        assert.equal(done.status, "interrupted");
        assert.match(done.message ?? "", /did not stop within/);
      });

      await t.step("huge console strings are truncated at the output limit", async () => {
        const { done, outputs } = await check(
          "huge strings",
          "const s = 'x'.repeat(50_000_000);\nconsole.log(s);\nconsole.error(s + s);\ns.length",
        );
        assert.equal(done.status, "ok");
        const text = textOf(outputs);
        assert.ok(text.length < 300_000, `${text.length} characters reached the page`);
        assert.match(text, /Output truncated/);
      });
    } finally {
      console.log(slowest.join("\n"));
      await hostile.close();
      await other.close();
      await server.shutdown();
    }
  });
});
