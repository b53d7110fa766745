import { assert, assertEquals } from "../testing/assert.ts";
import { gemm } from "./gemm.ts";
import { type Job, runJobs, setWorkStealing, workerJobsRun } from "./thread_pool.ts";
import { setThreads } from "./threads.ts";
import { installGemmWasm, setParallelMinWork, threadsReady } from "./wasm_gemm.ts";
import { assembleGemmWasm } from "./wasm_gemm_source.ts";

// NOTE: assembled from this checkout's source, not read from build/wasm/.
installGemmWasm(await assembleGemmWasm());

/** Blocks the calling thread for `ms` milliseconds (as a busy machine would). */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A job that does nothing: a product with no rows and no columns. */
const emptyProduct = (): Job => ({ fn: "gemmTile", variant: 0, args: new Array(11).fill(0) });

Deno.test("a slow calling thread leaves the blocks it has not started to a free worker", async () => {
  const previous = setThreads(2);
  try {
    assertEquals(await threadsReady(), 2);
    const jobs = Array.from({ length: 16 }, emptyProduct);
    const before = workerJobsRun();
    let ranHere = 0;
    runJobs(jobs, () => {
      ranHere++;
      stall(20);
    }, { base: 0, stride: 0, workers: 1 });
    const ranOnWorker = workerJobsRun() - before;
    assertEquals(ranHere + ranOnWorker, 16, "every block ran exactly once");
    // NOTE: most, not all: on a loaded machine the worker may wake a few blocks late (it would
    // have to sleep through seven of the caller's 20 ms stalls to fail this).
    assert(ranOnWorker > 8, `the worker ran ${ranOnWorker} of 16 blocks`);
  } finally {
    setThreads(previous);
  }
});

Deno.test("a large product is cut into more blocks than threads, so a late thread still helps", async () => {
  const previousWork = setParallelMinWork(0);
  const previousThreads = setThreads(2);
  const previousStealing = setWorkStealing(false);
  try {
    assertEquals(await threadsReady(), 2);
    const size = 256;
    const filled = Float32Array.from({ length: size * size }, (_, i) => (i % 13) - 6);
    const before = workerJobsRun();
    gemm(filled, 0, filled, 0, new Float32Array(size * size), 0, { m: size, n: size, k: size });
    // The calling thread stands aside (stealing off), so the worker ran every block.
    assert(workerJobsRun() - before >= 4, `${workerJobsRun() - before} block(s)`);
  } finally {
    setParallelMinWork(previousWork);
    setThreads(previousThreads);
    setWorkStealing(previousStealing);
  }
});

Deno.test("a product the size of an LSTM step's recurrent one stays on one thread (splitting it lost time)", async () => {
  const previous = setThreads(2);
  try {
    assertEquals(await threadsReady(), 2);
    // h [16, 128] times W_hhᵀ [128, 512]: 1M multiply-adds, about 60 µs on one thread here.
    const h = new Float32Array(16 * 128).fill(0.5);
    const w = new Float32Array(512 * 128).fill(0.25);
    const before = workerJobsRun();
    gemm(h, 0, w, 0, new Float32Array(16 * 512), 0, { m: 16, n: 512, k: 128, transB: true });
    assertEquals(workerJobsRun() - before, 0, "a worker was woken for it");
    // An MLP layer's product (64×784 by 784×256, 12.8M) is still split.
    const x = new Float32Array(64 * 784).fill(0.5);
    const w1 = new Float32Array(256 * 784).fill(0.25);
    setWorkStealing(false);
    gemm(x, 0, w1, 0, new Float32Array(64 * 256), 0, { m: 64, n: 256, k: 784, transB: true });
    assert(workerJobsRun() - before > 0, "the MLP layer ran on one thread");
  } finally {
    setWorkStealing(true);
    setThreads(previous);
  }
});

Deno.test("an operation that allows fewer workers than are up still wakes one that may help", async () => {
  // Two workers up, one allowed (its scratch is the only one laid out): waking "any one"
  // worker woke the other one every second time, and the caller then ran both blocks.
  const previous = setThreads(3);
  try {
    assertEquals(await threadsReady(), 3);
    const before = workerJobsRun();
    for (let round = 0; round < 20; round++) {
      runJobs([emptyProduct(), emptyProduct()], () => stall(20), {
        base: 0,
        stride: 0,
        workers: 1,
      });
    }
    const helped = workerJobsRun() - before;
    // NOTE: most rounds, not all: on a loaded machine the worker may wake after the caller's
    // 20 ms stall now and then.
    assert(helped >= 15, `the allowed worker helped in ${helped} of 20 rounds`);
  } finally {
    setThreads(previous);
  }
});
