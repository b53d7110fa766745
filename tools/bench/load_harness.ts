/**
 * A bounded load run on loopback: starts `deno task serve`'s entry point as a child process on a
 * temporary course of N lessons, opens N notebooks at once, and in each runs a short training
 * cell and then M small cells one after another, each printing a marker with its notebook's
 * name. Reports the cell round trips (send → done), whether any output reached the wrong
 * notebook, the server's resident memory before, at the peak, and after every kernel was
 * culled for idleness, and its live JavaScript heap (after a forced collection, read through
 * the inspector: see `heap_probe.ts`) before and after. Used by `tests/load/notebooks_load.ts` (`deno task load`) and by the
 * bench's `load` section.
 *
 * @module
 */
import { join } from "node:path";
import type { ServerMessage } from "../../web/messages.ts";
import { connectHeapProbe, freeLoopbackPort, type HeapProbe } from "./heap_probe.ts";

/** What {@link runNotebookLoad} runs. */
export interface LoadOptions {
  /** Notebooks open at once (default 20). */
  notebooks?: number;
  /** Small cells per notebook after the training cell (default 100). */
  smallCells?: number;
  /** Training steps of the training cell (default 30). */
  trainSteps?: number;
  /** Seconds of idleness after which the server culls a kernel (default 2). */
  idleSeconds?: number;
  /** Kernels the server keeps started ahead of need (`--spare-kernels`, default 1 as `serve`). */
  spareKernels?: number;
  /** After culling, stop waiting once RSS is within this many MiB of the baseline (default 64). */
  settleSlackMiB?: number;
  /** How long to let RSS settle after culling, ms (default 20 000). */
  settleMs?: number;
}

/** What {@link runNotebookLoad} measured. */
export interface LoadReport {
  notebooks: number;
  smallCells: number;
  /** Every small cell's round trip, ms, all notebooks together. */
  roundTripsMs: number[];
  p50Ms: number;
  p95Ms: number;
  /** Training cell wall time per notebook, ms. */
  trainMs: number[];
  /** Outputs that carried another notebook's marker, or lacked their own. */
  crossTalk: string[];
  /** Cells that did not end "ok", with why. */
  failures: string[];
  /** Spare kernels the server kept (counted in the kernel processes below). */
  spareKernels: number;
  /** Kernel processes seen at the peak, and after culling. */
  peakKernels: number;
  kernelsAfterCull: number;
  /** Server resident memory in MiB: after start, at the peak, after the kernels were culled. */
  baselineRssMiB: number;
  peakRssMiB: number;
  afterCullRssMiB: number;
  /** Server live heap in MiB after a full collection: after start, after the kernels were culled. */
  baselineHeapMiB: number;
  afterCullHeapMiB: number;
  totalMs: number;
}

const MAIN = new URL("../../web/server/main.ts", import.meta.url).pathname;

function lessonText(index: number): string {
  return `---\ntitle: Load ${index}\nsummary: s\nobjectives: []\nminutes: 1\norder: ${index}\n---\n\n` +
    "```ts\n1\n```\n";
}

/** The training cell: a small MLP fitted for `steps` Adam steps; prints its marker. */
function trainingCell(marker: string, steps: number): string {
  return `import { nn, optim, randn, mseLoss, seed } from "gradbook";
seed(${marker.length});
const model = new nn.Sequential(new nn.Linear(8, 32), new nn.ReLU(), new nn.Linear(32, 1));
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const x = randn([64, 8]);
const y = x.sum(1, true);
let loss = 0;
for (let step = 0; step < ${steps}; step++) {
  optimizer.zeroGrad();
  const l = mseLoss(model.forward(x), y);
  l.backward();
  optimizer.step();
  loss = l.item();
}
console.log("${marker} trained", loss.toFixed(4));`;
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN);
  return kib / 1024;
}

function childCount(pid: number): number {
  let count = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
    if (text !== "") count += text.split(/\s+/).length;
  }
  return count;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** One notebook's socket: sends cells one at a time and collects what comes back. */
class Notebook {
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly outputs: string[] = [];
  #waiting = new Map<string, (done: Extract<ServerMessage, { type: "done" }>) => void>();
  #idle = Promise.withResolvers<void>();
  /** The kernel states and notices this page was told, in order (for a failure's message). */
  readonly kernelStates: string[] = [];

  constructor(url: string, readonly slug: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error(`The socket of ${slug} failed`));
    });
    this.socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === "kernel") this.kernelStates.push(message.state);
      if (message.type === "notice") this.kernelStates.push(`notice "${message.text}"`);
      if (message.type === "kernel" && message.state === "idle") this.#idle.resolve();
      if (message.type === "output") this.outputs.push(JSON.stringify(message.output));
      if (message.type === "done") this.#waiting.get(message.runId)?.(message);
    };
  }

  /** Waits until the page is told its kernel is idle; rejects after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() =>
        reject(
          new Error(
            `${this.slug}: the kernel was not idle ${timeoutMs} ms after the page opened ` +
              `(states seen: ${this.kernelStates.join(", ") || "none"})`,
          ),
        ), timeoutMs);
    });
    return Promise.race([this.#idle.promise, timeout]).finally(() => clearTimeout(timer));
  }

  run(runId: string, code: string, timeoutMs: number) {
    return new Promise<Extract<ServerMessage, { type: "done" }>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.slug}: ${runId} did not finish in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiting.set(runId, (done) => {
        clearTimeout(timer);
        this.#waiting.delete(runId);
        resolve(done);
      });
      this.socket.send(JSON.stringify({ type: "execute", runId, cellId: "c1", code }));
    });
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.socket.onclose = () => resolve());
    this.socket.close();
    return closed;
  }
}

async function waitUntil(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Runs the load; see the module documentation. Stops the server it started in every case. */
export async function runNotebookLoad(options: LoadOptions = {}): Promise<LoadReport> {
  const notebooks = options.notebooks ?? 20;
  const smallCells = options.smallCells ?? 100;
  const trainSteps = options.trainSteps ?? 30;
  const idleSeconds = options.idleSeconds ?? 2;
  const spareKernels = options.spareKernels ?? 1;
  const root = await Deno.makeTempDir({ prefix: "gradbook-load-" });
  const slugs = Array.from(
    { length: notebooks },
    (_, i) => `${String(i + 1).padStart(2, "0")}-load`,
  );
  await Deno.mkdir(join(root, "lessons"));
  for (const [i, slug] of slugs.entries()) {
    await Deno.writeTextFile(join(root, "lessons", `${slug}.md`), lessonText(i + 1));
  }
  const inspectorPort = freeLoopbackPort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--inspect=127.0.0.1:${inspectorPort}`,
      "--allow-all",
      "--unstable-worker-options",
      MAIN,
      ...["--port", "0", "--no-token", "--data", join(root, "data")],
      ...["--lessons", join(root, "lessons"), "--max-kernels", String(notebooks)],
      ...["--kernel-idle-timeout", String(idleSeconds)],
      ...["--spare-kernels", String(spareKernels)],
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // The server's last words, kept to explain a failed run.
  let serverLog = "";
  const logDrained = (async () => {
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      serverLog = (serverLog + text).slice(-8192);
    }
  })().catch(() => {});
  const opened: Notebook[] = [];
  let heap: HeapProbe | undefined;
  const started = performance.now();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let printed = "";
    while (!/http:\/\/127\.0\.0\.1:\d+\//.test(printed)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`The server exited before printing its URL: ${printed}`);
      printed += value;
    }
    void (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
    })();
    const url = printed.match(/http:\/\/127\.0\.0\.1:\d+\//)![0];
    await (await fetch(url)).text();
    heap = await connectHeapProbe(inspectorPort);
    const baselineHeapMiB = await heap.liveHeapMiB();
    const baselineRssMiB = rssMiB(child.pid);

    const roundTripsMs: number[] = [];
    const trainMs: number[] = [];
    const failures: string[] = [];
    let peakRssMiB = baselineRssMiB;
    let peakKernels = 0;
    const sample = setInterval(() => {
      try {
        peakRssMiB = Math.max(peakRssMiB, rssMiB(child.pid));
        peakKernels = Math.max(peakKernels, childCount(child.pid));
      } catch { /* exited */ }
    }, 200);
    try {
      await Promise.all(slugs.map(async (slug) => {
        const notebook = new Notebook(`${url.replace("http", "ws")}ws/lessons/${slug}`, slug);
        opened.push(notebook);
        await notebook.opened;
        await notebook.ready(180_000);
        let start = performance.now();
        const trained = await notebook.run("train", trainingCell(slug, trainSteps), 180_000);
        trainMs.push(performance.now() - start);
        if (trained.status !== "ok") failures.push(`${slug} train: ${trained.message}`);
        for (let i = 0; i < smallCells; i++) {
          start = performance.now();
          const done = await notebook.run(`s${i}`, `"${slug}#${i}"`, 180_000);
          roundTripsMs.push(performance.now() - start);
          if (done.status !== "ok") failures.push(`${slug} cell ${i}: ${done.message}`);
        }
      }));
    } finally {
      clearInterval(sample);
    }

    const crossTalk: string[] = [];
    for (const notebook of opened) {
      const expected = new Set([`${notebook.slug} trained`]);
      for (let i = 0; i < smallCells; i++) expected.add(`${notebook.slug}#${i}`);
      for (const output of notebook.outputs) {
        const markers = output.match(/\d\d-load( trained|#\d+)/g) ?? [];
        if (markers.length === 0) crossTalk.push(`${notebook.slug}: an output without a marker`);
        for (const marker of markers) {
          if (!expected.delete(marker)) crossTalk.push(`${notebook.slug} got ${marker}`);
        }
      }
      if (expected.size > 0) crossTalk.push(`${notebook.slug} missed ${expected.size} outputs`);
    }

    await Promise.all(opened.map((notebook) => notebook.close()));
    // Sessions close `idleSeconds` after their page, the pool culls idle kernels too.
    await waitUntil(() => childCount(child.pid) === 0, idleSeconds * 1000 + 30_000);
    const kernelsAfterCull = childCount(child.pid);
    const afterCullHeapMiB = await heap.liveHeapMiB();
    // V8 and the allocator give pages back to the system only when they choose: sample RSS
    // until it settles near the baseline or `settleMs` pass (reported, not a leak measure).
    const settleTrace: number[] = [];
    let afterCullRssMiB = rssMiB(child.pid);
    for (let waited = 0; waited < (options.settleMs ?? 20_000); waited += 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      afterCullRssMiB = rssMiB(child.pid);
      settleTrace.push(Math.round(afterCullRssMiB));
      if (afterCullRssMiB < baselineRssMiB + (options.settleSlackMiB ?? 64)) break;
    }
    console.log(`RSS while settling: ${settleTrace.join(" ")}`);
    const sorted = [...roundTripsMs].sort((a, b) => a - b);
    return {
      notebooks,
      smallCells,
      roundTripsMs,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      trainMs,
      crossTalk,
      failures,
      spareKernels,
      peakKernels,
      kernelsAfterCull,
      baselineRssMiB,
      peakRssMiB,
      afterCullRssMiB,
      baselineHeapMiB,
      afterCullHeapMiB,
      totalMs: performance.now() - started,
    };
  } catch (error) {
    const tail = serverLog.trim() === "" ? "(nothing)" : serverLog.trim();
    throw new Error(`${error instanceof Error ? error.message : error}\nserver stderr:\n${tail}`);
  } finally {
    heap?.close();
    for (const notebook of opened) {
      try {
        notebook.socket.close();
      } catch { /* closed */ }
    }
    try {
      child.kill("SIGTERM");
    } catch { /* exited */ }
    const killer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
    }, 8000);
    await child.status;
    clearTimeout(killer);
    await logDrained;
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const report = await runNotebookLoad();
  const { roundTripsMs: _, ...summary } = report;
  console.log(JSON.stringify(summary, null, 2));
}
