/**
 * End to end in headless Chromium: a kernel that is gone (stopped after idle, the server
 * restarted) is shown as gone on every page opened later, and the page offers to rerun the
 * cells a cell needs (issue 22, item 1).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import {
  launchBrowser,
  openPage,
  runCellAndWait,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";

const LESSON = `---
title: Kernel lifetime lesson
summary: Two cells, the second reads the first.
objectives: []
minutes: 1
order: 1
---

\`\`\`ts
const base = 40;
\`\`\`

\`\`\`ts
console.log("answer", base + 2);
\`\`\`
`;

const SCREENS = "/work/screens/nb";

async function text(page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (e) => (e as HTMLElement).innerText);
}

Deno.test({
  name:
    "A kernel stopped after idle is shown as gone on a page opened later, which offers to rerun",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const idleTimeoutMs = 1500;
    const server = await startLessonServer({ "01-life.md": LESSON }, {
      prefix: "gradbook-life-",
      kernel: { cellTimeoutMs: 60_000 },
      server: { limits: { idleTimeoutMs } },
    });
    const browser = await launchBrowser();
    try {
      const url = `${server.url}lessons/01-life`;
      await t.step("cells run in a fresh kernel and the notebook is reproducible", async () => {
        const { page, pageErrors } = await openPage(browser, { width: 1280, height: 800 });
        await page.goto(url, { waitUntil: "load" });
        await waitForPageReady(page);
        await waitForKernelIdle(page);
        await runCellAndWait(page, "c1", 60_000);
        await runCellAndWait(page, "c2", 60_000);
        assert.equal(await text(page, ".repro-status"), "Reproducible from top");
        assert.equal(await page.$(".kernel-gone"), null);
        await page.close();
        assert.deepEqual(pageErrors, []);
      });

      await t.step("after the idle timeout, a reopened page says the kernel is gone", async () => {
        // Past the idle timeout with no page open: the one idle policy stops the kernel.
        await new Promise((resolve) => setTimeout(resolve, idleTimeoutMs * 3));
        const { page, pageErrors } = await openPage(browser, { width: 1280, height: 800 });
        await page.goto(url, { waitUntil: "load" });
        await waitForPageReady(page);
        await page.waitForSelector(".kernel-gone", { timeout: 30_000 });
        assert.match(await text(page, ".kernel-gone"), /kernel that made these outputs is gone/);
        assert.match(await text(page, "#cell-c1 .status"), /not run in this kernel/);
        assert.match(await text(page, "#cell-c2 .status"), /not run in this kernel/);
        assert.notEqual(await text(page, ".repro-status"), "Reproducible from top");
        // The saved outputs stay visible, marked as from an earlier kernel.
        assert.match(await text(page, "#cell-c2 .cell-output"), /answer 42/);
        await page.screenshot({ path: join(SCREENS, "kernel-gone.png") });

        await page.click("#cell-c2 .run-button");
        await page.waitForSelector("#cell-c2 .run-above-offer", { timeout: 10_000 });
        const offer = await text(page, "#cell-c2 .run-above-offer button.run-above");
        assert.equal(offer, "Run the 1 cell above first");
        await page.screenshot({ path: join(SCREENS, "kernel-gone-offer.png") });
        await page.click("#cell-c2 .run-above-offer button.run-above");
        await page.waitForSelector("#cell-c2 .status.ok:not(.not-in-kernel)", { timeout: 60_000 });
        await page.waitForSelector("#cell-c1 .status.ok:not(.not-in-kernel)", { timeout: 60_000 });
        assert.match(await text(page, "#cell-c2 .cell-output"), /answer 42/);
        assert.equal(await page.$(".kernel-gone"), null);
        assert.equal(await text(page, "#cell-c1 .prompt"), "[1]", "counts restart with the kernel");
        assert.equal(await text(page, ".repro-status"), "Reproducible from top");
        await page.close();
        assert.deepEqual(pageErrors, []);
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
