/**
 * The cell editor (CodeMirror with editor intelligence, `editor.ts`) is four fifths of the
 * client's code. The bundle puts it in a chunk of its own, loaded once the lesson has painted
 * and mounted; until a cell's editor is built, the cell shows its text in a placeholder.
 *
 * @module
 */

type EditorModule = typeof import("./editor.ts");

let loading: Promise<EditorModule> | null = null;

/** Loads the editor's chunk (once; a failed load is tried again at the next call). */
export function loadEditorModule(): Promise<EditorModule> {
  loading ??= import("./editor.ts").catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
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
