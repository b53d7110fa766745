/**
 * Entry point of the browser client: opens the lesson's kernel socket, fetches the page data and
 * mounts the notebook over the server-rendered static blocks.
 *
 * @module
 */
import { options, render } from "preact";
import type { LessonPageData } from "../messages.ts";
import { Notebook } from "./notebook.tsx";
import { loadEditorModule } from "./lazy_editor.ts";
import { keepStaticProse } from "./static_prose.ts";
import { Connection, lessonSocketUrl } from "./connection.ts";

// Live charts may send dozens of updates a second: render at most once per frame (and on a
// timer when the tab is hidden, where animation frames stop).
options.debounceRendering = (callback) => {
  if (document.hidden) setTimeout(callback, 50);
  else requestAnimationFrame(callback);
};

/** Mounts the notebook over the server-rendered blocks. */
function mount(data: LessonPageData, root: HTMLElement, connection: Connection): void {
  // The page data leaves out the prose HTML the static blocks already hold (slim_page_data.ts):
  // the notebook takes those blocks' nodes over.
  keepStaticProse(root);
  root.replaceChildren();
  render(<Notebook data={data} connection={connection} />, root);
  document.body.classList.add("hydrated");
  (globalThis as { gradbookReady?: number }).gradbookReady = performance.now();
  // The cell editors' chunk: fetched now, so the editors near the screen are built as soon as it
  // arrives (until then their cells show the code in placeholders).
  loadEditorModule().then(
    () => (globalThis as { gradbookEditorReady?: number }).gradbookEditorReady = performance.now(),
    (error) => console.error("The cell editor could not be loaded", error),
  );
}

/** The page data (the page preloads it: `page_shell.tsx`). */
async function fetchPageData(url: string): Promise<LessonPageData> {
  const response = await fetch(url);
  if (!response.ok) {
    const body = await response.json().catch(() => null) as { error?: string } | null;
    throw new Error(body?.error ?? `the server answered ${response.status}`);
  }
  return await response.json() as LessonPageData;
}

/** Says above the (still readable) static lesson that the notebook could not start. */
function showLoadError(root: HTMLElement, error: unknown): void {
  const notice = document.createElement("p");
  notice.className = "page-notice error";
  notice.setAttribute("role", "alert");
  notice.textContent = `The notebook could not load this lesson's cells (${
    error instanceof Error ? error.message : String(error)
  }). The text below is readable; reload the page to run code.`;
  root.before(notice);
}

const root = document.getElementById("notebook");
const pageDataUrl = root?.dataset.page;
const slug = root?.dataset.slug;
if (root !== null && pageDataUrl !== undefined && slug !== undefined) {
  // The kernel's socket opens with the page data's request, not after mounting: the server
  // starts (or hands over) the lesson's kernel meanwhile, and a Run pressed at once is sent.
  const connection = new Connection(lessonSocketUrl(slug));
  const data = fetchPageData(pageDataUrl);
  // The server-rendered lesson is painted first (mounting a long lesson takes hundreds of ms);
  // then the notebook mounts.
  const painted = new Promise<void>((resolve) => {
    if (document.hidden) resolve();
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });
  Promise.all([data, painted]).then(([loaded]) => mount(loaded, root, connection)).catch(
    (error) => {
      connection.close();
      showLoadError(root, error);
    },
  );
}
