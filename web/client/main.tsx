/**
 * Entry point of the browser client: reads the lesson JSON embedded by the server and mounts
 * the notebook over the server-rendered static blocks.
 *
 * @module
 */
import { options, render } from "preact";
import type { LessonPageData } from "../messages.ts";
import { Notebook } from "./notebook.tsx";

// Live charts may send dozens of updates a second: render at most once per frame (and on a
// timer when the tab is hidden, where animation frames stop).
options.debounceRendering = (callback) => {
  if (document.hidden) setTimeout(callback, 50);
  else requestAnimationFrame(callback);
};

/** Mounts the notebook over the server-rendered blocks. */
function mount(dataElement: HTMLElement, root: HTMLElement): void {
  const data = JSON.parse(dataElement.textContent ?? "null") as LessonPageData;
  // The page data leaves out the prose HTML the static blocks already hold (slim_page_data.ts).
  for (const element of root.querySelectorAll<HTMLElement>("[data-prose]")) {
    const block = data.lesson.blocks[Number(element.dataset.prose)];
    if (block?.kind === "markdown" && block.html === "") block.html = element.innerHTML;
  }
  root.replaceChildren();
  render(<Notebook data={data} />, root);
  document.body.classList.add("hydrated");
  (globalThis as { gradbookReady?: number }).gradbookReady = performance.now();
}

const dataElement = document.getElementById("page-data");
const root = document.getElementById("notebook");
if (dataElement !== null && root !== null) {
  // The server-rendered lesson is painted first (a module script runs before the first paint
  // otherwise, and mounting a long lesson takes hundreds of ms); then the notebook mounts.
  if (document.hidden) mount(dataElement, root);
  else requestAnimationFrame(() => setTimeout(() => mount(dataElement, root), 0));
}
