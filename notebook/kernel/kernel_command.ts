/**
 * How a kernel process is started: `deno run` of `kernel_main.ts` with a cleared environment,
 * read access to the runtime only, a V8 heap limit, no code generation from strings, and the
 * kernel's limits as flags; and how its resident memory is read.
 *
 * @module
 */

/** Limits of one kernel. */
export interface KernelOptions {
  /** V8 heap limit of the kernel process in MiB (default 1024). */
  memoryLimitMiB?: number;
  /**
   * Resident memory of the whole kernel process in MiB (default twice `memoryLimitMiB`): what
   * the V8 heap limit does not see, `ArrayBuffer`s and WebAssembly memories, counts here. The
   * server reads the process's resident size every {@link MEMORY_POLL_MS} ms and ends a kernel
   * past the limit with an "out of memory" reply, then starts it again.
   */
  processMemoryLimitMiB?: number;
  /** Per-cell time limit in ms (default 300 000, five minutes). */
  cellTimeoutMs?: number;
  /** Stream output kept per cell in bytes before truncation (default 1 MiB). */
  outputLimitBytes?: number;
  /** How long an interrupted cell may take to stop before the kernel restarts (default 2000). */
  interruptGraceMs?: number;
  /**
   * Most threads the float32 kernels may use (`setThreads()` in a cell is capped by it); the
   * default, 0, leaves the runtime's own default: all cores but one.
   */
  threads?: number;
  /**
   * How long a kernel process may take to become ready before it is stopped and its start
   * fails with a message that says so (default 120 000 ms: minutes on a machine so loaded that
   * something is wrong, never a normal start).
   */
  startTimeoutMs?: number;
  /**
   * Who compiles the cells: "host" (default) compiles them in this process's shared compiler
   * thread (`cell_compiler.ts`), so the kernel never loads TypeScript; "kernel" sends the source
   * and the kernel loads TypeScript to compile it.
   */
  compileCells?: "host" | "kernel";
}

/** What the kernel process's command line carries: every option but who compiles the cells. */
export type ProcessLimits = Required<Omit<KernelOptions, "compileCells">>;

const ROOT = new URL("../../", import.meta.url);
const READABLE_FOLDERS = [
  "runtime",
  "notebook/kernel",
  "notebook/cell",
  "node_modules",
  "build/wasm",
  "build/kernel",
];
/**
 * The import map a kernel runs with when it was built (`tools/build_kernel_typescript.ts`, run by
 * `deno task build:wasm`): TypeScript as a local ES module, which starts a kernel faster. Relative
 * to the repository root; without it the kernel uses the npm package as everything else does.
 */
export const KERNEL_IMPORT_MAP = "build/kernel/import_map.json";
/** How often the kernel process's resident memory is read, in ms. */
export const MEMORY_POLL_MS = 100;

/** Resident memory of process `pid` in MiB (from /proc), or null where it cannot be read. */
export async function residentMiB(pid: number): Promise<number | null> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kib = Number(status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1]);
    return Number.isFinite(kib) ? kib / 1024 : null;
  } catch {
    return null;
  }
}
// NOTE: the `typescript` package reads these while it loads (they are empty: the kernel's
// environment is cleared); the cell worker itself has no env access at all.
const TYPESCRIPT_ENV = [
  "NODE_ENV",
  "NODE_INSPECTOR_IPC",
  "VSCODE_INSPECTOR_OPTIONS",
  "TSC_*",
];

/** The `deno` arguments that start a kernel process with the limits `o` (all set). */
export function kernelArgs(o: ProcessLimits): string[] {
  const rootPath = decodeURIComponent(ROOT.pathname);
  const readable = READABLE_FOLDERS.map((folder) => rootPath + folder).join(",");
  const importMap = rootPath + KERNEL_IMPORT_MAP;
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--cached-only",
    "--frozen",
    `--config=${rootPath}deno.json`,
    ...(isFile(importMap) ? [`--import-map=${importMap}`] : []),
    `--allow-read=${readable}`,
    `--allow-env=${TYPESCRIPT_ENV.join(",")}`,
    `--v8-flags=--max-old-space-size=${o.memoryLimitMiB},--disallow-code-generation-from-strings`,
    "--unstable-worker-options",
    `${rootPath}notebook/kernel/kernel_main.ts`,
    `--output-limit=${o.outputLimitBytes}`,
    `--grace-ms=${o.interruptGraceMs}`,
    `--timeout-ms=${o.cellTimeoutMs}`,
    ...(o.threads > 0 ? [`--threads=${o.threads}`] : []),
  ];
}

/** The command that starts a kernel process with the limits `o` (all set). */
export function kernelCommand(o: ProcessLimits): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: kernelArgs(o),
    cwd: decodeURIComponent(ROOT.pathname),
    clearEnv: true,
    env: kernelEnv(),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The environment of a kernel process: only what Deno needs to find its cache. */
function kernelEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  for (const name of ["DENO_DIR", "HOME", "XDG_CACHE_HOME", "PATH"]) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // no env permission: Deno falls back to its defaults
    }
  }
  return env;
}

/**
 * Calls `onLine` with each line of `stream` (without its newline) until the stream ends or
 * fails (a pipe closed with its process).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forEachLine } from "./kernel_command.ts";
 * const lines: string[] = [];
 * await forEachLine(ReadableStream.from([new TextEncoder().encode("a\nb"), new TextEncoder().encode("c\n")]), (l) => lines.push(l));
 * assert.deepEqual(lines, ["a", "bc"]);
 * ```
 */
export async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  // NOTE: only the new text is searched for newlines, and a long line's parts are joined
  // once: rescanning the whole buffer per 64 KiB chunk made a 4 MB display quadratic.
  let parts: string[] = [];
  const decoder = new TextDecoder();
  try {
    for await (const chunk of stream) {
      let text = decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = text.indexOf("\n")) >= 0) {
        parts.push(text.slice(0, newline));
        const line = parts.length === 1 ? parts[0]! : parts.join("");
        parts = [];
        text = text.slice(newline + 1);
        onLine(line);
      }
      if (text !== "") parts.push(text);
    }
  } catch {
    // The pipe closed with the process; its exit is reported elsewhere.
  }
}

/** Sends SIGKILL to `child`, which may have ended already. */
export function killQuietly(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
}

/** Keeps the last `keep` characters of `stream` as text, passing them to `onTail` as they grow. */
export async function readTail(
  stream: ReadableStream<Uint8Array>,
  keep: number,
  onTail: (tail: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let tail = "";
  try {
    for await (const chunk of stream) {
      tail = (tail + decoder.decode(chunk, { stream: true })).slice(-keep);
      onTail(tail);
    }
  } catch {
    // closed
  }
}

/**
 * Ends `child` when its resident memory passes `limitMiB` (off-heap memory included), reading it
 * every {@link MEMORY_POLL_MS} ms while `isCurrent()`; `onKill` gets the size that ended it.
 */
export async function watchResidentMemory(
  child: Deno.ChildProcess,
  limitMiB: number,
  isCurrent: () => boolean,
  onKill: (usedMiB: number) => void,
): Promise<void> {
  while (isCurrent()) {
    await new Promise((resolve) => setTimeout(resolve, MEMORY_POLL_MS));
    if (!isCurrent()) return;
    const used = await residentMiB(child.pid);
    if (used === null) {
      if (Deno.build.os !== "linux") return; // no /proc: the heap limit alone applies
      continue;
    }
    if (used > limitMiB) {
      onKill(Math.round(used));
      killQuietly(child);
      return;
    }
  }
}
