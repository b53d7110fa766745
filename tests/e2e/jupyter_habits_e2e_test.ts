/**
 * End to end in headless Chromium: Jupyter habits (issue 22, item 4): Restart asks first (Enter
 * confirms, Escape cancels) and Ctrl+S saves instead of opening the browser's dialog.
 */
import assert from "node:assert/strict";
import {
  launchBrowser,
  openPage,
  runCellAndWait,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";

const LESSON = `---
title: Habits lesson
summary: One cell.
objectives: []
minutes: 1
order: 1
---

\`\`\`ts
const base = 40;
\`\`\`
`;

Deno.test({
  name: "Restart asks first (Escape cancels, Enter confirms) and Ctrl+S saves without a dialog",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startLessonServer({ "01-habits.md": LESSON }, {
      prefix: "gradbook-habits-",
      kernel: { cellTimeoutMs: 60_000 },
    });
    const browser = await launchBrowser();
    try {
      const { page, pageErrors } = await openPage(browser, { width: 1280, height: 800 });
      await page.goto(`${server.url}lessons/01-habits`, { waitUntil: "load" });
      await waitForPageReady(page);
      await waitForKernelIdle(page);
      await runCellAndWait(page, "c1", 60_000);

      const restart = "button[title='Restart the kernel (variables are lost)']";
      await page.click(restart);
      await page.waitForSelector(".confirm-dialog", { timeout: 5000 });
      await page.keyboard.press("Escape");
      await page.waitForFunction(() => document.querySelector(".confirm-dialog") === null);
      assert.equal(await page.$("#cell-c1 .status.not-in-kernel"), null, "Escape: no restart");

      // Enter pressed the moment the dialog is in the page (as a quick learner or a loaded
      // machine would): the dialog listens from its first frame, not from a later effect.
      const answeredAtOnce = await page.evaluate((selector) =>
        new Promise<boolean>((resolve) => {
          const observer = new MutationObserver(() => {
            if (document.querySelector(".confirm-dialog") === null) return;
            observer.disconnect();
            const enter = new KeyboardEvent("keydown", {
              key: "Enter",
              bubbles: true,
              cancelable: true,
            });
            document.activeElement!.dispatchEvent(enter);
            resolve(enter.defaultPrevented);
          });
          observer.observe(document.body, { childList: true, subtree: true });
          document.querySelector<HTMLButtonElement>(selector)!.click();
        }), restart);
      assert.equal(answeredAtOnce, true, "Enter reached the dialog as soon as it showed");
      await page.waitForFunction(() => document.querySelector(".confirm-dialog") === null, {
        timeout: 5000,
      });
      await page.waitForSelector("#cell-c1 .status.not-in-kernel", { timeout: 180_000 });

      await page.click("#cell-c1 .cm-content");
      await page.keyboard.type("// kept");
      const prevented = await page.evaluate(() => {
        const event = new KeyboardEvent("keydown", {
          key: "s",
          ctrlKey: true,
          bubbles: true,
          cancelable: true,
        });
        document.activeElement!.dispatchEvent(event);
        return event.defaultPrevented;
      });
      assert.equal(prevented, true, "Ctrl+S does not reach the browser's Save dialog");
      await page.waitForFunction(() =>
        document.querySelector(".save-status")?.classList.contains("saved")
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
