/**
 * One training run of `tools/train_st_mnist.ts` in a worker: receives `RunSettings`, rebuilds
 * the (seeded) data, trains, and posts back the log and the chosen epoch's state dict. Runs are
 * seeded one by one, so the results do not depend on how many workers share the work.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { loadRtsMnist } from "./data.ts";
import { type RunSettings, trainRun } from "./train.ts";

const data = await loadRtsMnist(0);
self.onmessage = (event: MessageEvent<RunSettings>) => {
  const { best, log } = trainRun(data, event.data, (line) => console.log(line));
  self.postMessage({ best, log });
};
self.postMessage("ready");
