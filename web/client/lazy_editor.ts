/**
 * The cell editor (CodeMirror with editor intelligence, `editor.ts`) is four fifths of the
 * client's code. The bundle puts it in a chunk of its own, loaded once the lesson has painted
 * and mounted (after the result of a cell run before then, for at most a second); until a
 * cell's editor is built, the cell shows its text in a placeholder.
 *
 * @module
 */

type EditorModule = typeof import("./editor.ts");

/** Loads a module once, after what holds it; see {@link editorLoader}. */
export interface HeldLoader<T> {
  /**
   * The module, loaded once (a failed load is tried again at the next call). It is imported a
   * task later, once every hold registered by then has ended; `urgent` imports it now.
   */
  load(options?: { urgent?: boolean }): Promise<T>;
  /** Holds a load not yet started until `until` settles, or `maxMs` have passed. */
  holdFor(until: Promise<unknown>, maxMs: number): void;
}

/**
 * A loader of `importModule` whose load can be held. The page holds the editors' chunk while the
 * first cell the learner ran is in flight: evaluating CodeMirror (50-80 ms) and building the
 * editors then shared the cores with the kernel and delayed the result the learner asked for by
 * about 100 ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editorLoader } from "./lazy_editor.ts";
 * const loader = editorLoader(() => Promise.resolve("module"));
 * assert.equal(await loader.load(), "module");
 * ```
 */
export function editorLoader<T>(importModule: () => Promise<T>): HeldLoader<T> {
  let imported: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  let holds: Promise<unknown>[] = [];
  const importNow = () => {
    imported ??= importModule().catch((error) => {
      imported = null;
      queued = null;
      throw error;
    });
    return imported;
  };
  const afterHolds = async (): Promise<T> => {
    // A task later: a Run pressed in the task that mounted the notebook holds this load too.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (holds.length > 0 && imported === null) {
      const waiting = holds;
      holds = [];
      await Promise.all(waiting);
    }
    return await importNow();
  };
  return {
    load({ urgent = false } = {}) {
      if (urgent) return importNow();
      queued ??= afterHolds();
      return queued;
    },
    holdFor(until, maxMs) {
      if (imported !== null) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const capped = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)));
      holds.push(
        Promise.race([until.then(() => {}, () => {}), capped]).finally(() => clearTimeout(timer)),
      );
    },
  };
}

const editors = editorLoader<EditorModule>(() => import("./editor.ts"));

/** Loads the editor's chunk; see {@link HeldLoader.load}. */
export function loadEditorModule(options?: { urgent?: boolean }): Promise<EditorModule> {
  return editors.load(options);
}

/** Most a run in flight holds the editor's chunk, in ms. */
const RUN_HOLD_MS = 1000;

/**
 * Holds the editor's chunk until `run` (a cell the learner ran before it loaded) has its result,
 * or {@link RUN_HOLD_MS} have passed.
 */
export function holdEditorsFor(run: Promise<unknown>): void {
  editors.holdFor(run, RUN_HOLD_MS);
}

/** Jobs waiting for a task of their own (see {@link inSmallTasks}). */
const queue: (() => void)[] = [];
let draining = false;
/** How long one task may run jobs before it yields to the page (input, paint). */
const TASK_BUDGET_MS = 12;

function drain(): void {
  const started = performance.now();
  do {
    try {
      queue.shift()!();
    } catch (error) {
      // One job's failure leaves the queue draining.
      reportError(error);
    }
  } while (queue.length > 0 && performance.now() - started < TASK_BUDGET_MS);
  if (queue.length > 0) post();
  else draining = false;
}

const channel = typeof MessageChannel === "undefined" ? null : new MessageChannel();
if (channel !== null) channel.port1.onmessage = drain;
// NOTE: a message, not setTimeout(0), which browsers stretch to 4 ms once nested
const post = () => channel === null ? setTimeout(drain, 0) : channel.port2.postMessage(null);

/**
 * Runs `job` in a later task, with as many other queued jobs as fit in {@link TASK_BUDGET_MS}:
 * building the dozen editors near the screen one after the other in one task kept the page from
 * answering a click for a few hundred ms.
 */
export function inSmallTasks(job: () => void): void {
  queue.push(job);
  if (!draining) {
    draining = true;
    post();
  }
}
