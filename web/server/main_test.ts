import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "./build_client.ts";
import { defaultDataDir } from "./main.ts";

Deno.test("defaultDataDir() prefers GRADBOOK_DATA, then XDG_DATA_HOME, then ~/.local/share", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(defaultDataDir(env({ GRADBOOK_DATA: "/d", XDG_DATA_HOME: "/x", HOME: "/h" })), "/d");
  assert.equal(defaultDataDir(env({ XDG_DATA_HOME: "/x", HOME: "/h" })), "/x/gradbook");
  assert.equal(defaultDataDir(env({ HOME: "/h" })), "/h/.local/share/gradbook");
  assert.throws(() => defaultDataDir(env({})), /set GRADBOOK_DATA or pass --data/);
});

/** Process ids of the children of `pid` (Linux /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`);
    children.push(...text.trim().split(/\s+/).filter(Boolean).map(Number));
  }
  return children;
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

Deno.test({
  name: "deno task serve prints its URL, and SIGTERM stops the server and its kernels",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "gradbook-main-" });
    await Deno.mkdir(join(root, "lessons"));
    await Deno.writeTextFile(
      join(root, "lessons", "01-a.md"),
      "---\ntitle: A\nsummary: s\nobjectives: []\nminutes: 1\norder: 1\n---\n\n```ts\n1\n```\n",
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--unstable-worker-options",
        join(REPO_ROOT, "web", "server", "main.ts"),
        "--port",
        "0",
        "--data",
        join(root, "data"),
        "--lessons",
        join(root, "lessons"),
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let printed = "";
      while (!/http:\/\/127\.0\.0\.1:\d+\//.test(printed)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`The server exited before printing its URL: ${printed}`);
        printed += value;
      }
      const url = printed.match(/http:\/\/127\.0\.0\.1:\d+\//)![0];
      // The printed URL carries the token (?token=…): the socket needs it too.
      while (!/\?token=[0-9a-f]+/.test(printed)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`The server exited before printing its token: ${printed}`);
        printed += value;
      }
      const token = printed.match(/\?token=([0-9a-f]+)/)![1];
      const socket = new WebSocket(`${url.replace("http", "ws")}ws/lessons/01-a?token=${token}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("The kernel did not start in 30 s")),
          30_000,
        );
        socket.onmessage = (event) => {
          if (JSON.parse(event.data).state === "idle") {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const kernels = await childrenOf(child.pid);
      assert.ok(kernels.length >= 1, "the lesson's kernel runs as a child process");
      const closed = new Promise((resolve) => socket.onclose = resolve);
      child.kill("SIGTERM");
      const status = await child.status;
      await closed;
      assert.equal(status.code, 0);
      for (const pid of kernels) assert.equal(await isAlive(pid), false, `kernel ${pid} stopped`);
    } finally {
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
      await child.status;
      await Deno.remove(root, { recursive: true });
    }
  },
});
