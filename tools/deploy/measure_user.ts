/**
 * Measures what one learner costs a hub node: starts `web/server/main.ts` as its own process,
 * runs every cell of a lesson over the WebSocket (as "Run all" does), and samples the resident
 * memory of the server and its kernel process (the whole process tree, from /proc) every 100 ms.
 * Prints the server's idle RSS, the peak RSS of server + kernel during the lesson, and the CPU
 * time they used (user + system), for sizing `singleuser.memory` / `singleuser.cpu`.
 *
 * Usage: `deno run --allow-all tools/deploy/measure_user.ts [lesson-slug...]` (Linux only).
 *
 * @module
 */
import { join } from "node:path";
import { loadCourse } from "../../notebook/course/parse_lesson.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const PAGE_SIZE = 4096;
const TICKS = 100; // USER_HZ on Linux

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
      if (text !== "") found.push(...text.split(/\s+/).map(Number));
    }
  } catch { /* exited */ }
  return found;
}

function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

/** Resident bytes and CPU seconds (user + system, this process only) of a pid. */
function usage(pid: number): { rss: number; cpu: number } {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const statm = Deno.readTextFileSync(`/proc/${pid}/statm`).split(" ");
    return {
      rss: Number(statm[1]) * PAGE_SIZE,
      cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
    };
  } catch {
    return { rss: 0, cpu: 0 };
  }
}

function treeUsage(pid: number): { rss: number; cpu: number; processes: number } {
  const pids = tree(pid);
  let rss = 0;
  let cpu = 0;
  for (const p of pids) {
    const u = usage(p);
    rss += u.rss;
    cpu += u.cpu;
  }
  return { rss, cpu, processes: pids.length };
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

async function measure(slug: string): Promise<void> {
  const { lessons } = await loadCourse(join(ROOT, "lessons"));
  const lesson = lessons.find((l) => l.slug === slug);
  if (lesson === undefined) throw new Error(`No lesson "${slug}"`);
  const cells = lesson.blocks.filter((b) => b.kind === "code" && b.runnable) as {
    id: string;
    source: string;
  }[];
  const data = await Deno.makeTempDir({ prefix: "gradbook-measure-" });
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--unstable-worker-options",
      join(ROOT, "web/server/main.ts"),
      "--no-token",
      "--port",
      "0",
      "--data",
      data,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!/http:\/\/\S+/.test(printed)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the server exited before printing its URL");
    printed += value;
  }
  const url = new URL(printed.match(/http:\/\/\S+/)![0]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = treeUsage(server.pid);
  let peak = idle.rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeUsage(server.pid).rss);
  }, 100);
  const started = performance.now();
  const socket = new WebSocket(`ws://${url.host}/ws/lessons/${encodeURIComponent(slug)}`);
  const statuses: string[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => {
      for (const [n, cell] of cells.entries()) {
        socket.send(
          JSON.stringify({ type: "execute", runId: `m${n}`, cellId: cell.id, code: cell.source }),
        );
      }
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (message.type !== "done") return;
      statuses.push(message.status);
      if (statuses.length === cells.length) resolve();
    };
    socket.onerror = () => reject(new Error("the WebSocket failed"));
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = treeUsage(server.pid);
  socket.close();
  server.kill("SIGTERM");
  await server.status;
  await reader.cancel().catch(() => {});
  await Deno.remove(data, { recursive: true });
  const failed = statuses.filter((s) => s !== "ok").length;
  const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  console.log(
    `${slug}: ${cells.length} cells (${failed} not ok) in ${seconds.toFixed(1)} s wall; ` +
      `server idle ${mib(idle.rss)}; peak server + kernel ${mib(peak)}; ` +
      `after ${mib(after.rss)} (${after.processes} processes); ` +
      `CPU ${(after.cpu - idle.cpu).toFixed(1)} s for the lesson ` +
      `(${((after.cpu - idle.cpu) / seconds).toFixed(2)} cores while running); load ${load}`,
  );
}

if (import.meta.main) {
  for (const slug of Deno.args.length > 0 ? Deno.args : ["00-tour", "01-optimization"]) {
    await measure(slug);
  }
}
