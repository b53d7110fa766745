/**
 * `deno task load` (with `notebooks_load.ts`): 20 000 connections that never finish a request,
 * against a server started as `deno task serve` starts it, in a child process whose open-file
 * limit is lowered to 1024 (`FLOOD_SERVER_FD_LIMIT` changes it; the default soft limit of many
 * Linux desktops), so the flood is twenty times what the server may hold. Issue #27, finding 3.
 *
 * Phases: 15 000 silent connections and 5 000 slowloris ones (half a request head, then a byte
 * every 2 s) from four attacker processes (`flood_client.ts`; one process may hold at most its
 * own open-file limit), held for 10 s; then 4 000 connections that reconnect as soon as the
 * server closes them, for 10 s. Throughout, a learner's client sends an authenticated GET on a
 * fresh connection every 250 ms (the hard case: each must get its head in before newer
 * connections push it out), and another on one kept-alive connection, as an open page does.
 * Not part of `deno task test` (about a minute and a half).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, writeCourse } from "../security/support.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SERVER_FD_LIMIT = Number(Deno.env.get("FLOOD_SERVER_FD_LIMIT") ?? 1024);
/** A learner's GET that takes longer than this counts as unanswered. */
const GIVE_UP_MS = 5_000;

interface ServerProcess {
  child: Deno.ChildProcess;
  port: number;
  token: string;
  stderr(): string;
}

async function startServerProcess(root: string): Promise<ServerProcess> {
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      `ulimit -n ${SERVER_FD_LIMIT} && exec "${Deno.execPath()}" run --allow-all ` +
      `--unstable-worker-options "${ROOT}web/server/main.ts" --port 0 ` +
      `--data "${join(root, "data")}" --lessons "${join(root, "lessons")}"`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/running at (http:\/\/\S+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server did not start: ${seen}`);
    seen += value;
  }
  const url = new URL(seen.match(/running at (http:\/\/\S+)/)![1]!);
  let stderr = "";
  (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    child,
    port: Number(url.port),
    token: url.searchParams.get("token")!,
    stderr: () => stderr,
  };
}

/** An authenticated GET on a fresh connection: its status and time to the status line. */
async function learnerGet(port: number, token: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  let conn: Deno.Conn | undefined;
  const timer = setTimeout(() => conn?.close(), GIVE_UP_MS);
  try {
    const connecting = Deno.connect({ hostname: "127.0.0.1", port });
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    const connected = await Promise.race([
      connecting,
      new Promise<null>((resolve) => giveUp = setTimeout(() => resolve(null), GIVE_UP_MS)),
    ]).finally(() => clearTimeout(giveUp));
    if (connected === null) {
      connecting.then((late) => late.close(), () => {});
      return { status: 0, ms: performance.now() - started };
    }
    conn = connected;
    const head = `GET /api/lessons HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Authorization: token ${token}\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(head));
    const buffer = new Uint8Array(64);
    let text = "";
    while (!text.includes("\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
    return { status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch {
      // closed by the timer
    }
  }
}

interface Attacker {
  child: Deno.ChildProcess;
  ready: Promise<void>;
  last(): Record<string, number>;
}

function startAttacker(port: number, count: number, mode: string): Attacker {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      `${ROOT}tests/load/flood_client.ts`,
      String(port),
      String(count),
      mode,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let last: Record<string, number> = {};
  const { promise: ready, resolve, reject } = Promise.withResolvers<void>();
  (async () => {
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === "READY") resolve();
        else if (line.startsWith("{")) last = JSON.parse(line);
      }
    }
    reject(new Error(`an attacker (${mode}) ended before it was ready`));
  })();
  return { child, ready, last: () => last };
}

async function stopAttacker(attacker: Attacker): Promise<void> {
  await attacker.child.stdin.close().catch(() => {});
  const timer = setTimeout(() => attacker.child.kill("SIGKILL"), 10_000);
  await attacker.child.status;
  clearTimeout(timer);
}

/** The server's open file descriptors and resident memory (Linux `/proc`). */
function sampleServer(pid: number): { fds: number; rssMiB: number } {
  let fds = 0;
  for (const _ of Deno.readDirSync(`/proc/${pid}/fd`)) fds++;
  const rss = Deno.readTextFileSync(`/proc/${pid}/status`).match(/VmRSS:\s+(\d+) kB/)?.[1];
  return { fds, rssMiB: Number(rss ?? 0) / 1024 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

Deno.test({
  name: "20 000 half-open and slowloris connections neither stop the server nor keep a learner out",
  ignore: Deno.build.os !== "linux",
}, async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startServerProcess(root);
    const attackers: Attacker[] = [];
    const gets: { phase: string; status: number; ms: number }[] = [];
    const peak = { fds: 0, rssMiB: 0 };
    let phase = "before";
    let learning = true;
    const baseline = sampleServer(server.child.pid);
    // fetch keeps its connection alive between requests, as a browser does.
    const kept: { phase: string; status: number; ms: number }[] = [];
    const errors = new Set<string>();
    const keptLearner = (async () => {
      while (learning) {
        const started = performance.now();
        const status = await fetch(`http://127.0.0.1:${server.port}/api/lessons`, {
          headers: { authorization: `token ${server.token}` },
          signal: AbortSignal.timeout(GIVE_UP_MS),
        }).then(async (response) => (await response.arrayBuffer(), response.status), (error) => {
          if (errors.size < 5) errors.add(String(error).slice(0, 200));
          return 0;
        });
        kept.push({ phase, status, ms: performance.now() - started });
        await sleep(250);
      }
    })();
    const learner = (async () => {
      while (learning) {
        const get = await learnerGet(server.port, server.token);
        gets.push({ phase, ...get });
        const sample = sampleServer(server.child.pid);
        peak.fds = Math.max(peak.fds, sample.fds);
        peak.rssMiB = Math.max(peak.rssMiB, sample.rssMiB);
        await sleep(250);
      }
    })();
    try {
      await sleep(1000);
      phase = "flood";
      const started = performance.now();
      for (
        const [count, mode] of [[5000, "silent"], [5000, "silent"], [5000, "silent"], [
          5000,
          "slow",
        ]] as const
      ) {
        attackers.push(startAttacker(server.port, count, mode));
      }
      await Promise.all(attackers.map((a) => a.ready));
      const floodMs = performance.now() - started;
      phase = "held";
      await sleep(10_000);
      const held = attackers.map((a) => a.last());
      phase = "churn";
      const churners = [
        startAttacker(server.port, 2000, "churn"),
        startAttacker(server.port, 2000, "churn"),
      ];
      attackers.push(...churners);
      await Promise.all(churners.map((a) => a.ready));
      await sleep(10_000);
      const churned = churners.map((a) => a.last());
      phase = "after";
      await Promise.all(attackers.map(stopAttacker));
      await sleep(1000);
      learning = false;
      await learner;
      await keptLearner;

      const sum = (rows: Record<string, number>[], key: string) =>
        rows.reduce((total, row) => total + (row[key] ?? 0), 0);
      const connected = sum(held, "connected");
      console.log(
        `flood: ${connected} connections made (${sum(held, "failed")} failed) in ` +
          `${(floodMs / 1000).toFixed(1)} s, ${
            sum(held, "closedByServer")
          } closed by the server, ` +
          `${sum(held, "open")} still open after 10 s; churn: ${sum(churned, "connected")} ` +
          `connections made, ${sum(churned, "closedByServer")} closed by the server`,
      );
      console.log(
        `server (fd limit ${SERVER_FD_LIMIT}): fds ${baseline.fds} → peak ${peak.fds}, ` +
          `RSS ${baseline.rssMiB.toFixed(0)} → peak ${peak.rssMiB.toFixed(0)} MiB`,
      );
      for (const [label, rows] of [["fresh", gets], ["kept-alive", kept]] as const) {
        for (const name of ["before", "flood", "held", "churn", "after"]) {
          const times = rows.filter((g) => g.phase === name).map((g) => g.ms);
          const failed = rows.filter((g) => g.phase === name && g.status !== 200).length;
          console.log(
            `learner GETs on ${label} connections, ${name}: ${times.length}, ${failed} not 200; ` +
              `p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${
                percentile(times, 0.95).toFixed(0)
              } ms, max ${Math.max(...times).toFixed(0)} ms`,
          );
        }
      }
      const cut = (rows: typeof gets) =>
        rows.filter((g) => g.status !== 200).map((g) => `${g.phase} ${g.ms.toFixed(0)} ms`);
      console.log(`cut: fresh [${cut(gets).join(", ")}]; kept-alive [${cut(kept).join(", ")}]`);
      if (errors.size > 0) console.log(`kept-alive fetch errors: ${[...errors].join(" | ")}`);
      const exited = await Promise.race([
        server.child.status.then(() => true),
        sleep(200).then(() => false),
      ]);
      assert.equal(exited, false, `the server exited: ${server.stderr().slice(-2000)}`);
      assert.ok(connected >= 19_000, `the attackers made only ${connected} connections`);
      assert.deepEqual(
        kept.filter((g) => g.status !== 200).map((g) => `${g.phase}: ${g.status}`),
        [],
        "every GET on the kept-alive connection answered 200",
      );
      // NOTE: a new connection must get its head read before newer ones push it out, which a
      // loaded machine does not always manage: while the 20 000 arrive, a few in a hundred may be
      // cut (before the front door kept the reads going, about a third were); while thousands a
      // second reconnect as fast as they are closed, more are (reported above, not asserted). An
      // open page's kept-alive connection is never cut.
      const fresh = (name: string) => gets.filter((g) => g.phase === name);
      const cutWhile = (name: string) => fresh(name).filter((g) => g.status !== 200).length;
      for (const name of ["before", "held", "after"]) {
        assert.equal(cutWhile(name), 0, `fresh GETs cut in the "${name}" phase`);
      }
      assert.ok(
        cutWhile("flood") <= 0.1 * fresh("flood").length,
        `${cutWhile("flood")} of ${fresh("flood").length} fresh GETs cut while the flood arrived`,
      );
      assert.ok(peak.fds < SERVER_FD_LIMIT, `the server held ${peak.fds} descriptors`);
      // Measured: 82 MiB → 210-270 MiB at the peak (V8 keeps the garbage of ~5000 connections a
      // second for a while); a bound on what a flood can cost, not a target.
      assert.ok(
        peak.rssMiB < baseline.rssMiB + 512,
        `the server grew from ${baseline.rssMiB.toFixed(0)} to ${peak.rssMiB.toFixed(0)} MiB`,
      );
    } finally {
      learning = false;
      await Promise.all(attackers.map(stopAttacker));
      try {
        server.child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await server.child.status;
    }
  });
});
