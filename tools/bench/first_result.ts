/**
 * Page open to first result: headless Chromium opens a lesson page whose first cell is `1+1`,
 * presses the cell's Run button as soon as it is on the page, and reads the time from
 * navigation start until the cell shows its result. Each run opens a different lesson, so each
 * starts its own kernel, as a learner's first visit does; the server and the browser are
 * started beforehand, and one unmeasured run warms the browser's cache of the client bundle.
 *
 * Run alone: `deno run --allow-all --unstable-worker-options bench/first_result.ts`.
 *
 * @module
 */
import { launchBrowser, startLessonServer } from "../browser_harness.ts";

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

/** Median and every run, in ms from navigation start to the `1+1` cell's result. */
export async function measureFirstResult(runs = 3): Promise<{ medianMs: number; runs: number[] }> {
  const lessons: Record<string, string> = {};
  for (let i = 0; i <= runs; i++) {
    lessons[`${String(i + 1).padStart(2, "0")}-first.md`] = lesson(i + 1);
  }
  const server = await startLessonServer(lessons, { prefix: "gradbook-first-", kernel: {} });
  const browser = await launchBrowser();
  const times: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.goto(`${server.url}lessons/${String(i + 1).padStart(2, "0")}-first`, {
        waitUntil: "domcontentloaded",
      });
      await page.waitForSelector("#cell-c1 .run-button");
      await page.click("#cell-c1 .run-button");
      await page.waitForSelector("#cell-c1 .status.ok", { timeout: 60_000 });
      const ms = await page.evaluate(() => performance.now());
      if (i > 0) times.push(ms); // the first run warms the browser's code cache
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, runs: times };
}

if (import.meta.main) console.log(await measureFirstResult(Number(Deno.args[0] ?? 3)));
