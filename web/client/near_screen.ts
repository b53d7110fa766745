/**
 * Work that can wait until an element comes near the screen: rich outputs (`deferred_output.tsx`)
 * and cell editors (`cell.tsx`) of a long lesson page are built for the first screens at once
 * and for the rest as the learner scrolls to them, so the page paints and answers quickly.
 *
 * @module
 */

/** How far beyond the screen, above and below, work is done ahead of time. */
const MARGIN = "1200px 0px";

const waiting = new Map<Element, () => void>();
let observer: IntersectionObserver | null = null;

/**
 * Calls `callback` once, when `element` comes within {@link MARGIN} of the screen (at once where
 * `IntersectionObserver` is missing). Returns a function that cancels it.
 */
export function whenNearScreen(element: Element, callback: () => void): () => void {
  if (typeof IntersectionObserver === "undefined") {
    callback();
    return () => {};
  }
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const run = waiting.get(entry.target);
      waiting.delete(entry.target);
      observer!.unobserve(entry.target);
      run?.();
    }
  }, { rootMargin: MARGIN });
  waiting.set(element, callback);
  observer.observe(element);
  return () => {
    waiting.delete(element);
    observer?.unobserve(element);
  };
}
