import assert from "node:assert/strict";
import { join } from "node:path";
import type { KernelEvent, KernelState } from "../../notebook/kernel/protocol.ts";
import type { ServerMessage } from "../messages.ts";
import { startServer } from "./app.ts";
import { staticImports } from "./build_client.ts";
import type { ExecuteReply, Kernel, KernelStatusEvent } from "../../notebook/kernel/kernel.ts";

const LESSON = `---
title: Server test
summary: For the route tests.
objectives: [Test routes]
minutes: 2
order: 1
---

# Server test

Math: $x^2$.

\`\`\`ts
print("hi")
\`\`\`

\`\`\`ts
fail()
\`\`\`

\`\`\`ts norun
shown only
\`\`\`
`;

/** A kernel that prints the code it gets, fails on "fail()", and records its lifecycle. */
class FakeKernel implements Kernel {
  static instances: FakeKernel[] = [];
  state: KernelState = "starting";
  shutdowns = 0;
  executed: string[] = [];
  #listeners = new Set<(status: KernelStatusEvent) => void>();
  #count = 0;

  constructor() {
    FakeKernel.instances.push(this);
  }
  onStatus(callback: (status: KernelStatusEvent) => void) {
    this.#listeners.add(callback);
    return () => {
      this.#listeners.delete(callback);
    };
  }
  #set(state: KernelState) {
    this.state = state;
    for (const listener of this.#listeners) listener({ state });
  }
  start() {
    this.#set("idle");
    return Promise.resolve();
  }
  async execute(cellId: string, code: string, onEvent: (event: KernelEvent) => void) {
    this.executed.push(cellId);
    this.#set("busy");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const id = `x${++this.#count}`;
    let status: ExecuteReply["status"] = "ok";
    if (code.includes("fail()")) {
      onEvent({ type: "error", id, name: "Error", message: "boom", stack: "cell:1:1", line: 1 });
      status = "error";
    } else {
      onEvent({ type: "stream", id, name: "stdout", text: `ran ${code}\n` });
      onEvent({ type: "display", id, data: { "text/latex": "x^2" } });
    }
    this.#set("idle");
    return { type: "reply", id, status, executionCount: this.#count, elapsedMs: 5 } as ExecuteReply;
  }
  interrupt() {
    return Promise.resolve("idle" as const);
  }
  restart() {
    this.#count = 0;
    return Promise.resolve();
  }
  shutdown() {
    this.shutdowns++;
    this.#set("dead");
    return Promise.resolve();
  }
}

async function withServer(
  body: (url: string, root: string) => Promise<void>,
  port = 0,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "gradbook-server-" });
  await Deno.mkdir(join(root, "lessons"));
  await Deno.writeTextFile(join(root, "lessons", "01-server.md"), LESSON);
  const server = await startServer({
    lessonsDir: join(root, "lessons"),
    dataDir: join(root, "data"),
    port,
    createKernel: () => new FakeKernel(),
  });
  try {
    await body(server.url, root);
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
}

/** Opens a lesson socket and collects messages until `until` says stop. */
async function socketSession(
  url: string,
  send: (socket: WebSocket) => void,
  until: (messages: ServerMessage[]) => boolean,
): Promise<ServerMessage[]> {
  const socket = new WebSocket(url.replace("http", "ws") + "ws/lessons/01-server");
  const messages: ServerMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("No finished run within 5 s")), 5000);
    socket.onopen = () => send(socket);
    socket.onmessage = (event) => {
      messages.push(JSON.parse(event.data));
      if (until(messages)) {
        clearTimeout(timer);
        resolve();
      }
    };
    socket.onerror = () => reject(new Error("The socket failed"));
  });
  const closed = new Promise((resolve) => socket.onclose = resolve);
  socket.close();
  await closed;
  return messages;
}

Deno.test("The index lists lessons with progress and the lesson page preloads its JSON", async () => {
  await withServer(async (url) => {
    const index = await fetch(url);
    assert.equal(index.status, 200);
    const indexHtml = await index.text();
    assert.match(indexHtml, /Server test/);
    assert.match(indexHtml, /0 of 2 cells run/);

    const page = await fetch(`${url}lessons/01-server`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /class="katex"/);
    // The page's data is fetched beside the HTML (preloaded in its head), not embedded in it.
    const dataUrl = html.match(/<div id="notebook" class="notebook" data-page="([^"]+)"/)?.[1];
    assert.equal(dataUrl, "/api/lessons/01-server/page");
    assert.match(
      html,
      /<link rel="preload" as="fetch" crossorigin="anonymous" href="\/api\/lessons\/01-server\/page"/,
    );
    assert.doesNotMatch(html, /application\/json/);
    const dataResponse = await fetch(url + dataUrl.slice(1));
    assert.equal(dataResponse.headers.get("cache-control"), "no-store");
    const data = await dataResponse.json();
    assert.equal(data.lesson.slug, "01-server");
    assert.deepEqual(
      data.lesson.blocks.filter((b: { kind: string }) => b.kind === "code").map((
        b: { id: string },
      ) => b.id),
      ["c1", "c2", "c3"],
    );
    // The "# Server test" heading repeats the title, so it is dropped from the prose; the prose
    // is in the static blocks only (the page data leaves it out, see slim_page_data.ts).
    const prose = html.match(/<div class="prose" data-prose="0">(.*?)<\/div>/s)?.[1];
    assert.ok(prose !== undefined && prose !== "", "the static page holds the first prose block");
    assert.doesNotMatch(prose, /<h1/);
    assert.equal(data.lesson.blocks[0].html, "");
    const js = html.match(/src="(\/assets\/app\.[0-9a-f]+\.js)"/)?.[1];
    const css = html.match(/href="(\/assets\/style\.[0-9a-f]+\.css)"/)?.[1];
    assert.ok(js !== undefined && css !== undefined);
    const jsResponse = await fetch(url + js.slice(1));
    assert.equal(jsResponse.headers.get("content-type"), "text/javascript; charset=utf-8");
    const entry = await jsResponse.text();
    assert.ok(entry.length > 10_000);
    // The entry's chunks are served beside it: the ones it imports at once are preloaded with it,
    // the cell editor's is loaded after the page mounts.
    for (const chunk of staticImports(entry)) {
      assert.match(html, new RegExp(`<link rel="modulepreload" href="/assets/${chunk}"`));
    }
    const editorChunk = entry.match(/import\("\.\/(editor-[\w]+\.js)"\)/)?.[1];
    assert.ok(editorChunk !== undefined, "the entry loads the editor's chunk");
    const editorResponse = await fetch(`${url}assets/${editorChunk}`);
    assert.equal(editorResponse.status, 200);
    assert.match(editorResponse.headers.get("cache-control") ?? "", /immutable/);
    assert.match(await editorResponse.text(), /cm-scroller/);
    assert.equal((await fetch(`${url}assets/editor-NOTABUILD.js`)).status, 404);
    const traversal = await fetch(`${url}assets/..%2Fdeno.json`);
    assert.ok([400, 404].includes(traversal.status), `${traversal.status}`);
    await traversal.body?.cancel();
    const cssResponse = await fetch(url + css.slice(1));
    assert.match(await cssResponse.text(), /prefers-color-scheme: dark/);

    const missing = await fetch(`${url}lessons/nope`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /There is no lesson &quot;nope&quot;/);
    const missingData = await fetch(`${url}api/lessons/nope/page`);
    assert.equal(missingData.status, 404);
    assert.deepEqual(await missingData.json(), { error: 'There is no lesson "nope".' });
  });
});

Deno.test("KaTeX CSS and fonts are served from the local katex package", async () => {
  await withServer(async (url) => {
    const css = await fetch(`${url}assets/katex/katex.min.css`);
    assert.equal(css.status, 200);
    const text = await css.text();
    const font = text.match(/url\(fonts\/(KaTeX_Main-Regular\.woff2)\)/)?.[1];
    assert.ok(font !== undefined, "katex.min.css refers to fonts/KaTeX_Main-Regular.woff2");
    const fontResponse = await fetch(`${url}assets/katex/fonts/${font}`);
    assert.equal(fontResponse.status, 200);
    assert.equal(fontResponse.headers.get("content-type"), "font/woff2");
    await fontResponse.body?.cancel();
    const escape = await fetch(`${url}assets/katex/fonts/..%2F..%2Fpackage.json`);
    assert.equal(escape.status, 400, "security.ts refuses the traversal before routing");
    await escape.body?.cancel();
  });
});

Deno.test("Saved sources come back in the state, and saving the original resets a cell", async () => {
  await withServer(async (url) => {
    const post = (body: unknown) =>
      fetch(`${url}api/lessons/01-server/sources`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    assert.equal((await (await post({ sources: { c1: "edited()" } })).json()).saved, 1);
    let state = await (await fetch(`${url}api/lessons/01-server/state`)).json();
    assert.deepEqual(state.sources, { c1: "edited()" });
    await (await post({ sources: { c1: 'print("hi")' } })).body?.cancel();
    state = await (await fetch(`${url}api/lessons/01-server/state`)).json();
    assert.deepEqual(state.sources, {});

    const unknown = await post({ sources: { c99: "x" } });
    assert.equal(unknown.status, 400);
    assert.match((await unknown.json()).error, /no editable cell "c99"/);
    const bad = await fetch(`${url}api/lessons/01-server/sources`, { method: "POST", body: "{" });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    const noLesson = await fetch(`${url}api/lessons/nope/state`);
    assert.equal(noLesson.status, 404);
    await noLesson.body?.cancel();
  });
});

Deno.test("The lesson socket runs cells in order, stops the queue after an error, and saves runs", async () => {
  FakeKernel.instances = [];
  await withServer(async (url) => {
    const messages = await socketSession(
      url,
      (socket) => {
        for (
          const [runId, cellId, code] of [["r1", "c1", "a"], ["r2", "c2", "fail()"], [
            "r3",
            "c1",
            "b",
          ]]
        ) {
          socket.send(JSON.stringify({ type: "execute", runId, cellId, code }));
        }
      },
      (all) => all.some((m) => m.type === "done" && m.runId === "r3"),
    );
    const done = messages.filter((m) => m.type === "done");
    assert.deepEqual(done.map((m) => m.type === "done" && [m.runId, m.status]), [
      ["r1", "ok"],
      ["r2", "error"],
      ["r3", "aborted"],
    ]);
    const outputs = messages.filter((m) => m.type === "output" && m.runId === "r1");
    assert.equal(outputs.length, 2);
    const display = outputs[1];
    assert.ok(display?.type === "output" && display.output.type === "display");
    assert.match(
      String(display.output.data["text/html"]),
      /katex/,
      "LaTeX is rendered on the server",
    );
    assert.deepEqual(FakeKernel.instances[0]?.executed, ["c1", "c2"]);

    const state = await (await fetch(`${url}api/lessons/01-server/state`)).json();
    assert.equal(state.runs.c1.status, "ok");
    assert.equal(state.runs.c1.outputs[0].text, "ran a\n");
    assert.equal(state.runs.c2.status, "error");
    assert.match(await (await fetch(url)).text(), /1 of 2 cells run/);

    const cleared = await fetch(`${url}api/lessons/01-server/outputs/clear`, {
      method: "POST",
      body: JSON.stringify({ cellIds: ["c1"] }),
    });
    assert.equal((await cleared.json()).cleared, 1);
    const after = await (await fetch(`${url}api/lessons/01-server/state`)).json();
    assert.deepEqual(after.runs.c1.outputs, []);
  });
  assert.equal(FakeKernel.instances.length, 1);
  assert.equal(FakeKernel.instances[0]?.shutdowns, 1, "shutdown stops the lesson's kernel");
});

Deno.test("The server takes the next port when the first is taken", async () => {
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const taken = (blocker.addr as Deno.NetAddr).port;
  try {
    await withServer(async (url) => {
      assert.equal(new URL(url).port, String(taken + 1));
      await (await fetch(url)).body?.cancel();
    }, taken);
  } finally {
    blocker.close();
  }
});
