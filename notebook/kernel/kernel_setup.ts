/**
 * What a kernel process reads from its host: its flags (`--output-limit=<bytes>
 * --grace-ms=<ms> --timeout-ms=<ms> [--threads=<n>]`), the compiled SIMD GEMM it hands its
 * workers, and dataset files it reads for the permissionless cell worker (only inside the
 * dataset folders).
 *
 * @module
 */
import { isAllowedDatasetPath } from "../../runtime/datasets/read_file.ts";
import { gemmWasmUrl } from "../../runtime/kernels/wasm_gemm_url.ts";
import type { ToWorker } from "./worker_messages.ts";

/** A kernel process's settings. */
export interface KernelFlags {
  /** Stream output kept per cell, in bytes (default 1 MiB). */
  outputLimitBytes: number;
  /**
   * The SIMD GEMM for the workers, which cannot read it themselves, compiled once for every
   * worker this process starts; without it, the TypeScript path.
   */
  gemmWasm: WebAssembly.Module | undefined;
  /** Most threads the float32 kernels may use (Infinity: the runtime's default). */
  threadLimit: number;
  /** How long an interrupted cell may take to stop (ms, default 2000). */
  graceMs: number;
  /** A cell's time limit (ms, default 300 000). */
  defaultTimeoutMs: number;
}

/**
 * Reads the flags in `args`; a missing or invalid one takes its default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFlags } from "./kernel_setup.ts";
 * const flags = readFlags(["--grace-ms=300", "--timeout-ms=oops"]);
 * assert.equal(flags.graceMs, 300);
 * assert.equal(flags.defaultTimeoutMs, 300_000);
 * ```
 */
export function readFlags(args: string[]): KernelFlags {
  const flag = (name: string, fallback: number): number => {
    const arg = args.find((a) => a.startsWith(`--${name}=`));
    const value = arg === undefined ? NaN : Number(arg.slice(name.length + 3));
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    outputLimitBytes: flag("output-limit", 1 << 20),
    gemmWasm: compileOptional(gemmWasmUrl("exact")),
    threadLimit: flag("threads", Infinity),
    graceMs: flag("grace-ms", 2000),
    defaultTimeoutMs: flag("timeout-ms", 300_000),
  };
}

function compileOptional(url: URL): WebAssembly.Module | undefined {
  try {
    return new WebAssembly.Module(Deno.readFileSync(url));
  } catch {
    return undefined; // not built, or not a valid module: the TypeScript kernels run
  }
}

/**
 * Reads dataset file `path` (relative to `rootUrl`) for the worker: the `file` message to post
 * it and what to transfer, or an error message when it is not a dataset file or is missing.
 */
export async function readDataset(
  requestId: number,
  path: string,
  rootUrl: string,
): Promise<[ToWorker, Transferable[]]> {
  // NOTE: `new URL()` decodes `%2e%2e` into `..` and resolves it, so a percent sign is refused
  // outright and the resolved file must still lie inside a dataset folder.
  const target = path.includes("%") ? null : new URL(path, rootUrl);
  const resolved = target === null || !target.href.startsWith(rootUrl)
    ? null
    : decodeURIComponent(target.href.slice(rootUrl.length));
  if (!isAllowedDatasetPath(path) || resolved === null || !isAllowedDatasetPath(resolved)) {
    const error = `Cannot read ${JSON.stringify(path.slice(0, 200))}: not a dataset file`;
    return [{ type: "file", requestId, error }, []];
  }
  try {
    const bytes = await Deno.readFile(target!);
    return [{ type: "file", requestId, bytes }, [bytes.buffer]];
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? `dataset file ${path} is missing (run \`deno install\` in the gradbook folder)`
      : `could not read dataset file ${path}`;
    return [{ type: "file", requestId, error: reason }, []];
  }
}
