/**
 * End to end in headless Chromium: editor intelligence on the real server and kernel, on a
 * temporary one-lesson course. A type error is underlined while typing (and the cell still
 * runs), completion pops up after `nn.`, parameter hints show inside a call, and hover on a
 * variable shows its type and, after a run, its live tensor shape from the kernel.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import puppeteer, { type Page } from "puppeteer-core";
import { KernelProcess } from "../../kernel/kernel_process.ts";
import { startServer } from "../../web/server/app.ts";

const CHROMIUM = "/usr/bin/chromium";
const FENCE = "```";

const LESSON = `---
title: Intelligence test lesson
summary: Cells for type errors, completion and hover.
objectives: [Type]
minutes: 1
order: 1
---

${FENCE}ts
import { nn, randn } from "gradbook";
const batch = randn([64, 784]);
${FENCE}

${FENCE}ts
const model = new nn.Linear(784, 10);
${FENCE}
`;

async function replaceCell(page: Page, cellId: string, text: string): Promise<void> {
  await page.click(`#cell-${cellId} .cm-content`);
  await page.keyboard.down("Control");
  await page.keyboard.press("a");
  await page.keyboard.up("Control");
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
    const root = await Deno.makeTempDir({ prefix: "gradbook-intel-e2e-" });
    const lessonsDir = join(root, "lessons");
    await Deno.mkdir(lessonsDir);
    await Deno.writeTextFile(join(lessonsDir, "01-intel.md"), LESSON);
    const server = await startServer({
      lessonsDir,
      dataDir: join(root, "data"),
      port: 0,
      createKernel: () => new KernelProcess({ cellTimeoutMs: 60_000 }),
    });
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(String(error)));
      await page.goto(`${server.url}lessons/01-intel`, { waitUntil: "load" });
      await page.waitForFunction(() => "gradbookReady" in globalThis);

      await t.step("the lesson's own cells show no type errors", async () => {
        // Wait for the first check of each cell (the language service warms up on it).
        await page.waitForNetworkIdle({ idleTime: 500, timeout: 60_000 });
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
        await page.waitForSelector(".kernel-status.kernel-idle", { timeout: 60_000 });
        await page.click("#cell-c1 .run-button");
        await page.waitForSelector("#cell-c1 .status.ok", { timeout: 60_000 });
        await page.click("#cell-c2 .run-button");
        await page.waitForSelector("#cell-c2 .status.ok", { timeout: 60_000 });
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
      });

      await t.step("hover on a variable shows its type and its live shape", async () => {
        await hoverWord(page, "c1", "batch");
        const hover = await page.waitForSelector(".cm-gb-hover", { timeout: 30_000 });
        const text = await hover!.evaluate((e) => e.textContent ?? "");
        assert.match(text, /const batch: Tensor/);
        assert.match(text, /Now: Tensor \[64, 784\] float32/);
      });

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(root, { recursive: true });
    }
  },
});
