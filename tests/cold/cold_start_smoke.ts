/**
 * The cold-cache smoke (`.ci/run` runs it; not part of `deno task test`): a fresh clone of this
 * checkout's committed HEAD with its own empty `DENO_DIR`, no `node_modules/` and no `build/`,
 * driven only by the README's commands. It proves that a new user's first `deno task serve`
 * runs cells (a kernel started with `--cached-only` finds every package it loads) and that
 * `deno task check` passes. Run it by hand with
 * `deno test --allow-all tests/cold/cold_start_smoke.ts` (a few minutes: it downloads the npm
 * packages twice, once per fresh cache).
 *
 * @module
 */
import assert from "node:assert/strict";

const REPO = decodeURIComponent(new URL("../../", import.meta.url).pathname);
/** A first run downloads ~350 packages; on a loaded 2-core machine that can take minutes. */
const FIRST_RUN_LIMIT_MS = 15 * 60_000;

interface FreshCheckout {
  dir: string;
  env: Record<string, string>;
}

/** Clones HEAD into a temporary folder with an empty Deno cache of its own. */
async function freshCheckout(): Promise<FreshCheckout> {
  const root = await Deno.makeTempDir({ prefix: "gradbook-cold-" });
  const dir = `${root}/checkout`;
  const clone = await new Deno.Command("git", {
    args: ["clone", "--quiet", REPO, dir],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(clone.success, new TextDecoder().decode(clone.stderr));
  const env = {
    DENO_DIR: `${root}/deno-cache`,
    GRADBOOK_DATA: `${root}/data`,
    NO_COLOR: "1",
  };
  return { dir, env };
}

async function removeCheckout({ dir }: FreshCheckout): Promise<void> {
  await Deno.remove(dir.slice(0, dir.lastIndexOf("/")), { recursive: true }).catch(() => {});
}

/** Reads a child's stream into `sink` until it closes. */
async function collect(stream: ReadableStream<Uint8Array>, sink: { text: string }) {
  const decoder = new TextDecoder();
  for await (const chunk of stream) sink.text += decoder.decode(chunk, { stream: true });
}

async function waitFor<T>(what: string, poll: () => T | undefined, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const value = poll();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Gave up waiting for ${what} after ${limitMs / 1000} s`);
}

/** Runs cells over the lesson's WebSocket and returns each cell's outputs, in order. */
async function runCells(baseUrl: string, lesson: string, cells: string[]): Promise<unknown[][]> {
  const socket = new WebSocket(`${baseUrl.replace("http", "ws")}ws/lessons/${lesson}`);
  const outputs = new Map<string, unknown[]>();
  const done = new Map<string, string>();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "output") {
      outputs.set(message.runId, [...outputs.get(message.runId) ?? [], message.output]);
    } else if (message.type === "done") done.set(message.runId, message.status);
  };
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`Could not open the socket of ${lesson}`));
  });
  try {
    const results: unknown[][] = [];
    for (const [i, code] of cells.entries()) {
      const runId = `smoke-${i}`;
      socket.send(JSON.stringify({ type: "execute", runId, cellId: `cell-${i}`, code }));
      const status = await waitFor(`cell ${i} to finish`, () => done.get(runId), 120_000);
      const produced = outputs.get(runId) ?? [];
      assert.equal(status, "ok", `cell ${i} ended "${status}": ${JSON.stringify(produced)}`);
      results.push(produced);
    }
    return results;
  } finally {
    socket.close();
  }
}

Deno.test({
  name: "a fresh clone with an empty Deno cache: `deno task serve` runs 1+1 and a dataset cell",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const checkout = await freshCheckout();
    const port = 18_700 + Math.floor(Math.random() * 200);
    const server = new Deno.Command(Deno.execPath(), {
      args: ["task", "serve", "--port", String(port), "--no-token"],
      cwd: checkout.dir,
      env: checkout.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const printed = { text: "" };
    const reading = Promise.all([
      collect(server.stdout, printed),
      collect(server.stderr, printed),
    ]);
    try {
      const url = await waitFor(
        "the server to print its URL",
        () => printed.text.match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0],
        FIRST_RUN_LIMIT_MS,
      );
      const [sum, names] = await runCells(url, "00-tour", [
        "1 + 1",
        'import { loadFemaleFirstNames } from "gradbook/datasets";\n' +
        "(await loadFemaleFirstNames()).length > 1000",
      ]);
      assert.match(JSON.stringify(sum), /"text\/plain":"2"/);
      assert.match(JSON.stringify(names), /"text\/plain":"true"/);
      // The first run explains itself in a line or two instead of hundreds of downloads.
      assert.match(printed.text, /preparing packages \(first run only/);
      assert.doesNotMatch(printed.text, /^Download /m);
    } finally {
      server.kill("SIGINT");
      await server.status;
      await reading;
      await removeCheckout(checkout);
    }
  },
});

Deno.test({
  name: "a fresh clone with an empty Deno cache: `deno task check lessons/00-tour.md` passes",
  async fn() {
    const checkout = await freshCheckout();
    try {
      const check = await new Deno.Command(Deno.execPath(), {
        args: ["task", "check", "lessons/00-tour.md"],
        cwd: checkout.dir,
        env: checkout.env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(check.stdout) + new TextDecoder().decode(check.stderr);
      assert.ok(check.success, `deno task check failed:\n${text}`);
      assert.match(text, /check passed: 1 lessons/);
    } finally {
      await removeCheckout(checkout);
    }
  },
});
