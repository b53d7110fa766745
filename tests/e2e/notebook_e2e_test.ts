/**
 * End to end in headless Chromium: the real server, kernel, parser and charts, on a temporary
 * course of two lessons (so the test does not depend on the course's content).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import {
  editorText,
  launchBrowser,
  openPage,
  OUTPUT_DIR,
  replaceEditorText,
  runCellAndWait,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";

const FIRST_LESSON = `---
title: Browser test lesson
summary: Math, a printed value, a chart and an endless loop.
objectives:
  - See math rendered
  - Run a cell
minutes: 3
order: 1
---

# Browser test lesson

Pythagoras says $a^2 + b^2 = c^2$, and

$$
\\int_0^1 x \\, dx = \\frac{1}{2}.
$$

\`\`\`ts
const base = 40;
\`\`\`

\`\`\`ts
import { plot } from "gradbook/display";
plot.scatter([1, 2, 3, 4, 5, 6, 7], [3, 1, 4, 1, 5, 9, 2], { title: "Seven points" })
\`\`\`

\`\`\`ts
let spins = 0;
while (true) { spins++; }
\`\`\`

\`\`\`ts
import { display, plot as p } from "gradbook/display";
const live = display(p.scatter([0], [0], { title: "Growing" }));
for (let n = 2; n <= 6; n++) {
  const xs = Array.from({ length: n }, (_, i) => i);
  live.update(p.scatter(xs, xs, { title: "Growing" }));
  if (n === 3) console.log("half way");
  const until = Date.now() + 120;
  while (Date.now() < until) { /* let the update interval pass */ }
}
\`\`\`
`;

const SECOND_LESSON = `---
title: Second lesson
summary: Only here for the previous and next links.
objectives: []
minutes: 1
order: 2
---

Nothing to see.

\`\`\`ts
1 + 1
\`\`\`
`;

async function waitForText(page: Page, selector: string, text: string, timeout = 30_000) {
  await page.waitForFunction(
    (sel: string, expected: string) =>
      [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes(expected)),
    { timeout },
    selector,
    text,
  );
}

Deno.test({
  name: "The notebook runs, charts, saves, reloads and interrupts cells in headless Chromium",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await Deno.mkdir(OUTPUT_DIR, { recursive: true });
    const server = await startLessonServer(
      { "01-browser.md": FIRST_LESSON, "02-second.md": SECOND_LESSON },
      { prefix: "gradbook-e2e-", kernel: { interruptGraceMs: 1000, cellTimeoutMs: 60_000 } },
    );
    const browser = await launchBrowser();
    try {
      const { page, pageErrors } = await openPage(browser, { width: 1280, height: 900 });

      await t.step("the index lists the lessons in order", async () => {
        await page.goto(server.url, { waitUntil: "load" });
        const titles = await page.$$eval(
          ".lesson-card .card-title",
          (e) => e.map((x) => x.textContent),
        );
        assert.deepEqual(titles, ["Browser test lesson", "Second lesson"]);
      });

      await t.step("a lesson page renders KaTeX and becomes interactive", async () => {
        // The first formula of the server-rendered prose, as the parser adds it.
        await page.evaluateOnNewDocument(() => {
          new MutationObserver((_, observer) => {
            const katex = document.querySelector("[data-prose] .katex");
            if (katex === null) return;
            (globalThis as { serverKatex?: Element }).serverKatex = katex;
            observer.disconnect();
          }).observe(document, { childList: true, subtree: true });
        });
        const started = performance.now();
        await Promise.all([page.waitForNavigation(), page.click(".lesson-card a")]);
        await waitForPageReady(page);
        await waitForKernelIdle(page);
        console.log(`  lesson page to interactive: ${Math.round(performance.now() - started)} ms`);
        assert.ok(await page.$$eval(".prose .katex", (e) => e.length) >= 2);
        assert.equal(await page.$$eval(".prose .katex-display", (e) => e.length), 1);
        // fonts.load() waits for the download (fonts.check() is false until it finishes).
        const loaded = await page.evaluate(async () =>
          (await document.fonts.load("16px KaTeX_Main")).map((f) => f.status)
        );
        assert.deepEqual(loaded, ["loaded"], "the KaTeX font loads from the server");
        assert.equal(await page.$eval(".pager .next b", (e) => e.textContent), "Second lesson");
        // The notebook took the server's prose nodes over rather than parsing their HTML again.
        const adopted = await page.evaluate(() => {
          const katex = (globalThis as { serverKatex?: Element }).serverKatex;
          return katex?.isConnected === true && katex.closest(".notebook > .prose") !== null;
        });
        assert.ok(adopted, "the mounted notebook shows the server-rendered prose nodes");
      });

      await t.step("an edited cell runs with Shift+Enter and shows its output", async () => {
        await replaceEditorText(
          page,
          "#cell-c1",
          "const base = 40;\nconsole.log('answer is', base + 2);",
        );
        await page.keyboard.down("Shift");
        await page.keyboard.press("Enter");
        await page.keyboard.up("Shift");
        await waitForText(page, "#cell-c1 .out-stream", "answer is 42");
        await page.waitForSelector("#cell-c1.edited .edited-badge");
        assert.equal(await page.$eval("#cell-c1 .prompt", (e) => e.textContent), "[1]");
        // Shift+Enter moved the focus to the next cell.
        await page.waitForSelector("#cell-c2.active");
      });

      await t.step(
        "Escape gives command mode: K and J move between cells, Enter edits",
        async () => {
          const focusedIs = (selector: string) =>
            page.waitForFunction(
              (sel: string) => document.activeElement?.matches(sel) ?? false,
              { timeout: 5000 },
              selector,
            );
          // Shift+Enter left the focus in cell c2's editor.
          const before = await editorText(page, "#cell-c2");
          await page.keyboard.press("Escape");
          await focusedIs("#cell-c2");
          await page.keyboard.press("k");
          await focusedIs("#cell-c1");
          await page.waitForSelector("#cell-c1.active");
          await page.keyboard.press("ArrowDown");
          await focusedIs("#cell-c2");
          await page.keyboard.press("Enter");
          await focusedIs("#cell-c2 .cm-content");
          assert.equal(await editorText(page, "#cell-c2"), before, "no key was typed into a cell");
        },
      );

      await t.step("a chart cell draws an SVG with one circle per point", async () => {
        await page.click("#cell-c2 .run-button");
        await page.waitForSelector("#cell-c2 .out-chart svg", { timeout: 30_000 });
        const points = await page.$$eval("#cell-c2 .out-chart svg circle.point", (e) => e.length);
        assert.equal(points, 7);
      });

      await t.step("reloading keeps the edit and the outputs", async () => {
        await page.waitForSelector(".save-status.saved");
        await page.reload({ waitUntil: "load" });
        await waitForPageReady(page);
        assert.match(await editorText(page, "#cell-c1"), /answer is/);
        await waitForText(page, "#cell-c1 .out-stream", "answer is 42");
        assert.equal(await page.$$eval("#cell-c2 svg circle.point", (e) => e.length), 7);
      });

      await t.step("an endless loop is interrupted and says so", async () => {
        await waitForKernelIdle(page);
        await page.click("#cell-c3 .run-button");
        await page.waitForSelector("#cell-c3.busy", { timeout: 30_000 });
        await page.click(".toolbar button[title='Stop the running cell']");
        await waitForText(page, "#cell-c3 .out-notice", "interrupt", 30_000);
        await page.waitForSelector("#cell-c3 .status.interrupted");
      });

      await t.step("a display updated in a loop redraws its chart in place", async () => {
        await waitForKernelIdle(page);
        await runCellAndWait(page, "c4", 30_000);
        assert.equal(await page.$$eval("#cell-c4 .out-chart", (e) => e.length), 1);
        await page.waitForFunction(
          () => document.querySelectorAll("#cell-c4 svg circle.point").length === 6,
          { timeout: 5000 },
        );
      });

      await t.step("a screenshot of the lesson is saved in tests/output", async () => {
        // A tall viewport rather than fullPage, which breaks the sticky sidebar and toolbar.
        await page.setViewport({ width: 1280, height: 2000 });
        const path = join(OUTPUT_DIR, "notebook_e2e.png");
        await page.screenshot({ path });
        assert.ok((await Deno.stat(path)).size > 10_000);
      });

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
