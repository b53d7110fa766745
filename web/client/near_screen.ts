/**
 * Work that can wait until an element comes near the screen: rich outputs (`deferred_output.tsx`)
 * and cell editors (`cell.tsx`) of a long lesson page are built for the first screens at once
 * and for the rest as the learner scrolls, or (editors) one at a time when the page is idle, so
 * the page paints and answers quickly.
 *
 * @module
 */

/** How far beyond the screen, above and below, work is done ahead of time. */
const MARGIN = "1200px 0px";

const waiting = new Map<Element, () => void>();
let observer: IntersectionObserver | null = null;
const idleQueue: Element[] = [];
let idleScheduled = false;

function run(element: Element): void {
  const callback = waiting.get(element);
  if (callback === undefined) return;
  waiting.delete(element);
  observer?.unobserve(element);
  callback();
}

function scheduleIdle(): void {
  if (idleScheduled) return;
  idleScheduled = true;
  const next = () => {
    idleScheduled = false;
    // NOTE: one element per idle period keeps each task short (a CodeMirror view takes ~10 ms)
    let element = idleQueue.shift();
    while (element !== undefined && !waiting.has(element)) element = idleQueue.shift();
    if (element !== undefined) run(element);
    if (idleQueue.length > 0) scheduleIdle();
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(next, { timeout: 2000 });
  else setTimeout(next, 50);
}

/**
 * Calls `callback` once, when `element` comes within {@link MARGIN} of the screen (at once where
 * `IntersectionObserver` is missing), or, with `whenIdle`, earlier in an idle period. Returns a
 * function that cancels it.
 */
export function whenNearScreen(
  element: Element,
  callback: () => void,
  { whenIdle = false } = {},
): () => void {
  if (typeof IntersectionObserver === "undefined") {
    callback();
    return () => {};
  }
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) run(entry.target);
  }, { rootMargin: MARGIN });
  waiting.set(element, callback);
  observer.observe(element);
  if (whenIdle) {
    idleQueue.push(element);
    scheduleIdle();
  }
  return () => {
    waiting.delete(element);
    observer?.unobserve(element);
  };
}
