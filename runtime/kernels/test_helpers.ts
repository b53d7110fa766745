/**
 * Helpers for the thread tests: run a computation on 1, 2 and 3 threads, and compare floats
 * bit for bit.
 *
 * @module
 */
import { assertEquals } from "../testing/assert.ts";
import { setWorkStealing, workerJobsRun } from "./thread_pool.ts";
import { getThreads, setThreads } from "./threads.ts";
import { setParallelMinWork, threadsReady } from "./wasm_gemm.ts";

/** The raw bits of a float32 array, so -0 and NaN payloads count too. */
export const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer));

/**
 * Runs `compute` with 1, 2 and 3 threads (each pool up before it runs), the workers made to
 * take their blocks, then once more on 3 threads where the calling thread may take back blocks
 * no worker has started; returns the four outputs. With `isSplit` it also checks that the
 * workers computed blocks whenever there were some.
 */
export async function withThreadCounts<T>(compute: () => T, isSplit = true): Promise<T[]> {
  const previousWork = setParallelMinWork(0);
  const previousThreads = getThreads();
  const previousStealing = setWorkStealing(false);
  const results: T[] = [];
  try {
    for (const threads of [1, 2, 3, 3]) {
      setWorkStealing(results.length === 3);
      setThreads(threads);
      assertEquals(await threadsReady(), threads, `${threads} threads should start`);
      const before = workerJobsRun();
      results.push(compute());
      const isShared = workerJobsRun() > before;
      if (isSplit && results.length < 4) {
        assertEquals(isShared, threads > 1, `workers ran jobs with ${threads}`);
      }
    }
  } finally {
    setParallelMinWork(previousWork);
    setThreads(previousThreads);
    setWorkStealing(previousStealing);
  }
  return results;
}
