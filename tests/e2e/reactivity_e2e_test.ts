/**
 * End to end in headless Chromium: a slider reruns the chart that depends on it, the value
 * survives a reload, its reset goes back to the code's value, and editing a cell marks the
 * cells below it stale.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import {
  launchBrowser,
  openPage,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";

const LESSON = `---
title: Reactive lesson
summary: A slider and a chart that follows it.
objectives: []
minutes: 2
order: 1
---

\`\`\`ts
import { input, plot } from "gradbook/display";
const n = await input.slider({ label: "points", min: 2, max: 12, value: 3, step: 1 });
\`\`\`

\`\`\`ts
const xs = Array.from({ length: n }, (_, i) => i);
\`\`\`

\`\`\`ts
plot.scatter(xs, xs.map((x) => x * x), { title: "Squares" })
\`\`\`
`;

async function setSlider(page: Page, selector: string, value: number): Promise<void> {
  await page.$eval(selector, (element, v) => {
    const slider = element as HTMLInputElement;
    // Preact listens for "input"; set the value the way a drag does.
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    setter.call(slider, String(v));
    slider.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

function points(page: Page): Promise<number> {
  return page.$$eval("#cell-c3 .out-chart svg circle.point", (e) => e.length);
}

Deno.test({
  name:
    "A slider reruns its dependent chart, keeps its value across reload, and edits mark cells stale",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const server = await startLessonServer({ "01-reactive.md": LESSON }, {
      prefix: "gradbook-reactive-e2e-",
      kernel: { interruptGraceMs: 1000, cellTimeoutMs: 60_000 },
    });
    const browser = await launchBrowser();
    try {
      const { page, pageErrors } = await openPage(browser);
      const open = async () => {
        await page.goto(new URL("lessons/01-reactive", server.url).href, { waitUntil: "load" });
        await waitForPageReady(page);
        await waitForKernelIdle(page);
      };
      await open();

      await t.step("running all cells draws the chart with the slider's default", async () => {
        await page.click(".toolbar button[title='Run every cell']");
        await page.waitForSelector("#cell-c3 .status.ok", { timeout: 30_000 });
        // A chart is drawn as it nears the screen, a frame or more after its cell's status: 3/6
        // runs read 0 points when this step counted them at once.
        await page.waitForFunction(
          () => document.querySelectorAll("#cell-c3 .out-chart svg circle.point").length === 3,
          { timeout: 30_000 },
        );
        assert.equal(await points(page), 3);
        assert.equal(await page.$eval("#cell-c1 .widget-value", (e) => e.textContent), "3");
        await page.waitForSelector(".repro-status.ok");
      });

      await t.step("moving the slider reruns the cells that depend on it", async () => {
        await setSlider(page, "#cell-c1 input[type=range]", 9);
        await page.waitForFunction(
          () => document.querySelectorAll("#cell-c3 .out-chart svg circle.point").length === 9,
          { timeout: 30_000 },
        );
        await page.waitForSelector("#cell-c3 .status.ok", { timeout: 30_000 });
        assert.equal(await page.$eval("#cell-c1 .widget-value", (e) => e.textContent), "9");
        await page.waitForSelector(".repro-status.ok");
      });

      await t.step("the slider's value and the chart survive a reload", async () => {
        await open();
        assert.equal(await page.$eval("#cell-c1 input[type=range]", (e) => e.value), "9");
        assert.equal(await points(page), 9);
      });

      await t.step(
        "the slider's reset goes back to the code's value and reruns the chart",
        async () => {
          await page.click("#cell-c1 .widget-reset");
          await page.waitForFunction(
            () => document.querySelectorAll("#cell-c3 .out-chart svg circle.point").length === 3,
            { timeout: 30_000 },
          );
          await page.waitForSelector("#cell-c3 .status.ok", { timeout: 30_000 });
          assert.equal(await page.$eval("#cell-c1 .widget-value", (e) => e.textContent), "3");
          assert.equal(
            await page.$eval("#cell-c1 .widget-reset", (e) => (e as HTMLButtonElement).disabled),
            true,
            "at the default, the reset is disabled (and hidden)",
          );
          await page.waitForSelector(".repro-status.ok");
        },
      );

      await t.step(
        "editing a cell marks it changed and its reader stale, and Run stale reruns both",
        async () => {
          await page.click("#cell-c2 .cm-content");
          await page.keyboard.type(" ");
          await page.waitForSelector("#cell-c2 .freshness-badge.changed");
          await page.waitForSelector("#cell-c3 .freshness-badge.stale");
          await page.waitForSelector(".repro-status.off");
          await page.click(".toolbar .run-stale");
          await page.waitForSelector(".repro-status.ok", { timeout: 30_000 });
          assert.equal(await page.$$eval(".freshness-badge", (e) => e.length), 0);
        },
      );

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
