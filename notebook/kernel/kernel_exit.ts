/**
 * What a page is told when a kernel process ends on its own or does not start in time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { diedMessage, tooSlowMessage } from "./kernel_exit.ts";
 * assert.match(tooSlowMessage(120_000), /did not start within 120 s/);
 * const options = { memoryLimitMiB: 1024, processMemoryLimitMiB: 2048 };
 * assert.match(
 *   diedMessage({ status: { code: 1, signal: null }, stderrTail: "", killedAtMiB: null, options }),
 *   /died unexpectedly \(exit code 1\)/,
 * );
 * ```
 *
 * @module
 */

/** What a dead kernel's cells lose. */
export const LOST = "Variables were lost; rerun the cells above.";

/** `250 ms`, `120 s`. */
const formatMs = (ms: number) => ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;

/** A kernel process stopped for not becoming ready within `startTimeoutMs`. */
export function tooSlowMessage(startTimeoutMs: number): string {
  return `The kernel did not start within ${formatMs(startTimeoutMs)} and was stopped (is the ` +
    "machine overloaded?); run a cell to try again";
}

/**
 * A kernel process that was ready and ended: out of memory (the watchdog's resident size
 * `killedAtMiB`, or V8's heap limit in `stderrTail`), or anything else with its exit code.
 */
export function diedMessage({ status, stderrTail, killedAtMiB, options }: {
  status: { code: number; signal: string | null };
  stderrTail: string;
  killedAtMiB: number | null;
  options: { memoryLimitMiB: number; processMemoryLimitMiB: number };
}): string {
  if (killedAtMiB !== null) {
    return `Kernel died: out of memory (the kernel process used ${killedAtMiB} MiB, over its ` +
      `limit of ${options.processMemoryLimitMiB} MiB, which counts ArrayBuffers and ` +
      `WebAssembly memory too). ${LOST}`;
  }
  if (/out of memory|heap limit/i.test(stderrTail)) {
    return `Kernel died: out of memory (limit ${options.memoryLimitMiB} MiB). ${LOST}`;
  }
  return `Kernel died unexpectedly (exit code ${status.code}${
    status.signal ? `, signal ${status.signal}` : ""
  }). ${LOST}`;
}
