/**
 * The server's front door (`web/server/security.ts`) seen from outside: token auth, Origin and
 * Host checks, body limits, against a running server.
 */
import assert from "node:assert/strict";
import {
  rawRequest,
  SocketClient,
  startCourseServer,
  withTempDir,
  writeCourse,
} from "./support.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";

Deno.test("With a token, nothing is served without it, and the URL's token becomes a strict HttpOnly cookie", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root, { security: { token: TOKEN } });
    try {
      assert.equal(server.openUrl, `${server.url}?token=${TOKEN}`);
      for (const path of ["", "lessons/01-a", "api/lessons", "api/lessons/01-a/state"]) {
        const response = await fetch(server.url + path);
        assert.equal(response.status, 403, `/${path} without a token`);
        assert.match(await response.text(), /needs its token/);
      }
      const wrong = await fetch(`${server.url}?token=${"f".repeat(32)}`, { redirect: "manual" });
      assert.equal(wrong.status, 403);
      await wrong.body?.cancel();

      const login = await fetch(`${server.url}lessons/01-a?token=${TOKEN}`, { redirect: "manual" });
      assert.equal(login.status, 303);
      assert.equal(login.headers.get("location"), "/lessons/01-a");
      const cookie = login.headers.get("set-cookie") ?? "";
      // The cookie is derived from the data folder's secret, not the token (restart_cookie_test).
      assert.match(cookie, new RegExp(`^gradbook-token-${server.port}=[0-9a-f]{64};`));
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const page = await fetch(`${server.url}lessons/01-a`, {
        headers: { cookie: cookie.split(";")[0]! },
      });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("x-frame-options"), "DENY");
      await page.body?.cancel();
      const scripted = await fetch(`${server.url}api/lessons`, {
        headers: { authorization: `token ${TOKEN}` },
      });
      assert.equal(scripted.status, 200);
      await scripted.body?.cancel();
      const saved = await fetch(`${server.url}api/lessons/01-a/sources`, {
        method: "POST",
        body: JSON.stringify({ sources: { c1: "stolen()" } }),
      });
      assert.equal(saved.status, 403, "a POST without the token changes nothing");
      await saved.body?.cancel();

      const ws = `${server.url.replace("http", "ws")}ws/lessons/01-a`;
      const anonymous = new SocketClient(ws);
      assert.equal(await anonymous.opened, false, "a socket without the token is refused");
      await anonymous.closed;
      const withCookie = new SocketClient(ws, { cookie: cookie.split(";")[0]! });
      assert.equal(await withCookie.opened, true);
      await withCookie.close();
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("Another origin can neither call the API nor open a kernel socket, even with the cookie", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root, { security: { token: TOKEN } });
    try {
      const login = await fetch(`${server.url}?token=${TOKEN}`, { redirect: "manual" });
      await login.body?.cancel();
      const auth = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
      assert.match(auth, new RegExp(`^gradbook-token-${server.port}=`));
      for (const origin of ["http://evil.example", "null", `http://127.0.0.1:${server.port + 1}`]) {
        const post = await fetch(`${server.url}api/lessons/01-a/sources`, {
          method: "POST",
          headers: { cookie: auth, origin, "content-type": "application/json" },
          body: JSON.stringify({ sources: { c1: "evil()" } }),
        });
        assert.equal(post.status, 403, `POST from ${origin}`);
        assert.match((await post.json()).error, /Requests from other web pages are refused/);
        const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`, {
          cookie: auth,
          origin,
        });
        assert.equal(await socket.opened, false, `socket from ${origin}`);
        await socket.closed;
      }
      const state = await fetch(`${server.url}api/lessons/01-a/state`, {
        headers: { cookie: auth },
      });
      assert.deepEqual((await state.json()).sources, {}, "nothing was saved");
      const same = await fetch(`${server.url}api/lessons/01-a/sources`, {
        method: "POST",
        headers: { cookie: auth, origin: `http://127.0.0.1:${server.port}` },
        body: JSON.stringify({ sources: { c1: "mine()" } }),
      });
      assert.equal(same.status, 200, "the page's own origin is accepted");
      await same.body?.cancel();
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("A Host other than loopback with this port is refused (DNS rebinding)", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root);
    try {
      const port = server.port;
      for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${port + 1}`, ""]) {
        const response = await rawRequest(port, "GET", "/api/lessons", { host });
        assert.equal(response.status, 403, `Host "${host}"`);
      }
      const absolute = await rawRequest(port, "GET", "http://evil.example/api/lessons");
      assert.equal(absolute.status, 403, "an absolute URL naming another host");
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
        assert.equal((await rawRequest(port, "GET", "/api/lessons", { host })).status, 200, host);
      }
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("Bodies over the limit are refused with 413, declared or streamed", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root, { security: { maxBodyBytes: 64 * 1024 } });
    try {
      const big = JSON.stringify({ sources: { c1: "x".repeat(100 * 1024) } });
      const declared = await fetch(`${server.url}api/lessons/01-a/sources`, {
        method: "POST",
        body: big,
      });
      assert.equal(declared.status, 413);
      assert.match((await declared.json()).error, /larger than the limit of 65536 bytes/);
      const bytes = new TextEncoder().encode(big);
      const streamed = await fetch(`${server.url}api/lessons/01-a/sources`, {
        method: "POST",
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 8192) {
              controller.enqueue(bytes.slice(i, i + 8192));
            }
            controller.close();
          },
        }),
      });
      assert.equal(streamed.status, 413, "a chunked body without a length is counted too");
      await streamed.body?.cancel();
      const small = await fetch(`${server.url}api/lessons/01-a/sources`, {
        method: "POST",
        body: JSON.stringify({ sources: { c1: "fine" } }),
      });
      assert.equal(small.status, 200);
      await small.body?.cancel();
      const state = await (await fetch(`${server.url}api/lessons/01-a/state`)).json();
      assert.deepEqual(state.sources, { c1: "fine" });
    } finally {
      await server.shutdown();
    }
  });
});
