/**
 * The front door under connection floods (issue #27, finding 3): thousands of connections that
 * never send a request (or send half a header) must not make the server exit ("Too many open
 * files") nor keep it from answering an authenticated GET.
 *
 * The server runs as `deno task serve` does, in a subprocess whose open-file limit is lowered to
 * 1024 with `ulimit -n`, so the pressure that 20 000 connections put on the default limit is
 * reached with a few thousand here (loopback only).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, writeCourse } from "./support.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FLOOD = 3000;
const SLOW = 300;

async function startServerProcess(root: string) {
  const command = new Deno.Command("sh", {
    args: [
      "-c",
      `ulimit -n 1024 && exec "${Deno.execPath()}" run --allow-all --unstable-worker-options ` +
      `"${ROOT}web/server/main.ts" --port 0 --data "${join(root, "data")}" ` +
      `--lessons "${join(root, "lessons")}"`,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/running at (http:\/\/\S+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server did not start: ${seen}`);
    seen += value;
  }
  const openUrl = seen.match(/running at (http:\/\/\S+)/)![1]!;
  const url = new URL(openUrl);
  const token = url.searchParams.get("token")!;
  let stderr = "";
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  (async () => {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  })();
  return { child, port: Number(url.port), token, stderr: () => stderr, stderrDone };
}

/** An authenticated GET; returns its status and time in ms, or throws after `limitMs`. */
async function timedGet(port: number, token: string, limitMs: number) {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/api/lessons`, {
    headers: { authorization: `token ${token}` },
    signal: AbortSignal.timeout(limitMs),
  });
  await response.body?.cancel();
  return { status: response.status, ms: performance.now() - started };
}

Deno.test("connection floods neither stop the server nor keep it from answering", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startServerProcess(root);
    const held: Deno.Conn[] = [];
    try {
      const before = await timedGet(server.port, server.token, 30_000);
      assert.equal(before.status, 200);
      // Half-open: connected, nothing sent.
      for (let i = 0; i < FLOOD; i++) {
        try {
          held.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
        } catch {
          break; // refused or reset: the server keeps its own limit
        }
      }
      // Slowloris: half a request header, never finished.
      const partial = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ");
      for (let i = 0; i < SLOW; i++) {
        try {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
          held.push(conn);
          await conn.write(partial).catch(() => {});
        } catch {
          break;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      const during = await timedGet(server.port, server.token, 5_000).catch((error) => {
        throw new Error(`no answer (${error}); server stderr: ${server.stderr().slice(-500)}`);
      });
      console.log(
        `authenticated GET with ${held.length} connections held: ${during.ms.toFixed(0)} ms`,
      );
      assert.equal(during.status, 200);
      const exited = await Promise.race([
        server.child.status.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200)),
      ]);
      assert.equal(exited, false, `the server exited: ${server.stderr()}`);
    } finally {
      for (const conn of held) {
        try {
          conn.close();
        } catch {
          // closed by the server
        }
      }
      try {
        server.child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await server.child.status;
      await server.stderrDone;
    }
  });
});
