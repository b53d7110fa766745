import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "../app.ts";
import { IdleKernel, writeLessons } from "../test_support.ts";
import { REPO_ROOT } from "../build_client.ts";
import { hubConfigFromEnv } from "./config.ts";
import { HubAuth } from "./oauth.ts";
import { ActivityReporter } from "./activity.ts";
import { FakeHub } from "./fake_hub.ts";

const LESSON = `---
title: Hub lesson
summary: Served under a prefix.
objectives: [Log in]
minutes: 1
order: 1
---

# Hub lesson

\`\`\`ts
1 + 1
\`\`\`
`;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return cookies;
}

/** A gradbook server in hub mode, with alice's variables from a fake hub. */
async function startHubServer(options: { exchange?: string } = {}) {
  const hub = new FakeHub();
  const root = await Deno.makeTempDir({ prefix: "gradbook-hub-" });
  const lessonsDir = await writeLessons(root, { "01-hub.md": LESSON });
  const port = freePort();
  const config = hubConfigFromEnv((name) => hub.env(port)[name]);
  const auth = new HubAuth(config);
  const activity = new ActivityReporter({
    url: config.activityUrl!,
    token: config.apiToken,
    serverName: config.serverName,
    intervalMs: 3_600_000,
    log: () => {},
  });
  const server = await startServer({
    lessonsDir,
    dataDir: join(root, "data"),
    hostname: config.hostname,
    port: config.port,
    portAttempts: 1,
    createKernel: () => new IdleKernel(),
    security: { token: null, behindProxy: true },
    basePath: config.prefix,
    authenticate: (request) => auth.authenticate(request),
    onActivity: () => activity.note(),
    exchange: options.exchange === undefined
      ? undefined
      : { dir: options.exchange, learner: "nobody" },
  });
  const origin = `http://127.0.0.1:${port}`;
  /** Logs `user` in through the OAuth dance; returns the session cookie header. */
  const login = async (user: string, scopes?: string[]): Promise<Response> => {
    const first = await fetch(`${origin}/user/alice/lessons/01-hub?x=1`, { redirect: "manual" });
    await first.body?.cancel();
    assert.equal(first.status, 302);
    const location = new URL(first.headers.get("location")!, origin);
    const state = location.searchParams.get("state")!;
    const stateCookie = cookiesOf(first).get(`${hub.clientId}-oauth-state`);
    assert.equal(stateCookie, state);
    const code = hub.issueCode(user, location.searchParams.get("redirect_uri")!, scopes);
    return await fetch(
      `${origin}/user/alice/oauth_callback?code=${code}&state=${state}`,
      { redirect: "manual", headers: { cookie: `${hub.clientId}-oauth-state=${state}` } },
    );
  };
  return {
    hub,
    origin,
    login,
    activity,
    async close() {
      await activity.stop();
      await server.shutdown();
      await hub.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("hub mode: a visitor without a session is sent to the hub's authorize URL", async () => {
  const t = await startHubServer();
  try {
    const response = await fetch(`${t.origin}/user/alice/`, { redirect: "manual" });
    await response.body?.cancel();
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get("location")!, t.origin);
    assert.equal(location.pathname, "/hub/api/oauth2/authorize");
    assert.equal(location.searchParams.get("client_id"), "jupyterhub-user-alice");
    assert.equal(location.searchParams.get("redirect_uri"), "/user/alice/oauth_callback");
    assert.equal(location.searchParams.get("response_type"), "code");
    assert.match(location.searchParams.get("state")!, /^[0-9a-f]{48}$/);
    const setCookie = response.headers.getSetCookie().join("\n");
    assert.match(setCookie, /Path=\/user\/alice\/; HttpOnly; SameSite=Lax/);
    // APIs and WebSockets are refused rather than redirected.
    const api = await fetch(`${t.origin}/user/alice/api/lessons`);
    assert.equal(api.status, 403);
    assert.match((await api.json()).error, /through JupyterHub/);
    const socket = await fetch(`${t.origin}/user/alice/ws/lessons/01-hub`, {
      headers: { upgrade: "websocket" },
    });
    await socket.body?.cancel();
    assert.equal(socket.status, 403);
  } finally {
    await t.close();
  }
});

Deno.test("hub mode: alice logs in by OAuth and every route works under /user/alice/", async () => {
  const t = await startHubServer();
  try {
    const callback = await t.login("alice");
    await callback.body?.cancel();
    assert.equal(callback.status, 302);
    assert.equal(callback.headers.get("location"), "/user/alice/lessons/01-hub?x=1");
    const tokenRequest = t.hub.tokenRequests.at(-1)!;
    assert.equal(tokenRequest.client_secret, t.hub.apiToken);
    assert.equal(tokenRequest.redirect_uri, "/user/alice/oauth_callback");
    const session = cookiesOf(callback).get("jupyterhub-user-alice")!;
    assert.match(session, /^[0-9a-f]{48}$/);
    const headers = { cookie: `jupyterhub-user-alice=${session}` };

    const index = await (await fetch(`${t.origin}/user/alice/`, { headers })).text();
    assert.match(index, /<html lang="en" data-base="\/user\/alice\/">/);
    assert.match(index, /href="\/user\/alice\/lessons\/01-hub"/);
    // No link, form or asset of the page escapes the prefix.
    const urls = [...index.matchAll(/(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(urls.length > 5);
    for (const url of urls) {
      if (url.startsWith("data:")) continue;
      assert.ok(url.startsWith("/user/alice/"), `${url} is outside the prefix`);
    }
    const page = await (await fetch(`${t.origin}/user/alice/lessons/01-hub`, { headers })).text();
    const script = page.match(/<script type="module" src="([^"]+)"/)![1]!;
    const js = await fetch(`${t.origin}${script}`, { headers });
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type")!, /javascript/);
    await js.body?.cancel();
    const css = page.match(/href="(\/user\/alice\/assets\/katex\/katex\.min\.css)"/)![1]!;
    assert.equal(
      (await fetch(`${t.origin}${css}`, { headers }).then((r) => r.text(), () => ""))
        .includes(".katex"),
      true,
    );
    const api = await fetch(`${t.origin}/user/alice/api/lessons`, { headers });
    assert.equal(api.status, 200);
    assert.equal((await api.json()).lessons[0].slug, "01-hub");
    // The prefix without its slash redirects; paths outside it are not served.
    const bare = await fetch(`${t.origin}/user/alice`, { redirect: "manual", headers });
    await bare.body?.cancel();
    assert.equal(bare.headers.get("location"), "/user/alice/");
    const outside = await fetch(`${t.origin}/lessons/hub`, { headers });
    await outside.body?.cancel();
    assert.equal(outside.status, 404);
    // The WebSocket under the prefix, with the session cookie (Deno's WebSocket takes headers).
    const socket = new WebSocket(
      `ws://127.0.0.1:${new URL(t.origin).port}/user/alice/ws/lessons/01-hub`,
      {
        headers,
      } as unknown as string[],
    );
    const first = await new Promise<string>((resolve, reject) => {
      socket.onmessage = (event) => resolve(String(event.data));
      socket.onerror = () => reject(new Error("the WebSocket under the prefix failed"));
    });
    assert.equal(JSON.parse(first).type, "kernel");
    socket.close();
    await new Promise((resolve) => socket.onclose = resolve);
  } finally {
    await t.close();
  }
});

Deno.test("hub mode: bob, whose token lacks access to alice's server, is refused", async () => {
  const t = await startHubServer();
  try {
    const callback = await t.login("bob");
    assert.equal(callback.status, 403);
    assert.match(await callback.text(), /bob may not use this server: it belongs to alice/);
    assert.equal(cookiesOf(callback).has("jupyterhub-user-alice"), false);
    // A hub admin's unfiltered access:servers is let in, as by JupyterHub's own servers.
    const admin = await t.login("root", ["access:servers"]);
    await admin.body?.cancel();
    assert.equal(admin.status, 302);
    // A forged session cookie is no session.
    const forged = await fetch(`${t.origin}/user/alice/api/lessons`, {
      headers: { cookie: "jupyterhub-user-alice=" + "0".repeat(48) },
    });
    await forged.body?.cancel();
    assert.equal(forged.status, 403);
  } finally {
    await t.close();
  }
});

Deno.test("hub mode: a callback whose state does not match its cookie is refused", async () => {
  const t = await startHubServer();
  try {
    const first = await fetch(`${t.origin}/user/alice/`, { redirect: "manual" });
    await first.body?.cancel();
    const state = new URL(first.headers.get("location")!, t.origin).searchParams.get("state")!;
    const code = t.hub.issueCode("alice", "/user/alice/oauth_callback");
    const response = await fetch(
      `${t.origin}/user/alice/oauth_callback?code=${code}&state=${state}`,
      {
        redirect: "manual",
        headers: { cookie: "jupyterhub-user-alice-oauth-state=someone-elses-state" },
      },
    );
    assert.equal(response.status, 400);
    assert.match(await response.text(), /state did not match/);
    assert.equal(t.hub.tokenRequests.length, 0);
  } finally {
    await t.close();
  }
});

Deno.test("hub mode: scripts may use a hub token with access in the Authorization header", async () => {
  const t = await startHubServer();
  try {
    const good = t.hub.issueToken("alice", ["access:servers!user=alice"]);
    const ok = await fetch(`${t.origin}/user/alice/api/lessons`, {
      headers: { authorization: `token ${good}` },
    });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    const other = t.hub.issueToken("bob", ["access:servers!user=bob"]);
    const refused = await fetch(`${t.origin}/user/alice/api/lessons`, {
      headers: { authorization: `Bearer ${other}` },
    });
    assert.equal(refused.status, 403);
    await refused.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("hub mode: activity is posted to the hub with the server's token", async () => {
  const t = await startHubServer();
  try {
    assert.equal(await t.activity.report(), true);
    assert.equal(await t.activity.report(), false, "nothing new happened since the last report");
    const callback = await t.login("alice");
    await callback.body?.cancel();
    assert.equal(await t.activity.report(), false, "logging in is not activity yet");
    const session = cookiesOf(callback).get("jupyterhub-user-alice")!;
    const page = await fetch(`${t.origin}/user/alice/`, {
      headers: { cookie: `jupyterhub-user-alice=${session}` },
    });
    await page.body?.cancel();
    assert.equal(await t.activity.report(), true);
    assert.equal(t.hub.activity.length, 2);
    const post = t.hub.activity[1]!;
    assert.equal(post.authorization, `token ${t.hub.apiToken}`);
    const body = post.body as { last_activity: string; servers: Record<string, unknown> };
    assert.ok(Date.now() - Date.parse(body.last_activity) < 60_000);
    assert.deepEqual(body.servers, { "": { last_activity: body.last_activity } });
  } finally {
    await t.close();
  }
});

Deno.test("hub mode: Submit writes the logged-in user's progress into the exchange", async () => {
  const exchange = await Deno.makeTempDir({ prefix: "gradbook-exchange-" });
  const t = await startHubServer({ exchange });
  try {
    const callback = await t.login("alice");
    await callback.body?.cancel();
    const session = cookiesOf(callback).get("jupyterhub-user-alice")!;
    const headers = { cookie: `jupyterhub-user-alice=${session}` };
    const index = await (await fetch(`${t.origin}/user/alice/`, { headers })).text();
    assert.match(
      index,
      /<form class="submit-form" method="post" action="\/user\/alice\/exchange\/submit">/,
    );
    const submitted = await fetch(`${t.origin}/user/alice/exchange/submit`, {
      method: "POST",
      redirect: "manual",
      headers: { ...headers, origin: t.origin },
    });
    await submitted.body?.cancel();
    assert.equal(submitted.status, 303);
    assert.equal(submitted.headers.get("location"), "/user/alice/?submitted=alice.json");
    const names = [...Deno.readDirSync(exchange)].map((entry) => entry.name);
    assert.deepEqual(names, ["alice.json"]);
    const file = JSON.parse(await Deno.readTextFile(join(exchange, "alice.json")));
    assert.equal(file.format, "gradbook-progress");
    assert.equal(file.learner, "alice");
    // A cross-site form post is refused before it reaches the route.
    const forged = await fetch(`${t.origin}/user/alice/exchange/submit`, {
      method: "POST",
      headers: { ...headers, origin: "http://evil.example" },
    });
    await forged.body?.cancel();
    assert.equal(forged.status, 403);
  } finally {
    await t.close();
    await Deno.remove(exchange, { recursive: true });
  }
});

Deno.test({
  name:
    "hub mode: main.ts listens at JUPYTERHUB_SERVICE_URL, redirects to the hub, stops on SIGTERM",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const hub = new FakeHub();
    const root = await Deno.makeTempDir({ prefix: "gradbook-hubmain-" });
    const lessonsDir = await writeLessons(root, { "01-hub.md": LESSON });
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--unstable-worker-options",
        join(REPO_ROOT, "web", "server", "main.ts"),
        "--lessons",
        lessonsDir,
      ],
      env: { ...hub.env(port), HOME: root, JUPYTERHUB_ACTIVITY_INTERVAL: "3600" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let out = "";
      while (!out.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        out += value;
      }
      assert.match(
        out,
        new RegExp(`alice's notebook at http://127\\.0\\.0\\.1:${port}/user/alice/`),
      );
      assert.match(out, new RegExp(`data: ${root}/\\.local/share/gradbook`));
      const response = await fetch(`http://127.0.0.1:${port}/user/alice/`, { redirect: "manual" });
      await response.body?.cancel();
      assert.equal(response.status, 302);
      assert.match(response.headers.get("location")!, /^\/hub\/api\/oauth2\/authorize\?/);
      // The start-up activity report reached the hub.
      for (let i = 0; i < 100 && hub.activity.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(hub.activity.length, 1);
      child.kill("SIGTERM");
      const status = await child.status;
      assert.equal(status.code, 0);
    } finally {
      await reader.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await hub.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
