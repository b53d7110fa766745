/**
 * Run by `threads_test.ts` in a process of its own: starts a 3-thread pool, runs one product,
 * lets V8's background compilation settle, then prints the CPU milliseconds the whole process
 * used during one second of idling. Alone in its process, nothing else's CPU is counted.
 */
import process from "node:process";
import { gemm } from "../gemm.ts";
import { setThreads } from "../threads.ts";
import { threadsReady } from "../wasm_gemm.ts";

setThreads(3);
const threads = await threadsReady();
const filled = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
gemm(filled(300 * 300), 0, filled(300 * 300), 0, new Float32Array(300 * 300), 0, {
  m: 300,
  n: 300,
  k: 300,
});
await new Promise((resolve) => setTimeout(resolve, 1000));
const before = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, 1000));
const used = process.cpuUsage(before);
console.log(JSON.stringify({ threads, cpuMs: (used.user + used.system) / 1000 }));
Deno.exit(0);
