import assert from "node:assert/strict";
import type { Kernel } from "../../notebook/kernel/kernel.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { formatIdle, KernelRegistry } from "./kernel_registry.ts";
import { KernelSession } from "./kernel_session.ts";

/** A kernel that records whether it runs. */
function fakeKernel(log: string[], name: string, shutdownMs = 0): Kernel {
  return {
    state: "idle",
    onStatus: () => () => {},
    start: () => (log.push(`start ${name}`), Promise.resolve()),
    execute: (cellId) => (log.push(`run ${name}`),
      Promise.resolve({
        type: "reply" as const,
        id: cellId,
        status: "ok" as const,
        executionCount: 1,
        elapsedMs: 0,
      })),
    interrupt: () => Promise.resolve("idle" as const),
    restart: () => Promise.resolve(),
    shutdown: async () => {
      await new Promise((resolve) => setTimeout(resolve, shutdownMs));
      log.push(`stop ${name}`);
    },
  };
}

/** A registry of sessions over fake kernels; `notices` collects what each page is told. */
function registry(limits: ConstructorParameters<typeof KernelRegistry>[0], shutdownMs = 0) {
  const log: string[] = [];
  const notices: string[] = [];
  const kernels = new KernelRegistry(limits, (slug, admission) => {
    const session = new KernelSession(slug, () => fakeKernel(log, slug, shutdownMs), () => {}, {
      admission,
    });
    const notify = session.notify.bind(session);
    session.notify = (level, text) => {
      notices.push(`${slug}: ${text}`);
      notify(level, text);
    };
    return session;
  });
  return { kernels, log, notices };
}

/** Runs one cell in `session` and waits for it to finish. */
async function runCell(session: KernelSession): Promise<void> {
  session.handle({ type: "execute", runId: crypto.randomUUID(), cellId: "c1", code: "1" });
  while (session.isBusy) await new Promise((resolve) => setTimeout(resolve, 1));
}

Deno.test("The README states the one idle policy's default, and the code has that value", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const stated = readme.match(/`--kernel-idle-timeout`\s+\(default\s+(\d+)\s+hours?\b/);
  assert.ok(stated !== null, "README names --kernel-idle-timeout's default in hours");
  assert.equal(DEFAULT_LIMITS.idleTimeoutMs, Number(stated[1]) * 3_600_000);
  const main = await Deno.readTextFile(new URL("./main.ts", import.meta.url));
  const flag = main.match(/"kernel-idle-timeout": \{ type: "string", default: "(\d+)" \}/);
  assert.equal(Number(flag?.[1]) * 1000, DEFAULT_LIMITS.idleTimeoutMs, "main.ts's flag default");
  assert.equal(formatIdle(DEFAULT_LIMITS.idleTimeoutMs), "60 min");
});

Deno.test("KernelRegistry culls the longest-idle kernel when a new one needs room", async () => {
  const { kernels, log, notices } = registry({ maxKernels: 2, idleTimeoutMs: 0 });
  try {
    const [a, b, c] = ["a", "b", "c"].map((slug) => kernels.session(slug));
    await runCell(a!);
    await runCell(b!);
    await runCell(a!); // a is now the most recently used
    await runCell(c!);
    assert.deepEqual(kernels.liveSlugs().sort(), ["a", "c"]);
    assert.match(notices.join("\n"), /^b: .*stopped to make room for another notebook/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(log.includes("stop b"));
    assert.ok(!log.includes("stop a") && !log.includes("stop c"));
  } finally {
    await kernels.close();
  }
});

Deno.test("KernelRegistry.sweep() stops kernels idle past the timeout only, and drops pageless sessions", async () => {
  const { kernels, notices } = registry({ idleTimeoutMs: 60_000 });
  try {
    const a = kernels.session("a");
    await runCell(a);
    assert.deepEqual(kernels.sweep(performance.now() + 30_000), []);
    assert.deepEqual(kernels.slugs(), ["a"]);
    assert.deepEqual(kernels.sweep(performance.now() + 61_000), ["a"]);
    assert.deepEqual(kernels.liveSlugs(), []);
    assert.match(notices[0] ?? "", /stopped after 1 min idle; its variables were lost/);
    assert.deepEqual(kernels.slugs(), [], "no page was open: the session is closed too");
  } finally {
    await kernels.close();
  }
});

Deno.test("A cell sent while the registry stops its kernel waits for the stop, then runs", async () => {
  const { kernels, log } = registry({ idleTimeoutMs: 1000 }, 50);
  try {
    const a = kernels.session("a");
    await runCell(a);
    a.lastSeenAt = Infinity; // a page is open: only the kernel stops
    assert.deepEqual(kernels.sweep(performance.now() + 2000), ["a"]);
    await runCell(a);
    assert.deepEqual(log, ["start a", "run a", "stop a", "run a"]);
    assert.deepEqual(kernels.liveSlugs(), ["a"]);
  } finally {
    await kernels.close();
  }
});
