/**
 * A lesson's queue of runs, executed one at a time: executes wait in order (at most `maxQueued`),
 * widget reruns replace the reruns still waiting (and are deferred while the run they replace is
 * interrupted), and an error or an interrupt aborts the rest, as Jupyter does. The session owns
 * the kernel; this owns who runs next. Every aborted run is reported through `onAbort`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunQueue } from "./run_queue.ts";
 * const aborted: string[] = [];
 * const queue = new RunQueue(1, (run) => aborted.push(run.runId), () => {});
 * assert.equal(queue.add({ runId: "r1", cellId: "c1", code: "1" }), true);
 * assert.equal(queue.add({ runId: "r2", cellId: "c2", code: "2" }), false);
 * assert.deepEqual(aborted, ["r2"]);
 * assert.equal(queue.next()?.runId, "r1");
 * ```
 *
 * @module
 */
import type { Run } from "./run_outputs.ts";

/** What a page asks to run. */
type Request = { runId: string; cellId: string; code: string };

/** The run queue; see the module documentation. */
export class RunQueue {
  /** Runs waiting, in order. */
  readonly waiting: Run[] = [];
  /** The run the kernel executes now. */
  running: Run | null = null;
  /** Widget reruns waiting for the interrupted run to end. */
  #deferred: Run[] | null = null;

  constructor(
    readonly maxQueued: number,
    private readonly onAbort: (run: Run, message: string) => void,
    private readonly onQueued: (run: Run) => void,
  ) {}

  /** Queues an execute; false (and reported aborted) when `maxQueued` runs already wait. */
  add(request: Request): boolean {
    const run: Run = { ...request, outputs: [] };
    if (this.waiting.length >= this.maxQueued) {
      this.onAbort(
        run,
        `Not queued: ${this.waiting.length} cells are already waiting (the limit is ` +
          `${this.maxQueued}); wait for them or interrupt`,
      );
      return false;
    }
    this.waiting.push(run);
    this.onQueued(run);
    return true;
  }

  /**
   * Queues widget reruns: they replace widget reruns still waiting; if the running cell is one
   * of them (or an earlier widget rerun) they wait for it to stop and this returns "interrupt".
   */
  addReruns(requests: Request[]): "interrupt" | "queued" {
    const replaced = this.waiting.filter((run) => run.isReactive);
    if (this.#deferred !== null) replaced.push(...this.#deferred.splice(0));
    this.#deferred = null;
    for (const run of replaced) this.onAbort(run, "Not run: replaced by a newer widget value");
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((run) => !run.isReactive));
    // NOTE: a rerun counts against the same queue limit as executes (documented: 200).
    const room = Math.max(0, this.maxQueued - this.waiting.length);
    const batch: Run[] = requests.slice(0, room).map((run) => ({
      ...run,
      outputs: [],
      isReactive: true,
    }));
    for (const request of requests.slice(room)) {
      this.onAbort(
        { ...request, outputs: [] },
        `Not queued: a rerun may queue at most ${room} more cells (the limit is ${this.maxQueued})`,
      );
    }
    for (const run of batch) this.onQueued(run);
    const current = this.running;
    if (
      current !== null &&
      (current.isReactive || requests.some((run) => run.cellId === current.cellId))
    ) {
      this.#deferred = batch;
      return "interrupt";
    }
    this.waiting.push(...batch);
    return "queued";
  }

  /** Takes the next run to execute (it becomes `running`). */
  next(): Run | undefined {
    const run = this.waiting.shift();
    if (run !== undefined) this.running = run;
    return run;
  }

  /** The running run ended with `status`: a failure aborts the queue; deferred reruns follow. */
  finish(status: string): void {
    this.running = null;
    const deferred = this.#deferred;
    this.#deferred = null;
    if (status !== "ok") this.abortAll(`an earlier cell ended with status "${status}"`);
    // Widget reruns that interrupted this run start now, with the new value.
    if (deferred !== null) this.waiting.push(...deferred);
  }

  /** Aborts every waiting and deferred run, saying `Not run: ${reason}`. */
  abortAll(reason: string): void {
    const runs = [...(this.#deferred?.splice(0) ?? []), ...this.waiting.splice(0)];
    this.#deferred = null;
    for (const run of runs) this.onAbort(run, `Not run: ${reason}`);
  }
}
