/**
 * Runs the training runs of `tools/train_st_mnist.ts` on a pool of workers (`worker.ts`).
 *
 * @module
 */
import type { nn } from "../../runtime/mod.ts";
import type { RunLog, RunSettings } from "./train.ts";

/** Runs `runs` on a pool of `workers` workers; returns the results in the order of `runs`. */
export async function runPool(
  runs: RunSettings[],
  workers: number,
  onProgress: (line: string) => void = () => {},
): Promise<{ best: nn.StateDict; log: RunLog }[]> {
  const results: { best: nn.StateDict; log: RunLog }[] = new Array(runs.length);
  let next = 0;
  const startWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL("./worker.ts", import.meta.url), {
        type: "module",
      });
      let current = -1;
      const give = () => {
        if (next >= runs.length) {
          worker.terminate();
          resolve();
          return;
        }
        current = next++;
        worker.postMessage(runs[current]);
      };
      worker.onmessage = (event) => {
        if (event.data !== "ready") {
          results[current] = event.data;
          onProgress(`done: ${JSON.stringify(runs[current])}`);
        }
        give();
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(`a training worker failed: ${event.message}`));
      };
    });
  await Promise.all(Array.from({ length: Math.min(workers, runs.length) }, startWorker));
  return results;
}
