/**
 * Bad requests against a running server: path traversal on every route, malformed and unknown
 * socket messages, a flood of executes, more notebooks than live kernels, and idle kernels.
 */
import assert from "node:assert/strict";
import type { ServerMessage } from "../../web/messages.ts";
import {
  EchoKernel,
  rawRequest,
  SocketClient,
  startCourseServer,
  withTempDir,
  writeCourse,
} from "./support.ts";

const TRAVERSALS = [
  "../../../../etc/passwd",
  "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
  "%2E%2E%2F%2E%2E%2Fdeno.json",
  "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
  "%25252e%25252e%25252fdeno.json",
  "..%5c..%5c..%5cetc%5cpasswd",
  "..\\..\\..\\etc\\passwd",
  ".%2e/.%2e/.%2e/etc/passwd",
  "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
  "01-a/..%2f..%2f..%2fdeno.json",
];

/** Every route, with `$` where a traversal goes (GET unless a method is given). */
const ROUTES: [string, string][] = [
  ["GET", "/$"],
  ["GET", "/lessons/$"],
  ["GET", "/assets/$"],
  ["GET", "/assets/katex/$"],
  ["GET", "/assets/katex/fonts/$"],
  ["GET", "/ws/lessons/$"],
  ["GET", "/api/$"],
  ["GET", "/api/lessons/$/state"],
  ["POST", "/api/lessons/$/sources"],
  ["POST", "/api/lessons/$/outputs/clear"],
  ["POST", "/api/lessons/$/exercises/x/check"],
  ["POST", "/api/lessons/01-a/exercises/$/hints"],
  ["POST", "/api/lessons/01-a/exercises/$/solution"],
  ["GET", "/api/progress/$"],
  ["POST", "/api/progress/import/$"],
  ["POST", "/progress/$"],
];

function isNotice(text: RegExp) {
  return (m: ServerMessage) => m.type === "notice" && text.test(m.text);
}

Deno.test("Path traversal is refused with 400 on every route, however it is encoded", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root);
    try {
      const secret = await Deno.readTextFile(new URL("../../deno.json", import.meta.url));
      for (const [method, route] of ROUTES) {
        for (const traversal of TRAVERSALS) {
          const target = route.replace("$", traversal);
          const response = await rawRequest(
            server.port,
            method,
            target,
            {},
            method === "POST" ? "{}" : "",
          );
          assert.equal(response.status, 400, `${method} ${target} is refused`);
          assert.ok(!response.body.includes("root:"), `${target} leaked /etc/passwd`);
          assert.ok(!response.body.includes(secret.slice(0, 200)), `${target} leaked deno.json`);
          assert.match(response.body, /The request was refused: the path/);
        }
      }
      // The server still serves the real pages afterwards.
      assert.equal((await rawRequest(server.port, "GET", "/lessons/01-a")).status, 200);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("Malformed, unknown and oversized socket messages get a clear notice and the socket stays usable", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root);
    const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`);
    try {
      assert.equal(await socket.opened, true);
      const cases: [string | Uint8Array<ArrayBuffer>, RegExp][] = [
        ["{not json", /not JSON/],
        ["[1, 2]", /is an array, not an object/],
        ["null", /is null, not an object/],
        ['{"type": "launch-missiles"}', /Unknown message type "launch-missiles"/],
        ['{"kind": "execute"}', /without a "type" string/],
        ['{"type": "execute", "runId": "r1", "cellId": "c1"}', /"code" must be a string/],
        ['{"type": "execute", "runId": {}, "cellId": "c1", "code": "1"}', /"runId" must be/],
        [
          JSON.stringify({ type: "execute", runId: "r".repeat(500), cellId: "c1", code: "1" }),
          /"runId" is 500 characters long/,
        ],
        [
          JSON.stringify({ type: "execute", runId: "r", cellId: "c1", code: "x".repeat(3 << 20) }),
          /more than the limit of 2097152/,
        ],
        [new Uint8Array([1, 2, 3]), /binary message/],
      ];
      for (const [data, expected] of cases) {
        socket.socket.send(data);
        await socket.waitFor(isNotice(expected), 5000, `a notice matching ${expected}`);
      }
      assert.ok(
        !socket.messages.some((m) => m.type === "queued"),
        "no malformed execute was queued",
      );
      socket.send({ type: "execute", runId: "ok-1", cellId: "c1", code: "still here" });
      const done = await socket.waitFor((m) => m.type === "done" && m.runId === "ok-1");
      assert.equal(done.type === "done" && done.status, "ok");
      assert.equal(socket.socket.readyState, WebSocket.OPEN);
    } finally {
      await socket.close();
      await server.shutdown();
    }
  });
});

Deno.test("A flood of executes is cut at the lesson's queue limit with a clear message", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root, {
      createKernel: () => new EchoKernel(20),
      limits: { maxQueued: 5 },
    });
    const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`);
    try {
      assert.equal(await socket.opened, true);
      for (let i = 0; i < 50; i++) {
        socket.send({ type: "execute", runId: `r${i}`, cellId: "c1", code: `${i}` });
      }
      for (let i = 0; i < 50; i++) {
        await socket.waitFor((m) => m.type === "done" && m.runId === `r${i}`);
      }
      const done = socket.messages.filter((m) => m.type === "done");
      const ran = done.filter((m) => m.status === "ok");
      const refused = done.filter((m) => m.status === "aborted");
      assert.ok(ran.length >= 5 && ran.length <= 7, `ran ${ran.length}`);
      assert.equal(ran.length + refused.length, 50);
      assert.match(
        refused[0]!.message!,
        /^Not queued: 5 cells are already waiting \(the limit is 5\)/,
      );
      socket.send({ type: "execute", runId: "after", cellId: "c1", code: "ok" });
      const after = await socket.waitFor((m) => m.type === "done" && m.runId === "after");
      assert.equal(after.type === "done" && after.status, "ok", "the lesson runs cells again");
    } finally {
      await socket.close();
      await server.shutdown();
    }
  });
});

Deno.test("With the kernel limit reached, the oldest idle kernel is culled with a notice", async () => {
  await withTempDir(async (root) => {
    const slugs = await writeCourse(root, 3);
    EchoKernel.live = 0;
    const server = await startCourseServer(root, { limits: { maxKernels: 2 } });
    const ws = (slug: string) => `${server.url.replace("http", "ws")}ws/lessons/${slug}`;
    const sockets = slugs.map(() => null as SocketClient | null);
    try {
      for (const [i, slug] of slugs.entries()) {
        const socket = new SocketClient(ws(slug));
        sockets[i] = socket;
        assert.equal(await socket.opened, true);
        await socket.waitFor((m) => m.type === "kernel" && m.state === "idle");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [a, b, c] = sockets as SocketClient[];
      await a!.waitFor(isNotice(/stopped to make room for another notebook \(at most 2 kernels/));
      assert.equal(EchoKernel.live, 2);
      assert.ok(!b!.messages.some((m) => m.type === "notice"), "b was not culled");
      assert.ok(!c!.messages.some((m) => m.type === "notice"), "c was not culled");
      // Running a cell in the culled lesson starts its kernel again, culling the next oldest.
      a!.send({ type: "execute", runId: "again", cellId: "c1", code: "back" });
      const done = await a!.waitFor((m) => m.type === "done" && m.runId === "again");
      assert.equal(done.type === "done" && done.status, "ok");
      await b!.waitFor(isNotice(/stopped to make room/));
      assert.equal(EchoKernel.live, 2);
    } finally {
      for (const socket of sockets) await socket?.close();
      await server.shutdown();
    }
  });
});

Deno.test("When every live kernel is busy, a new notebook is told to wait instead of culling", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 2);
    const server = await startCourseServer(root, {
      createKernel: () => new EchoKernel(800),
      limits: { maxKernels: 1 },
    });
    const ws = (slug: string) => `${server.url.replace("http", "ws")}ws/lessons/${slug}`;
    const a = new SocketClient(ws("01-a"));
    let b: SocketClient | null = null;
    try {
      await a.waitFor((m) => m.type === "kernel" && m.state === "idle");
      a.send({ type: "execute", runId: "long", cellId: "c1", code: "busy" });
      await a.waitFor((m) => m.type === "started");
      b = new SocketClient(ws("02-b"));
      // b's kernel could not start: the page shows it stopped, and its cells are refused.
      await b.waitFor((m) => m.type === "kernel" && m.state === "dead");
      b.send({ type: "execute", runId: "refused", cellId: "c1", code: "1" });
      const refused = await b.waitFor((m) => m.type === "done" && m.runId === "refused");
      assert.equal(refused.type === "done" && refused.status, "died");
      assert.match(
        refused.type === "done" ? refused.message ?? "" : "",
        /^Not run: the server already runs 1 kernels \(its limit\) and every one is busy/,
      );
      const long = await a.waitFor((m) => m.type === "done" && m.runId === "long");
      assert.equal(long.type === "done" && long.status, "ok", "the busy kernel was not culled");
      b.send({ type: "execute", runId: "later", cellId: "c1", code: "1" });
      const later = await b.waitFor((m) => m.type === "done" && m.runId === "later");
      assert.equal(later.type === "done" && later.status, "ok", "runs once a kernel is idle");
      await a.waitFor(isNotice(/stopped to make room/));
    } finally {
      await a.close();
      await b?.close();
      await server.shutdown();
    }
  });
});

Deno.test("A kernel idle past the timeout is stopped with a notice and starts again on the next cell", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    EchoKernel.live = 0;
    const server = await startCourseServer(root, { limits: { idleTimeoutMs: 300 } });
    const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`);
    try {
      await socket.waitFor((m) => m.type === "kernel" && m.state === "idle");
      assert.equal(EchoKernel.live, 1);
      await socket.waitFor(isNotice(/stopped after 300 ms idle; its variables were lost/), 5000);
      assert.equal(EchoKernel.live, 0);
      socket.send({ type: "execute", runId: "r", cellId: "c1", code: "1" });
      const done = await socket.waitFor((m) => m.type === "done" && m.runId === "r");
      assert.equal(done.type === "done" && done.status, "ok");
      assert.equal(EchoKernel.live, 1);
    } finally {
      await socket.close();
      await server.shutdown();
    }
  });
});
