/**
 * End to end in headless Chromium: editor intelligence on the real server and kernel, on a
 * temporary one-lesson course. A type error is underlined while typing (and the cell still
 * runs), completion pops up after `nn.`, parameter hints show inside a call, and hover on a
 * variable shows its type and, after a run, its live tensor shape from the kernel.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { INTELLIGENCE_LESSON } from "../../web/server/test_support.ts";
import {
  launchBrowser,
  openPage,
  runCellAndWait,
  selectEditorText,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";

async function replaceCell(page: Page, cellId: string, text: string): Promise<void> {
  await selectEditorText(page, `#cell-${cellId}`);
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

/** Moves the pointer over the first occurrence of `word` in a cell's editor. */
async function hoverWord(page: Page, cellId: string, word: string): Promise<void> {
  const point = await page.$eval(`#cell-${cellId} .cm-content`, (content, wanted) => {
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const index = node.textContent?.indexOf(wanted as string) ?? -1;
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index + 1);
      range.setEnd(node, index + 2);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return null;
  }, word);
  assert.ok(point !== null, `"${word}" is not in cell ${cellId}`);
  await page.mouse.move(point.x, point.y);
}

Deno.test({
  name: "Cells show type errors, completions, parameter hints and live hover in Chromium",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const server = await startLessonServer({ "01-intel.md": INTELLIGENCE_LESSON }, {
      prefix: "gradbook-intel-e2e-",
      kernel: { cellTimeoutMs: 60_000 },
    });
    const browser = await launchBrowser();
    try {
      const { page, pageErrors } = await openPage(browser, { width: 1280, height: 900 });
      const asked: string[] = [];
      page.on("request", (request) => {
        const action = request.url().match(/\/intelligence\/([a-z-]+)$/)?.[1];
        if (action !== undefined) asked.push(action);
      });
      await page.goto(`${server.url}lessons/01-intel`, { waitUntil: "load" });
      await waitForPageReady(page);

      await t.step("opening the lesson asks the language service nothing", async () => {
        // The lesson's own cells type-check (language_service_test.ts): checking them as their
        // editors open only took the cores from the learner's first cell.
        await page.waitForNetworkIdle({ idleTime: 500, timeout: 60_000 });
        assert.deepEqual(asked, []);
        assert.equal(await page.$$eval(".cm-lintRange-error", (e) => e.length), 0);
      });

      await t.step("a type error is underlined with its message", async () => {
        // Runs fine (the kernel does not check types) but is wrong for TypeScript.
        await replaceCell(
          page,
          "c2",
          'const model = new nn.Linear(784, 10);\nconst label: number = "ten";',
        );
        const underline = await page.waitForSelector("#cell-c2 .cm-lintRange-error", {
          timeout: 30_000,
        });
        assert.equal(await underline!.evaluate((e) => e.textContent), "label");
      });

      await t.step("the cell with a type error still runs", async () => {
        await waitForKernelIdle(page);
        await runCellAndWait(page, "c1", 60_000);
        await runCellAndWait(page, "c2", 60_000);
      });

      await t.step("fixing the error removes the underline", async () => {
        await replaceCell(page, "c2", "const model = new nn.Linear(784, 10);\n");
        await page.waitForFunction(
          () => document.querySelector("#cell-c2 .cm-lintRange-error") === null,
          { timeout: 30_000 },
        );
      });

      await t.step("typing nn. opens the completion popup with the layers", async () => {
        await page.keyboard.type("const act = new nn.");
        await page.waitForSelector(".cm-tooltip-autocomplete", { timeout: 30_000 });
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll(".cm-tooltip-autocomplete .cm-completionLabel")]
              .some((e) => e.textContent === "Sequential"),
          { timeout: 30_000 },
        );
        await page.keyboard.type("ReL");
        await page.waitForFunction(
          () =>
            document.querySelector(".cm-tooltip-autocomplete [aria-selected] .cm-completionLabel")
              ?.textContent === "ReLU",
          { timeout: 30_000 },
        );
        // CodeMirror ignores Enter for 75 ms after the list changes (interactionDelay).
        await new Promise((resolve) => setTimeout(resolve, 250));
        await page.keyboard.press("Enter");
        await page.waitForFunction(
          () => document.querySelector("#cell-c2 .cm-content")?.textContent?.includes("nn.ReLU"),
        );
      });

      await t.step("an open parenthesis shows the parameter hints", async () => {
        await page.keyboard.type("\nconst out = model.forward(");
        const hint = await page.waitForSelector(".cm-gb-signature", { timeout: 30_000 });
        assert.match(await hint!.evaluate((e) => e.textContent ?? ""), /forward\(/);
        await page.keyboard.press("Escape");
        await page.waitForFunction(() => document.querySelector(".cm-gb-signature") === null);
        assert.ok(
          await page.evaluate(() => document.activeElement?.matches(".cm-content") ?? false),
          "Escape closed the hints but stayed in the editor",
        );
      });

      await t.step("hover on a variable shows its type and its live shape", async () => {
        // The server gives the kernel 500 ms to answer for the live value and shows the type
        // without it after that: on a loaded machine (an empty-cache CI run) the first answer
        // came late once. Hover again, at most three times, for the kernel's answer.
        let text = "";
        for (let attempt = 0; attempt < 3 && !text.includes("Now:"); attempt++) {
          await page.mouse.move(0, 0);
          await page.waitForFunction(() => document.querySelector(".cm-gb-hover") === null);
          await hoverWord(page, "c1", "batch");
          const hover = await page.waitForSelector(".cm-gb-hover", { timeout: 30_000 });
          text = await hover!.evaluate((e) => e.textContent ?? "");
        }
        assert.match(text, /const batch: Tensor/);
        assert.match(text, /Now: Tensor \[64, 784\] float32/);
      });

      await t.step("renaming a variable flags the later cell that uses it", async () => {
        await replaceCell(
          page,
          "c2",
          "const model = new nn.Linear(784, 10);\nmodel.forward(batch);",
        );
        await page.waitForNetworkIdle({ idleTime: 500, timeout: 30_000 });
        assert.equal(await page.$$eval("#cell-c2 .cm-lintRange-error", (e) => e.length), 0);
        await replaceCell(
          page,
          "c1",
          'import { nn, randn } from "gradbook";\nconst inputs = randn([64, 784]);',
        );
        const underline = await page.waitForSelector("#cell-c2 .cm-lintRange-error", {
          timeout: 30_000,
        });
        assert.equal(await underline!.evaluate((e) => e.textContent), "batch");
      });

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
