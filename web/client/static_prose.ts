/**
 * The lesson's prose as the server rendered it (`<div class="prose" data-prose="N">`): the
 * notebook takes over these nodes instead of parsing the same HTML again from the page data, which
 * leaves it out (`slim_page_data.ts`). Parsing and serialising a long lesson's prose (KaTeX makes
 * it a few hundred KiB) again was a good part of mounting the notebook.
 *
 * @module
 */

const elements = new Map<number, HTMLElement>();

/** Keeps the server-rendered prose blocks of `root` (call before the notebook replaces them). */
export function keepStaticProse(root: HTMLElement): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-prose]")) {
    elements.set(Number(element.dataset.prose), element);
  }
}

/**
 * Moves the nodes of prose block `index` into `target`; returns a function that moves them back
 * (so a block rendered again finds them), or null when the server rendered no such block.
 */
export function adoptStaticProse(index: number, target: HTMLElement): (() => void) | null {
  const source = elements.get(index);
  if (source === undefined) return null;
  target.replaceChildren(...source.childNodes);
  return () => source.replaceChildren(...target.childNodes);
}

/** Whether the server rendered prose block `index`. */
export function hasStaticProse(index: number): boolean {
  return elements.has(index);
}
