/**
 * End to end in headless Chromium: a learner fails an exercise, reads the feedback, unlocks a
 * hint, fixes the code and sees the full score, with the real server, notebook kernel and
 * grading kernels, on a temporary course of one exercise lesson.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { EXERCISE_LESSON, SOLUTION_MARKER, TESTS_MARKER } from "../../web/server/test_support.ts";
import {
  editorText,
  launchBrowser,
  openPage,
  OUTPUT_DIR,
  replaceEditorText,
  startLessonServer,
  waitForPageReady,
} from "../../tools/browser_harness.ts";

const WRONG = "function double(xs: number[]): number[] { return xs.map((x) => x + factor); }";
const RIGHT = "function double(xs: number[]): number[] { return xs.map((x) => x * factor); }";

async function replaceCode(page: Page, selector: string, code: string): Promise<void> {
  await replaceEditorText(page, selector, code);
  const text = await editorText(page, selector);
  assert.equal(text.trim(), code, "the editor holds exactly the typed code");
}

const textOf = (page: Page, selector: string) =>
  page.$eval(selector, (element) => element.textContent?.trim() ?? "");

Deno.test({
  name:
    "A learner fails an exercise, reads the feedback, unlocks a hint, fixes it and scores full marks",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await Deno.mkdir(OUTPUT_DIR, { recursive: true });
    const server = await startLessonServer({ "01-doubling.md": EXERCISE_LESSON }, {
      prefix: "gradbook-exercise-e2e-",
      kernel: { interruptGraceMs: 1000, cellTimeoutMs: 60_000 },
      grading: { cellTimeoutMs: 60_000 },
    });
    const browser = await launchBrowser();
    try {
      const { page, pageErrors } = await openPage(browser, { width: 1280, height: 900 });
      // Every page and API answer the browser receives, to search for hidden text.
      // (Read as they arrive: awaiting them all later can hang on a body Chromium dropped.)
      const bodies: string[] = [];
      page.on("response", (response) => {
        const type = response.headers()["content-type"] ?? "";
        if (/json|html/.test(type)) {
          void response.text().then((text) => bodies.push(text), () => {});
        }
      });
      const exercise = "#exercise-double-it";

      await t.step("the lesson shows the exercise with its prompt and a Check button", async () => {
        await page.goto(`${server.url}lessons/01-doubling`, { waitUntil: "load" });
        await waitForPageReady(page);
        assert.equal(await textOf(page, `${exercise} h3`), "Double every number");
        assert.equal(await textOf(page, `${exercise} .check-button`), "Check");
        assert.equal(await textOf(page, `${exercise} .exercise-points`), "3 points");
        assert.equal(
          await page.$eval(
            `${exercise} .solution-button`,
            (b) => (b as HTMLButtonElement).disabled,
          ),
          true,
        );
      });

      await t.step("a wrong answer gets per-check feedback and partial credit", async () => {
        await replaceCode(page, `${exercise} .cell`, WRONG);
        await page.click(`${exercise} .check-button`);
        await page.waitForSelector(`${exercise}.checking .check-button[aria-busy="true"]`);
        await page.waitForSelector(`${exercise} .exercise-result`, { timeout: 60_000 });
        assert.equal(await textOf(page, `${exercise} .result-title`), "1 of 3 checks passed");
        assert.equal(await textOf(page, `${exercise} .result-score`), "1/3 pts");
        const checks = await page.$$eval(
          `${exercise} .result-checks .check`,
          (items) =>
            items.map((item) => [item.className, item.querySelector(".check-name")?.textContent]),
        );
        assert.deepEqual(checks, [
          ["check failed", "double([1, 2]) is [2, 4]"],
          ["check passed", "double([2]) is [4]"],
          ["check failed", "double() keeps the sign of negative numbers"],
        ]);
        const feedback = await textOf(page, `${exercise} .check.failed .check-message`);
        assert.match(feedback, /multiply, do not add/);
        assert.equal(await textOf(page, `${exercise} .attempts`), "1 attempt");
        const element = await page.$(exercise);
        await element!.screenshot({ path: join(OUTPUT_DIR, "exercise_e2e_failed.png") });
      });

      await t.step("a hint unlocks on request, one at a time", async () => {
        assert.equal(await page.$$eval(`${exercise} .hint`, (e) => e.length), 0);
        await page.click(`${exercise} .hint-button`);
        await page.waitForSelector(`${exercise} .exercise-hints .hint`);
        assert.match(await textOf(page, `${exercise} .hint`), /Hint 1Use xs\.map/);
        assert.match(await textOf(page, `${exercise} .hint-button`), /next hint \(2 of 2\)/);
      });

      await t.step(
        "the fixed answer scores full marks, shown here and in the sidebar",
        async () => {
          await replaceCode(page, `${exercise} .cell`, RIGHT);
          await page.click(`${exercise} .check-button`);
          await page.waitForSelector(`${exercise} .exercise-result.full`, { timeout: 60_000 });
          assert.equal(await textOf(page, `${exercise} .result-title`), "All 3 checks passed");
          assert.equal(await textOf(page, `${exercise} .result-score`), "3/3 pts");
          assert.equal(await textOf(page, `${exercise} .exercise-points`), "Best 3/3 pts");
          assert.equal(await textOf(page, '.toc li[data-slug="01-doubling"] .points'), "3/3 pts");
          const element = await page.$(exercise);
          await element!.screenshot({ path: join(OUTPUT_DIR, "exercise_e2e_passed.png") });
        },
      );

      await t.step("no page or API answer carried the hidden tests or the solution", async () => {
        const texts = [
          ...bodies,
          await page.evaluate(() =>
            fetch("/api/lessons/01-doubling/state").then((response) => response.text())
          ),
        ];
        assert.ok(texts.length >= 4, `saw ${texts.length} answers`);
        for (const text of texts) {
          assert.ok(!text.includes(TESTS_MARKER), "an answer contains the hidden tests");
          assert.ok(!text.includes(SOLUTION_MARKER), "an answer contains the solution");
        }
      });

      await t.step(
        "after an attempt the solution can be revealed, and it stays on reload",
        async () => {
          await page.click(`${exercise} .solution-button`);
          // The page renders once per frame: wait for the confirmation before clicking it.
          await (await page.waitForSelector(`${exercise} .confirm-reveal`))!.click();
          await page.waitForSelector(`${exercise} .exercise-solution pre`);
          assert.match(await textOf(page, `${exercise} .exercise-solution pre`), /x \* factor/);
          await page.reload({ waitUntil: "load" });
          await waitForPageReady(page);
          await page.waitForSelector(`${exercise} .exercise-result.full`);
          assert.match(await textOf(page, `${exercise} .solution-head`), /noted in your progress/);
        },
      );

      await t.step("an exercise cell that ran and was edited says it changed", async () => {
        await page.click(".toolbar button[title^='Run every cell']");
        await page.waitForFunction(
          (sel: string) =>
            /\[\d+\]/.test(document.querySelector(`${sel} .prompt`)?.textContent ?? ""),
          { timeout: 30_000 },
          exercise,
        );
        await page.click(`${exercise} .cm-content`);
        await page.keyboard.type(" ");
        await page.waitForSelector(`${exercise} .freshness-badge.changed`);
      });

      await t.step("a screenshot of the exercise is saved in tests/output", async () => {
        await page.setViewport({ width: 1280, height: 1500 });
        await page.$eval(exercise, (e) => e.scrollIntoView({ block: "start" }));
        const path = join(OUTPUT_DIR, "exercise_e2e.png");
        await page.screenshot({ path });
        assert.ok((await Deno.stat(path)).size > 10_000);
      });

      await t.step(
        "the course index shows the lesson's points and the progress forms",
        async () => {
          await page.setViewport({ width: 1280, height: 1100 });
          await page.goto(server.url, { waitUntil: "load" });
          // The solution was revealed above: the stated rule caps the exercise at half its points.
          assert.equal(await textOf(page, ".lesson-card .points"), "1.5/3 pts");
          assert.match(await textOf(page, ".hero-progress"), /1\.5\/3 pts from exercises/);
          assert.ok(await page.$("#progress form[action='/progress/import'] input[type=file]"));
          await page.screenshot({ path: join(OUTPUT_DIR, "exercise_e2e_index.png") });
        },
      );

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
