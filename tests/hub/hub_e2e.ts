/**
 * gradbook as a real JupyterHub single-user server, end to end (run by `.ci/run` and
 * `deno task test:hub`, not by `deno task test`: it needs Debian's `jupyterhub` and the npm
 * `configurable-http-proxy@5`, which `.ci/run` installs).
 *
 * A hub on loopback with `DummyAuthenticator` and `SimpleLocalProcessSpawner`, whose command is
 * exactly `deno task --config <repo>/deno.json serve`. In headless Chromium, alice logs in with
 * the hub's form, her gradbook opens under `/user/alice/` (after the OAuth round trip), a cell
 * runs over the WebSocket through the proxy, and the page is screenshotted; bob, logged in, is
 * refused at `/user/alice/`; a request without a login ends at the hub's login page; and an
 * activity report from gradbook moves alice's `last_activity` in the hub's API. Stopping the hub
 * stops her server by SIGTERM, which must leave no gradbook process behind.
 *
 * Set `GRADBOOK_CHP` to the proxy's binary (default: the one `.ci/run` installs under
 * `~/.cache/gradbook/chp`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../../web/server/build_client.ts";
import { buildClient } from "../../web/server/build_client.ts";
import { launchBrowser, OUTPUT_DIR } from "../../tools/browser_harness.ts";

const JUPYTERHUB = "/usr/bin/jupyterhub";
const CHP = Deno.env.get("GRADBOOK_CHP") ??
  join(
    Deno.env.get("HOME") ?? "/root",
    ".cache/gradbook/chp/node_modules/.bin/configurable-http-proxy",
  );
const SERVICE_TOKEN = crypto.randomUUID().replaceAll("-", "");
const LESSON = "00-tour";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function denoDir(): string {
  const output = new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).outputSync();
  return JSON.parse(new TextDecoder().decode(output.stdout)).denoDir;
}

/** The hub's configuration: loopback only, everything under `dir`. */
function hubConfig(dir: string, ports: { hub: number; api: number; proxy: number }): string {
  const py = (value: unknown) => JSON.stringify(value);
  return `
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${ports.proxy}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${ports.hub}
c.ConfigurableHTTPProxy.command = [${py(CHP)}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${ports.api}"
c.ConfigurableHTTPProxy.pid_file = ${py(join(dir, "proxy.pid"))}
c.JupyterHub.db_url = ${py(`sqlite:///${join(dir, "jupyterhub.sqlite")}`)}
c.JupyterHub.cookie_secret_file = ${py(join(dir, "cookie_secret"))}
c.JupyterHub.pid_file = ${py(join(dir, "jupyterhub.pid"))}
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = ${py(join(dir, "home", "{username}"))}
c.Spawner.cmd = ["deno", "task", "--config", ${py(join(REPO_ROOT, "deno.json"))}, "serve"]
c.Spawner.args = []
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]
c.Spawner.environment = {
    "DENO_DIR": ${py(denoDir())},
    "NO_COLOR": "1",
    "JUPYTERHUB_ACTIVITY_INTERVAL": "2",
    "GRADBOOK_EXCHANGE": ${py(join(dir, "exchange"))},
}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.JupyterHub.last_activity_interval = 3600
c.JupyterHub.cleanup_servers = True
c.JupyterHub.log_level = "DEBUG"
c.JupyterHub.services = [{"name": "e2e", "api_token": ${py(SERVICE_TOKEN)}}]
c.JupyterHub.load_roles = [
    {"name": "e2e", "services": ["e2e"], "scopes": ["read:users", "read:servers"]},
]
`;
}

async function waitFor<T>(
  what: string,
  seconds: number,
  probe: () => Promise<T | null>,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Timed out after ${seconds} s waiting for ${what}${last ? `: ${last}` : ""}`);
}

/** Follows redirects by hand (fetch cannot keep cookies); returns every hop. */
async function hops(url: string): Promise<{ status: number; url: string }[]> {
  const seen: { status: number; url: string }[] = [];
  let next = url;
  for (let i = 0; i < 10; i++) {
    const response = await fetch(next, { redirect: "manual" });
    await response.body?.cancel();
    seen.push({ status: response.status, url: next });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) break;
    next = new URL(location, next).href;
  }
  return seen;
}

/** Pids of processes whose environment holds `text` (e.g. `HOME=…`). */
function processesWithEnv(text: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const environ = Deno.readTextFileSync(`/proc/${entry.name}/environ`).split("\0");
      if (environ.includes(text)) pids.push(Number(entry.name));
    } catch { /* gone */ }
  }
  return pids;
}

Deno.test({
  name: "JupyterHub runs gradbook as alice's single-user server, behind its proxy and login",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    for (const binary of [JUPYTERHUB, CHP]) {
      assert.ok(
        (await Deno.stat(binary).catch(() => null))?.isFile,
        `${binary} is missing: .ci/run installs jupyterhub (apt) and configurable-http-proxy@5 (npm)`,
      );
    }
    // Build once here, so the spawned server starts within the hub's timeout.
    // With the DENO_DIR the spawned server gets: `deno task prepare` keys its stamp on it.
    const build = new Deno.Command(Deno.execPath(), {
      args: ["task", "--config", join(REPO_ROOT, "deno.json"), "build:wasm"],
      env: { DENO_DIR: denoDir() },
      stdout: "null",
    }).outputSync();
    assert.ok(build.success, "deno task build:wasm failed");
    await buildClient();

    const dir = await Deno.makeTempDir({ prefix: "gradbook-hub-e2e-" });
    const ports = { hub: freePort(), api: freePort(), proxy: freePort() };
    await Deno.writeTextFile(join(dir, "jupyterhub_config.py"), hubConfig(dir, ports));
    const logPath = join(dir, "jupyterhub.log");
    // exec: the shell becomes the hub, so SIGTERM below reaches the hub itself.
    const hubProcess = new Deno.Command("/bin/sh", {
      args: ["-c", `exec ${JUPYTERHUB} -f ${join(dir, "jupyterhub_config.py")} >>${logPath} 2>&1`],
      cwd: dir,
    }).spawn();
    const origin = `http://127.0.0.1:${ports.proxy}`;
    const api = `${origin}/hub/api`;
    const service = { authorization: `token ${SERVICE_TOKEN}` };
    const browser = await launchBrowser();
    try {
      await waitFor("the hub", 60, async () => {
        const response = await fetch(`${api}/`);
        await response.body?.cancel();
        return response.ok ? true : null;
      });

      // Nobody logged in: the hub sends the browser to its login page.
      const anonymous = await hops(`${origin}/user/alice/lessons/${LESSON}`);
      assert.match(anonymous.at(-1)!.url, /\/hub\/login/, JSON.stringify(anonymous));

      // Alice logs in with the hub's form; the hub spawns her server and sends her to it.
      const alice = await browser.createBrowserContext();
      const page = await alice.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      const sockets: string[] = [];
      const cdp = await page.createCDPSession();
      await cdp.send("Network.enable");
      cdp.on("Network.webSocketCreated", (event: { url: string }) => sockets.push(event.url));
      await page.goto(`${origin}/hub/login`);
      await page.type("input[name=username]", "alice");
      await page.type("input[name=password]", "any");
      await Promise.all([page.waitForNavigation(), page.click("[type=submit]")]);
      // JupyterHub 3 starts a server on /hub/spawn, then sends the browser to it.
      await page.goto(`${origin}/hub/spawn`);
      await page.waitForFunction(
        () => location.pathname === "/user/alice/" && document.documentElement.dataset.base,
        { timeout: 150_000, polling: 500 },
      );
      await page.goto(`${origin}/user/alice/lessons/${LESSON}`);
      await page.waitForFunction(() => "gradbookReady" in globalThis, { timeout: 60_000 });
      // The cell editor's chunk comes through the hub's proxy too, relative to the entry's URL.
      await page.waitForFunction(() => "gradbookEditorReady" in globalThis, { timeout: 60_000 });
      await page.waitForSelector(".cm-editor", { timeout: 60_000 });
      assert.equal(
        await page.evaluate(() => document.documentElement.dataset.base),
        "/user/alice/",
      );
      // A cell runs in the kernel, over the WebSocket through the hub's proxy.
      await page.waitForSelector(".kernel-status.kernel-idle", { timeout: 90_000 });
      const cellId = await page.$eval(
        "[data-cell-id]:has(.run-button)",
        (element) => (element as HTMLElement).dataset.cellId!,
      );
      const ranAfter = Date.now();
      await page.click(`#cell-${cellId} .run-button`);
      await page.waitForSelector(`#cell-${cellId} .status.ok`, { timeout: 90_000 });
      const output = await page.$eval(`#cell-${cellId}`, (element) => element.textContent ?? "");
      assert.ok(output.length > 0);
      assert.deepEqual(sockets, [`ws://127.0.0.1:${ports.proxy}/user/alice/ws/lessons/${LESSON}`]);
      await Deno.mkdir(OUTPUT_DIR, { recursive: true });
      const screenshot = join(OUTPUT_DIR, "hub_alice_lesson.png");
      await page.screenshot({ path: screenshot });
      console.log(`screenshot: ${screenshot}`);

      // Submit lands in the exchange as alice's file.
      await page.goto(`${origin}/user/alice/`);
      await Promise.all([page.waitForNavigation(), page.click(".submit-form button")]);
      assert.match(await page.content(), /Submitted: your progress is in the class exchange/);
      const submitted = JSON.parse(await Deno.readTextFile(join(dir, "exchange", "alice.json")));
      assert.equal(submitted.learner, "alice");

      // An activity report from gradbook (every 2 s here) moves alice's last_activity.
      const activity = await waitFor("an activity report after the cell ran", 30, async () => {
        const response = await fetch(`${api}/users/alice`, { headers: service });
        const model = await response.json() as {
          servers: Record<string, { last_activity: string }>;
        };
        const last = Date.parse(model.servers[""]?.last_activity ?? "");
        return last >= ranAfter - 1000 ? model.servers[""]!.last_activity : null;
      });
      console.log(`alice's server last_activity in the hub: ${activity}`);
      const hubLog = await Deno.readTextFile(logPath);
      assert.match(hubLog, /POST \/hub\/api\/users\/alice\/activity/);

      // Bob, logged in to the hub, is refused at alice's server.
      const bob = await browser.createBrowserContext();
      const bobPage = await bob.newPage();
      // (next=/hub/home, or the hub would start a server for bob too.)
      await bobPage.goto(`${origin}/hub/login?next=${encodeURIComponent("/hub/home")}`);
      await bobPage.type("input[name=username]", "bob");
      await bobPage.type("input[name=password]", "any");
      await Promise.all([bobPage.waitForNavigation(), bobPage.click("[type=submit]")]);
      const bobResponse = await bobPage.goto(`${origin}/user/alice/`);
      await bobPage.waitForNetworkIdle({ idleTime: 300, timeout: 30_000 }).catch(() => {});
      const bobText = await bobPage.evaluate(() => document.body.innerText);
      const bobStatus = bobResponse?.status();
      console.log(`bob at /user/alice/: HTTP ${bobStatus} at ${bobPage.url()}`);
      assert.equal(bobStatus, 403, bobText);
      assert.match(bobText, /permission|may not use/i);
      assert.equal(await bobPage.$("[data-base]"), null, "bob sees no gradbook page");
      // …and a request with no cookies goes to the hub's login, through gradbook's OAuth.
      const cold = await hops(`${origin}/user/alice/api/lessons`);
      assert.equal(cold.at(-1)!.status, 403);
      const coldPage = await hops(`${origin}/user/alice/lessons/${LESSON}`);
      assert.ok(coldPage.some((hop) => hop.url.includes("/hub/api/oauth2/authorize")));
      assert.match(coldPage.at(-1)!.url, /\/hub\/login/);
    } finally {
      await browser.close();
      const gradbookPids = () => processesWithEnv(`HOME=${join(dir, "home", "alice")}`);
      hubProcess.kill("SIGTERM");
      await hubProcess.status;
      // The hub stopped alice's server with SIGTERM; it must be gone, kernels and all.
      const leftover = await waitFor("gradbook to stop", 20, () => {
        return Promise.resolve(gradbookPids().length === 0 ? true : null);
      }).catch(() => false);
      const proxyPid = await Deno.readTextFile(join(dir, "proxy.pid")).catch(() => "");
      if (/^\d+$/.test(proxyPid.trim())) {
        try {
          Deno.kill(Number(proxyPid.trim()), "SIGTERM");
        } catch { /* already stopped with the hub */ }
      }
      if (Deno.env.get("GRADBOOK_KEEP_HUB_LOG") === undefined) {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      } else {
        console.log(`hub folder kept: ${dir}`);
      }
      assert.equal(leftover, true, "a gradbook process outlived the hub's SIGTERM");
    }
  },
});
