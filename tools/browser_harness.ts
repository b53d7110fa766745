/**
 * What the browser end-to-end tests share: a real server and kernel on a temporary course,
 * Debian's headless Chromium driven by puppeteer-core, a page that records its errors, and the
 * waits and editor keystrokes every notebook test uses.
 *
 * @module
 */
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { type KernelOptions, KernelProcess } from "../notebook/kernel/kernel_process.ts";
import { type RunningServer, type ServerOptions, startServer } from "../web/server/app.ts";
import { REPO_ROOT } from "../web/server/build_client.ts";
import { writeLessons } from "../web/server/test_support.ts";

/** Debian's Chromium (see FACTS.md). */
export const CHROMIUM = "/usr/bin/chromium";
/** Where the end-to-end tests save their screenshots. */
export const OUTPUT_DIR = join(REPO_ROOT, "tests", "output");

/** A server on a temporary course; `stop()` shuts it down and deletes the course. */
export interface LessonServer {
  /** The server's base URL, ending in `/`. */
  url: string;
  server: RunningServer;
  /** The temporary course's lessons folder. */
  lessonsDir: string;
  /** Shuts the server down (and its kernels), then removes the temporary folder. */
  stop(): Promise<void>;
}

/** What {@link startLessonServer} passes on to the server and its kernels. */
export interface LessonServerOptions {
  /** Prefix of the temporary folder's name. */
  prefix: string;
  /** Options of each lesson's {@link KernelProcess}. */
  kernel: KernelOptions;
  /** Options of the exercise grader. */
  grading?: ServerOptions["grading"];
  /** More server options (kernel limits, ...). */
  server?: Partial<ServerOptions>;
}

/**
 * Writes `lessons` (file name to Markdown) into a new temporary folder and starts the real
 * server on a free port, with a {@link KernelProcess} per lesson.
 *
 * @example
 * ```ts ignore
 * const server = await startLessonServer({ "01-a.md": markdown }, {
 *   prefix: "gradbook-e2e-",
 *   kernel: { cellTimeoutMs: 60_000 },
 * });
 * await server.stop();
 * ```
 */
export async function startLessonServer(
  lessons: Record<string, string>,
  options: LessonServerOptions,
): Promise<LessonServer> {
  const root = await Deno.makeTempDir({ prefix: options.prefix });
  try {
    const lessonsDir = await writeLessons(root, lessons);
    const server = await startServer({
      lessonsDir,
      dataDir: join(root, "data"),
      port: 0,
      createKernel: () => new KernelProcess(options.kernel),
      ...(options.grading === undefined ? {} : { grading: options.grading }),
      ...options.server,
    });
    return {
      url: server.url,
      server,
      lessonsDir,
      async stop() {
        await server.shutdown();
        await Deno.remove(root, { recursive: true });
      },
    };
  } catch (error) {
    await Deno.remove(root, { recursive: true });
    throw error;
  }
}

/** Launches headless Chromium with the flags that work here as root (see FACTS.md). */
export async function launchBrowser(): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * Opens a page that collects its uncaught errors in `pageErrors` (a test ends by asserting
 * none), with the given viewport or puppeteer's default.
 */
export async function openPage(
  browser: Browser,
  viewport?: { width: number; height: number },
): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser.newPage();
  if (viewport !== undefined) await page.setViewport(viewport);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  return { page, pageErrors };
}

/**
 * Waits until the lesson page's client has started (it sets `globalThis.gradbookReady`), its
 * cell editors' chunk has loaded (`gradbookEditorReady`) and the editors on the screen are built.
 */
export async function waitForPageReady(page: Page): Promise<void> {
  await page.waitForFunction(() => "gradbookReady" in globalThis);
  await page.waitForFunction(() =>
    "gradbookEditorReady" in globalThis &&
    [...document.querySelectorAll(".editor-placeholder")]
      .every((placeholder) => placeholder.getBoundingClientRect().top > innerHeight)
  );
}

/** Waits until the toolbar shows the lesson's kernel as idle (it may start cold: 60 s). */
export async function waitForKernelIdle(page: Page): Promise<void> {
  await page.waitForSelector(".kernel-status.kernel-idle", { timeout: 60_000 });
}

/** Clicks a cell's Run button and waits until the cell's status says it ran without error. */
export async function runCellAndWait(page: Page, cellId: string, timeout: number): Promise<void> {
  await page.click(`#cell-${cellId} .run-button`);
  await page.waitForSelector(`#cell-${cellId} .status.ok`, { timeout });
}

/** Clicks into the CodeMirror editor inside `selector` and selects all its text. */
export async function selectEditorText(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(`${selector} .cm-content`);
  await page.click(`${selector} .cm-content`);
  await page.keyboard.down("Control");
  await page.keyboard.press("a");
  await page.keyboard.up("Control");
}

/** Types `text` over everything in the CodeMirror editor inside `selector`. */
export async function replaceEditorText(
  page: Page,
  selector: string,
  text: string,
): Promise<void> {
  await selectEditorText(page, selector);
  await page.keyboard.type(text);
}

/** The text the CodeMirror editor inside `selector` shows, one line per line. */
export async function editorText(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(`${selector} .cm-content`);
  return await page.$eval(
    `${selector} .cm-content`,
    (element) => (element as HTMLElement).innerText,
  );
}
