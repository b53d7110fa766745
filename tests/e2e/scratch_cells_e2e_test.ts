/**
 * End to end in headless Chromium: scratch cells (issue 22, item 2, and Z from item 4). A
 * learner adds cells of their own with B, A, the "+" bar and Shift+Enter on the last cell, runs
 * one that reads a lesson variable, moves one, deletes one with D, D and brings it back with Z,
 * cannot delete a lesson cell, reloads and finds them all, then exports the progress and imports
 * it into a fresh data folder and finds them again. The lesson file and the grade do not change.
 *
 * Screenshots go to `tests/output/scratch_*.png`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import {
  editorText,
  launchBrowser,
  openPage,
  OUTPUT_DIR,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";
import { EXERCISE_LESSON } from "../../web/server/test_support.ts";
import type { LessonLink } from "../../web/messages.ts";

const FILE = "01-doubling.md";

/** Cell ids in page order. */
const pageCells = (page: Page) =>
  page.$$eval(
    ".cell[data-cell-id]",
    (cells) => cells.map((c) => (c as HTMLElement).dataset.cellId!),
  );

const scratchCells = (page: Page) =>
  page.$$eval(".cell.scratch", (cells) => cells.map((c) => (c as HTMLElement).dataset.cellId!));

/** Leaves the editor for command mode (a first Escape may only close a completion popup). */
async function commandMode(page: Page, cellId: string): Promise<void> {
  const inside = await page.evaluate(
    (id) => document.activeElement?.closest(".cell")?.id === `cell-${id}`,
    cellId,
  );
  if (!inside) await page.click(`#cell-${cellId} .cm-content`);
  for (let i = 0; i < 3; i++) {
    const selected = await page.evaluate(
      (id) => document.activeElement?.id === `cell-${id}`,
      cellId,
    );
    if (selected) return;
    await page.keyboard.press("Escape");
  }
  throw new Error(`Cell ${cellId} did not enter command mode`);
}

/** The scratch cell that appears, once one more than `before` exist. */
async function newScratch(page: Page, before: string[]): Promise<string> {
  await page.waitForFunction(
    (n) => document.querySelectorAll(".cell.scratch").length === n,
    {},
    before.length + 1,
  );
  const id = (await scratchCells(page)).find((c) => !before.includes(c));
  assert.ok(id !== undefined);
  return id;
}

async function waitSaved(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.querySelector(".save-status")?.classList.contains("saved")
  );
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT_DIR, `scratch_${name}.png`), fullPage: true });
}

Deno.test({
  name:
    "Scratch cells: add (B, A, +, Shift+Enter), run, move, D,D and Z, reload, export and import",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(OUTPUT_DIR, { recursive: true });
    const options = { prefix: "gradbook-scratch-", kernel: { cellTimeoutMs: 60_000 } };
    const server = await startLessonServer({ [FILE]: EXERCISE_LESSON }, options);
    const browser = await launchBrowser();
    try {
      const { page, pageErrors } = await openPage(browser, { width: 1280, height: 900 });
      await page.goto(`${server.url}lessons/01-doubling`, { waitUntil: "load" });
      await waitForPageReady(page);
      await waitForKernelIdle(page);
      const lessonBefore = await (await fetch(`${server.url}api/lessons`)).json() as {
        lessons: LessonLink[];
      };

      // B in command mode on c2: a scratch cell right below it, selected.
      await page.click("#cell-c2 .cm-content");
      await commandMode(page, "c2");
      await page.keyboard.press("b");
      const s1 = await newScratch(page, []);
      assert.deepEqual((await pageCells(page)).slice(0, 3), ["c1", "c2", s1]);
      await page.keyboard.press("Enter");
      await page.keyboard.type("const fromScratch = factor * 21; fromScratch");
      // It reads `factor` from the setup cell, which has not run: run that first, then it.
      await page.keyboard.down("Control");
      await page.keyboard.press("Enter");
      await page.keyboard.up("Control");
      await page.waitForSelector(`#cell-${s1} .run-above`, { timeout: 10_000 });
      await page.click(`#cell-${s1} .run-above`);
      await page.waitForSelector(`#cell-${s1} .status.ok`, { timeout: 60_000 });
      assert.match(await page.$eval(`#cell-${s1} .cell-output`, (e) => e.textContent), /42/);

      // A above it.
      await commandMode(page, s1);
      await page.keyboard.press("a");
      const s2 = await newScratch(page, [s1]);
      await page.keyboard.press("Enter");
      await page.keyboard.type("const note = 7;");
      assert.deepEqual((await pageCells(page)).slice(0, 4), ["c1", "c2", s2, s1]);

      // "+" below the exercise, then Shift+Enter there: it runs and adds one more below.
      await page.hover("#cell-double-it");
      const plus = await page.$$(".add-cell-button");
      await (await page.$("#cell-double-it"))!.evaluate((e) => e.scrollIntoView());
      await plus.at(-1)!.hover();
      await page.screenshot({ path: join(OUTPUT_DIR, "scratch_plus_hover.png") });
      await plus.at(-1)!.click();
      const s3 = await newScratch(page, [s1, s2]);
      await page.keyboard.type("fromScratch + 1");
      await page.keyboard.down("Shift");
      await page.keyboard.press("Enter");
      await page.keyboard.up("Shift");
      const s4 = await newScratch(page, [s1, s2, s3]);
      await page.waitForSelector(`#cell-${s3} .status.ok`, { timeout: 60_000 });
      assert.match(await page.$eval(`#cell-${s3} .cell-output`, (e) => e.textContent), /43/);
      assert.equal(
        await page.evaluate(() => document.activeElement?.closest(".cell")?.id),
        `cell-${s4}`,
        "Shift+Enter on the last cell puts the cursor in the new cell",
      );
      assert.deepEqual((await pageCells(page)).slice(-3), ["double-it", s3, s4]);

      // Move the `note` cell down past its neighbour with the button.
      await page.click(`#cell-${s2} .move-down`);
      await page.waitForFunction(
        (a, b) => {
          const ids = [...document.querySelectorAll<HTMLElement>(".cell[data-cell-id]")]
            .map((c) => c.dataset.cellId);
          return ids.indexOf(a) === ids.indexOf(b) + 1;
        },
        {},
        s2,
        s1,
      );
      await shot(page, "added");

      // D, D deletes the empty last cell, Z brings it back, the button deletes it for good.
      await commandMode(page, s4);
      await page.keyboard.press("d");
      await page.keyboard.press("d");
      await page.waitForFunction((id) => document.getElementById(`cell-${id}`) === null, {}, s4);
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        `cell-${s3}`,
        "the cell above is selected",
      );
      await page.keyboard.press("z");
      await page.waitForSelector(`#cell-${s4}`);
      await page.click(`#cell-${s4} .delete-cell`);
      await page.waitForFunction((id) => document.getElementById(`cell-${id}`) === null, {}, s4);

      // A lesson cell cannot be deleted; the page says so.
      await page.click("#cell-c2 .cm-content");
      await commandMode(page, "c2");
      await page.keyboard.press("d");
      await page.keyboard.press("d");
      await page.waitForFunction(() =>
        [...document.querySelectorAll(".notice")].some((n) =>
          /Lesson cells cannot be deleted/.test(n.textContent ?? "")
        )
      );
      assert.ok(await page.$("#cell-c2"));
      await shot(page, "lesson_cell_stays");
      await waitSaved(page);

      const expected = ["c1", "c2", s1, s2, "double-it", s3];
      assert.deepEqual(await pageCells(page), expected);
      const texts = async (p: Page) =>
        await Promise.all([s1, s2, s3].map((id) => editorText(p, `#cell-${id}`)));
      const typed = await texts(page);
      assert.deepEqual(typed, [
        "const fromScratch = factor * 21; fromScratch",
        "const note = 7;",
        "fromScratch + 1",
      ]);

      // A reload shows them all, in place, with their outputs.
      await page.reload({ waitUntil: "load" });
      await waitForPageReady(page);
      assert.deepEqual(await pageCells(page), expected);
      assert.deepEqual(await texts(page), typed);
      assert.match(await page.$eval(`#cell-${s1} .cell-output`, (e) => e.textContent), /42/);
      // Added and run at once (Shift+Enter): its run was kept too.
      assert.match(await page.$eval(`#cell-${s3} .cell-output`, (e) => e.textContent), /43/);
      await shot(page, "reloaded");

      // The lesson file and the grade are untouched; scratch runs are not lesson progress.
      const lessonFile = join(server.lessonsDir, FILE);
      assert.equal(await Deno.readTextFile(lessonFile), EXERCISE_LESSON);
      const after = await (await fetch(`${server.url}api/lessons`)).json() as {
        lessons: LessonLink[];
      };
      const [was, now] = [lessonBefore.lessons[0]!, after.lessons[0]!];
      assert.equal(now.cellCount, was.cellCount);
      assert.equal(now.pointsEarned, was.pointsEarned);
      assert.equal(now.pointsTotal, was.pointsTotal);
      assert.equal(now.cellsDone, 1, "only the setup cell, a lesson cell, counts as run");

      // Export, import into a fresh data folder, and find them again.
      const exported = await (await fetch(`${server.url}api/progress/export`)).text();
      const fresh = await startLessonServer({ [FILE]: EXERCISE_LESSON }, options);
      try {
        const imported = await fetch(`${fresh.url}api/progress/import`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: exported,
        });
        assert.equal(imported.status, 200, await imported.clone().text());
        assert.equal((await imported.json()).imported.scratch, 3);
        await page.goto(`${fresh.url}lessons/01-doubling`, { waitUntil: "load" });
        await waitForPageReady(page);
        assert.deepEqual(await pageCells(page), expected);
        assert.deepEqual(await texts(page), typed);
        await shot(page, "imported");
      } finally {
        await fresh.stop();
      }
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
