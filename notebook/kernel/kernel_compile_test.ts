import assert from "node:assert/strict";
import { CellCompiler, MAX_HOST_COMPILE_CHARS } from "./cell_compiler.ts";
import { forEachLine, KERNEL_IMPORT_MAP, kernelArgs } from "./kernel_command.ts";
import { type KernelEvent, PROTOCOL_VERSION } from "./protocol.ts";
import { KernelProcess } from "./kernel_process.ts";

const ROOT = new URL("../../", import.meta.url);

/**
 * Starts a kernel process whose "typescript" import fails loudly, speaks the protocol to it
 * directly, and returns what it answered: a kernel that loads TypeScript cannot hide it here.
 */
async function kernelWithoutTypeScript(): Promise<{
  events: KernelEvent[];
  send(request: object): void;
  until(check: (event: KernelEvent) => boolean): Promise<KernelEvent>;
  stop(): Promise<void>;
}> {
  const mapUrl = new URL(KERNEL_IMPORT_MAP, ROOT);
  const map = JSON.parse(await Deno.readTextFile(mapUrl)) as { imports: Record<string, string> };
  const dir = await Deno.makeTempDir();
  const poison = `${dir}/typescript.mjs`;
  await Deno.writeTextFile(
    poison,
    'throw new Error("this kernel loaded TypeScript");\nexport default {};\n',
  );
  const imports = Object.fromEntries(
    Object.entries(map.imports).map(([name, target]) => [
      name,
      target.startsWith(".") ? new URL(target, mapUrl).href : target,
    ]),
  );
  imports.typescript = new URL(`file://${poison}`).href;
  await Deno.writeTextFile(`${dir}/import_map.json`, JSON.stringify({ imports }));
  const args = kernelArgs({
    memoryLimitMiB: 512,
    processMemoryLimitMiB: 1024,
    cellTimeoutMs: 60_000,
    outputLimitBytes: 1 << 20,
    interruptGraceMs: 2000,
    threads: 0,
    startTimeoutMs: 60_000,
  }).map((arg) =>
    arg.startsWith("--import-map=")
      ? `--import-map=${dir}/import_map.json`
      : arg.startsWith("--allow-read=")
      ? `${arg},${dir}`
      : arg
  );
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: decodeURIComponent(ROOT.pathname),
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const events: KernelEvent[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  void forEachLine(child.stdout, (line) => {
    events.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  }).then(() => {
    ended = true;
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    events,
    send(request) {
      const line = JSON.stringify({ ...request, v: PROTOCOL_VERSION }) + "\n";
      void writer.write(new TextEncoder().encode(line));
    },
    async until(check) {
      for (;;) {
        const found = events.find(check);
        if (found !== undefined) return found;
        if (ended) throw new Error(`the kernel ended first; it said ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async stop() {
      try {
        child.kill();
      } catch {
        // it ended already
      }
      await child.status;
      await writer.close().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a kernel given compiled cells starts and runs them without ever loading TypeScript", async () => {
  const kernel = await kernelWithoutTypeScript();
  try {
    await kernel.until((e) => e.type === "status" && e.state === "idle");
    const compiler = new CellCompiler(60_000);
    try {
      kernel.send({
        type: "execute",
        id: "a",
        cellId: "c1",
        code: "1 + 1",
        compiled: await compiler.compile("1 + 1"),
      });
      const result = await kernel.until((e) => e.type === "result" && e.id === "a");
      assert.equal((result as { data: Record<string, string> }).data["text/plain"], "2");
      // A syntax error found by the host comes back as the cell's SyntaxError, with its line.
      const broken = "const a = 1;\nconst = 2";
      kernel.send({
        type: "execute",
        id: "b",
        cellId: "c2",
        code: broken,
        compiled: await compiler.compile(broken),
      });
      const error = await kernel.until((e) => e.type === "error" && e.id === "b");
      assert.equal((error as { name: string }).name, "SyntaxError");
      assert.equal((error as { line?: number }).line, 2);
    } finally {
      compiler.close();
    }
    // Sent uncompiled, the cell makes the kernel load its compiler: here it says why it cannot.
    kernel.send({ type: "execute", id: "c", cellId: "c3", code: "2 + 2" });
    const failure = await kernel.until((e) => e.type === "error" && e.id === "c");
    assert.match((failure as { message: string }).message, /this kernel loaded TypeScript/);
  } finally {
    await kernel.stop();
  }
});

Deno.test("the host's compiler gives the module, or the syntax error, or null when it is too slow", async () => {
  const compiler = new CellCompiler(60_000);
  try {
    const compiled = await compiler.compile("const x: number = 2;\nx * 3");
    assert.ok(compiled !== null && "js" in compiled);
    assert.equal(compiled.hasResult, true);
    assert.doesNotMatch(compiled.js, /: number/);
    const broken = await compiler.compile("let = ;");
    assert.ok(broken !== null && "syntaxError" in broken);
    assert.equal(broken.syntaxError.line, 1);
  } finally {
    compiler.close();
  }
  // A thread that has not even loaded TypeScript yet misses a 1 ms deadline: the kernel compiles.
  const hurried = new CellCompiler(1);
  try {
    assert.equal(await hurried.compile("1 + 1"), null);
  } finally {
    hurried.close();
  }
});

Deno.test("KernelProcess sends cells compiled by the host, and mapped tracebacks still point into the cell", async () => {
  const kernel = new KernelProcess({ compileCells: "host" });
  try {
    const events: KernelEvent[] = [];
    const reply = await kernel.execute(
      "c1",
      "type T = number;\nconst y: T = 1;\nthrow new Error(`boom ${y}`);",
      (e) => events.push(e),
    );
    assert.equal(reply.status, "error");
    const error = events.find((e) => e.type === "error") as { line?: number; message: string };
    assert.equal(error.message, "boom 1");
    assert.equal(error.line, 3);
  } finally {
    await kernel.shutdown();
  }
});

Deno.test("a cell too long for the host's shared compiler goes to its kernel uncompiled", async () => {
  const compiler = new CellCompiler(60_000);
  try {
    assert.equal(await compiler.compile(`"${"x".repeat(MAX_HOST_COMPILE_CHARS)}"`), null);
  } finally {
    compiler.close();
  }
  // ... and its kernel compiles and runs it.
  const kernel = new KernelProcess();
  try {
    const events: KernelEvent[] = [];
    const long = `const s = "${"y".repeat(MAX_HOST_COMPILE_CHARS)}";\ns.length`;
    assert.equal((await kernel.execute("c1", long, (e) => events.push(e))).status, "ok");
    const result = events.find((e) => e.type === "result") as { data: Record<string, string> };
    assert.equal(result.data["text/plain"], String(MAX_HOST_COMPILE_CHARS));
  } finally {
    await kernel.shutdown();
  }
});

Deno.test("compileCells: 'kernel' has the kernel compile its own cells, errors and all", async () => {
  const kernel = new KernelProcess({ compileCells: "kernel" });
  try {
    const events: KernelEvent[] = [];
    assert.equal(
      (await kernel.execute("c1", "const k: number = 5;\nk * 2", (e) => events.push(e))).status,
      "ok",
    );
    const result = events.find((e) => e.type === "result") as { data: Record<string, string> };
    assert.equal(result.data["text/plain"], "10");
    await kernel.execute("c2", "let = ;", (e) => events.push(e));
    const error = events.find((e) => e.type === "error") as { name: string; line?: number };
    assert.equal(error.name, "SyntaxError");
    assert.equal(error.line, 1);
  } finally {
    await kernel.shutdown();
  }
});
