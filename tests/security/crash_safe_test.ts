/**
 * Nothing lost: the server is killed with SIGKILL in the middle of a burst of autosaves; every
 * save it acknowledged is there after a restart, and the database passes `integrity_check`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { withTempDir, writeCourse } from "./support.ts";

const MAIN = new URL("../../web/server/main.ts", import.meta.url).pathname;
const CELLS = 20;

/** Starts `deno task serve`'s entry point as a child; resolves with it and its URL. */
async function spawnServer(root: string): Promise<{ child: Deno.ChildProcess; url: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--unstable-worker-options",
      MAIN,
      "--port",
      "0",
      "--no-token",
      "--data",
      join(root, "data"),
      "--lessons",
      join(root, "lessons"),
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    while (!/http:\/\/127\.0\.0\.1:\d+\//.test(printed)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`The server exited before printing its URL: ${printed}`);
      printed += value;
    }
  } finally {
    clearTimeout(deadline);
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  void (async () => {
    try {
      while (!(await reader.read()).done) { /* drain */ }
    } catch { /* killed */ }
  })();
  return { child, url: printed.match(/http:\/\/127\.0\.0\.1:\d+\//)![0] };
}

Deno.test("A server killed with SIGKILL mid-burst keeps every acknowledged autosave, and its database is intact", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1, CELLS);
    const first = await spawnServer(root);
    const acked = new Array<number>(CELLS).fill(0);
    const sent = new Array<number>(CELLS).fill(0);
    let isKilled = false;
    try {
      // One writer per cell, each saving v1, v2, … in order (as the page's autosave does).
      const writers = Array.from({ length: CELLS }, async (_, cell) => {
        while (!isKilled) {
          const version = sent[cell]! + 1;
          sent[cell] = version;
          try {
            const response = await fetch(`${first.url}api/lessons/01-a/sources`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ sources: { [`c${cell + 1}`]: `save ${version}` } }),
            });
            const body = await response.json();
            if (response.status === 200 && body.saved === 1) acked[cell] = version;
          } catch {
            return; // the server is gone
          }
        }
      });
      // Kill it while saves are in flight, once a good number have been acknowledged.
      const start = performance.now();
      while (acked.reduce((a, b) => a + b, 0) < 300 && performance.now() - start < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      first.child.kill("SIGKILL");
      isKilled = true;
      await Promise.all(writers);
      assert.equal((await first.child.status).signal, "SIGKILL");
    } finally {
      try {
        first.child.kill("SIGKILL");
      } catch { /* already dead */ }
      await first.child.status;
    }
    const total = acked.reduce((a, b) => a + b, 0);
    assert.ok(total >= 300, `only ${total} saves were acknowledged before the kill`);

    // The database as the killed server left it (WAL included).
    const db = new DatabaseSync(join(root, "data", "gradbook.sqlite"));
    try {
      const check = db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
      assert.deepEqual(check.map((row) => row.integrity_check), ["ok"]);
    } finally {
      db.close();
    }

    const second = await spawnServer(root);
    try {
      const state = await (await fetch(`${second.url}api/lessons/01-a/state`)).json();
      for (let cell = 0; cell < CELLS; cell++) {
        const saved = Number(String(state.sources[`c${cell + 1}`] ?? "save 0").slice(5));
        assert.ok(
          saved >= acked[cell]!,
          `cell ${cell + 1}: acknowledged ${acked[cell]}, kept ${saved}`,
        );
        assert.ok(
          saved <= sent[cell]!,
          `cell ${cell + 1}: kept ${saved}, never sent past ${sent[cell]}`,
        );
      }
    } finally {
      second.child.kill("SIGTERM");
      await second.child.status;
    }
  });
});
