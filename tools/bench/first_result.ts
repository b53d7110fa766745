/**
 * Page open to first result: headless Chromium opens a lesson page whose first cell is `1+1`,
 * presses the cell's Run button the moment it is in the page, and reads the time from navigation
 * start until the first frame that shows the cell's result. Both are taken in the page (a script
 * the page runs before its own watches the DOM), not over the DevTools protocol, whose polling
 * and input events add tens of ms that are not the page's. Each run opens a different lesson, so
 * each needs a kernel of its own, as a learner's first visit does. The server runs as
 * `deno task serve` does, with one spare kernel started ahead of need (`kernel_spares.ts`),
 * which each run finds ready (as a learner does who opens a lesson more than a few seconds
 * after the server started or after the last lesson opened). The server and the browser are
 * started beforehand, and one unmeasured run warms the browser's cache of the client bundle
 * (every run opens a new tab in the same browser window: `load_window.ts`).
 *
 * Run alone: `deno run --allow-all --unstable-worker-options bench/first_result.ts`.
 *
 * @module
 */
import { launchBrowser, startLessonServer } from "../browser_harness.ts";
import { openLoadWindow } from "./load_window.ts";

const FENCE = "```";

function lesson(order: number): string {
  return [
    "---",
    `title: First result ${order}`,
    "summary: One cell.",
    "objectives: [time]",
    "minutes: 1",
    `order: ${order}`,
    "---",
    "",
    `${FENCE}ts`,
    "1+1",
    FENCE,
    "",
  ].join("\n");
}

/**
 * Runs in the page before its own scripts: presses the first cell's Run button as soon as it is
 * in the DOM, and sets `resultShownAt` at the first animation frame after the cell shows `ok`
 * (the frame that paints it).
 */
function pressRunAndTimeResult(): void {
  let pressed = false;
  const observer = new MutationObserver(() => {
    const button = document.querySelector<HTMLButtonElement>("#cell-c1 .run-button");
    if (!pressed && button !== null) {
      pressed = true;
      button.click();
    }
    if (document.querySelector("#cell-c1 .status.ok") === null) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      (globalThis as { resultShownAt?: number }).resultShownAt = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

/** Median and every run, in ms from navigation start to the `1+1` cell's result. */
export async function measureFirstResult(runs = 3): Promise<{ medianMs: number; runs: number[] }> {
  const lessons: Record<string, string> = {};
  for (let i = 0; i <= runs; i++) {
    lessons[`${String(i + 1).padStart(2, "0")}-first.md`] = lesson(i + 1);
  }
  const server = await startLessonServer(lessons, {
    prefix: "gradbook-first-",
    kernel: {},
    server: { spareKernels: 1 },
  });
  const browser = await launchBrowser();
  const times: number[] = [];
  try {
    const window = await openLoadWindow(browser);
    for (let i = 0; i <= runs; i++) {
      await server.server.sparesReady();
      // A second for the last tab's teardown: a learner opens the next lesson seconds later.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const page = await window.newTab({ cold: false });
      await page.evaluateOnNewDocument(pressRunAndTimeResult);
      await page.goto(`${server.url}lessons/${String(i + 1).padStart(2, "0")}-first`, {
        waitUntil: "domcontentloaded",
      });
      await page.waitForFunction(() => "resultShownAt" in globalThis, { timeout: 60_000 });
      const ms = await page.evaluate(() =>
        (globalThis as { resultShownAt?: number }).resultShownAt!
      );
      if (i > 0) times.push(ms); // the first run warms the browser's code cache
      await page.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, runs: times };
}

if (import.meta.main) console.log(await measureFirstResult(Number(Deno.args[0] ?? 3)));
