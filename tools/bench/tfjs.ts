/**
 * Loads TensorFlow.js (the full package, which registers gradients) once, and selects its CPU
 * backend or its WebAssembly backend (`@tensorflow/tfjs-backend-wasm`, SIMD build, one thread,
 * its `.wasm` files read from the installed package). Only the bench imports tfjs; the runtime
 * never does.
 *
 * @module
 */
import type { BenchOptions, Peer } from "./section.ts";
import { measure } from "./stats.ts";

/** The `@tensorflow/tfjs` namespace. */
export type Tfjs = typeof import("@tensorflow/tfjs");

/** A tfjs backend the bench compares against. */
export type TfjsBackend = "cpu" | "wasm";

let loading: Promise<Tfjs> | null = null;
let wasmRegistering: Promise<void> | null = null;

function loadTfjsPackage(): Promise<Tfjs> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    // NOTE: under Deno tfjs detects Node.js and prints an advert for tfjs-node on first use.
    tf.env().set("IS_NODE", false);
    return tf;
  })();
  return loading;
}

/** Registers the wasm backend: the non-threaded SIMD build from the local package, 1 thread. */
function registerWasmBackend(tf: Tfjs): Promise<void> {
  wasmRegistering ??= (async () => {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const dist = new URL(".", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).pathname;
    // NOTE: the threaded build needs SharedArrayBuffer workers; the issue compares one thread.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
    wasm.setWasmPaths({
      "tfjs-backend-wasm.wasm": `${dist}tfjs-backend-wasm.wasm`,
      "tfjs-backend-wasm-simd.wasm": `${dist}tfjs-backend-wasm-simd.wasm`,
      "tfjs-backend-wasm-threaded-simd.wasm": `${dist}tfjs-backend-wasm-threaded-simd.wasm`,
    });
  })();
  return wasmRegistering;
}

/**
 * Resolves to tfjs with `backend` active (switching on every call, so sections can alternate);
 * rejects when the package or the backend cannot be loaded.
 */
export async function loadTfjs(backend: TfjsBackend): Promise<Tfjs> {
  const tf = await loadTfjsPackage();
  if (backend === "wasm") await registerWasmBackend(tf);
  if (!(await tf.setBackend(backend))) {
    throw new Error(`tfjs: could not select the ${backend} backend (active: ${tf.getBackend()})`);
  }
  await tf.ready();
  if (backend === "wasm" && !(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) {
    throw new Error("tfjs: the wasm backend runs without SIMD here");
  }
  return tf;
}

/** Resolves to tfjs with the `cpu` backend active. */
export function loadTfjsCpu(): Promise<Tfjs> {
  return loadTfjs("cpu");
}

/** The bench column of each tfjs backend. */
export const PEER_OF: Record<TfjsBackend, Peer> = { cpu: "tfjs-cpu", wasm: "tfjs-wasm" };

/**
 * Times one workload on every tfjs backend: `makeStep(backend)` builds the step (after the
 * backend is selected), and its median ms is the peer's figure. A backend that fails gets
 * `null`, and the reason goes into `note`.
 */
export async function timeTfjsPeers(
  makeStep: (backend: TfjsBackend) => Promise<() => void>,
  options: BenchOptions,
  backends: readonly TfjsBackend[] = ["cpu", "wasm"],
): Promise<{ peers: Partial<Record<Peer, number | null>>; note?: string }> {
  const peers: Partial<Record<Peer, number | null>> = {};
  const notes: string[] = [];
  for (const backend of backends) {
    try {
      peers[PEER_OF[backend]] = measure(await makeStep(backend), options);
    } catch (error) {
      peers[PEER_OF[backend]] = null;
      notes.push(`${PEER_OF[backend]} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
  return notes.length > 0 ? { peers, note: notes.join("; ") } : { peers };
}
