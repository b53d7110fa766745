/**
 * End to end in headless Chromium: a lesson whose cells draw the course's hardest outputs to fit
 * (lesson 4's 900 px heatmaps and its short, wide gate traces, lesson 5's REINFORCE curve with
 * its "solved" marker at the last episode, a table of camelCase columns and mixed numbers, the
 * gradebook's bar chart of long exercise names) runs once; then the page is opened with its
 * saved outputs at 1024 and 1600 px: nothing overflows its column, the document has no
 * horizontal scroll, no SVG text is cut off by its viewBox or a clip path, heatmap rows are all
 * labelled and the table prints numbers by one rule.
 *
 * Against a served course with saved outputs, the same checks: `deno run --allow-all
 * tests/e2e/chart_fit.ts http://127.0.0.1:PORT/lessons/04-recurrent-networks`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  launchBrowser,
  openPage,
  OUTPUT_DIR,
  startLessonServer,
  waitForKernelIdle,
  waitForPageReady,
} from "../../tools/browser_harness.ts";
import { checkFit, drawAllOutputs } from "./chart_fit.ts";

const FENCE = "```";

const LESSON = `---
title: Charts that fit
summary: The outputs of lessons 4 and 5 that used to overflow or clip.
objectives: []
minutes: 2
order: 1
---

${FENCE}ts
import { display, plot, table } from "gradbook/display";
const sentence = "never mind how long precisely - having";
const chars = [...sentence].map((ch) => (ch === " " ? "␣" : ch));
const units = Array.from({ length: 12 }, (_, r) => \`unit \${r * 41 + 7}\`);
const wave = (r: number, c: number) => 0.5 + 0.5 * Math.sin(r * 1.3 + c * 0.7);
display(plot.heatmap(units.map((_, r) => chars.map((_, c) => wave(r, c))), {
  title: "Forget gate f_t while reading the sentence (top row: the word-boundary unit)",
  rowLabels: units, colLabels: chars, min: 0, max: 1, height: 300, width: 900,
}));
${FENCE}

${FENCE}ts
const steps = 101;
const gate = Array.from({ length: 8 }, (_, r) => Array.from({ length: steps }, (_, t) => wave(r, t)));
plot.heatmap(gate, {
  title: "Input gate i_t (sequence A)",
  rowLabels: gate.map((_, r) => \`unit \${r * 3}\`),
  colLabels: Array.from({ length: steps }, (_, t) => (t % 20 === 0 ? String(t) : "")),
  xLabel: "time step", height: 220, min: 0, max: 1,
})
${FENCE}

${FENCE}ts
const returns = Array.from({ length: 344 }, (_, i) => Math.min(500, 20 + i * 1.5 + 40 * Math.sin(i)));
const mean = returns.map((_, i) => {
  const window = returns.slice(Math.max(0, i - 99), i + 1);
  return window.reduce((a, b) => a + b, 0) / window.length;
});
plot.line({ "episode return": returns, "mean of last 100": mean }, {
  title: "REINFORCE on CartPole-v1 (seed 0)", xLabel: "episode",
  markers: [{ x: 343, label: "solved" }],
})
${FENCE}

${FENCE}ts
table([0, 1, 2, 3, 4].map((seed) => ({
  seed,
  dqnPredicted: 77.4 - seed * 0.5,
  dqnRealised: 82.2 + seed,
  dqnGap: -4.8 + seed * 0.25,
  doublePredicted: 74,
  doubleRealised: 476.6 + seed / 3,
  doubleGap: 4.7,
  doubleLast20: 305 + seed,
})))
${FENCE}

${FENCE}ts
const exercises = ["gen-inverted-dropout", "rnn-clip-by-norm", "rl-reinforce-loss", "opt-momentum-step",
  "st-affine-grid", "neuro-hopfield-recall", "tour-gradient", "rnn-perplexity", "rl-reward-shaping"];
plot.bar(exercises, exercises.map((_, i) => 10 * i + 5), {
  title: "Mean score per exercise (% of its points)", yLabel: "% of points", name: "mean %",
})
${FENCE}
`;

Deno.test({
  name: "Charts and tables fit their column at 1024 and 1600 px, with no label cut off",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const shots = join(OUTPUT_DIR, "charts");
    await Deno.mkdir(shots, { recursive: true });
    const server = await startLessonServer({ "01-charts.md": LESSON }, {
      prefix: "gradbook-chart-fit-",
      kernel: { cellTimeoutMs: 120_000 },
    });
    const browser = await launchBrowser();
    try {
      const url = `${server.url}lessons/01-charts`;
      await t.step("the lesson runs once and saves its outputs", async () => {
        const { page, pageErrors } = await openPage(browser, { width: 1280, height: 900 });
        await page.goto(url, { waitUntil: "load" });
        await waitForPageReady(page);
        await waitForKernelIdle(page);
        await page.evaluate(() => {
          const buttons = [...document.querySelectorAll<HTMLButtonElement>(".toolbar button")];
          buttons.find((b) => b.textContent?.trim() === "Run all")!.click();
        });
        await page.waitForFunction(
          () => document.querySelectorAll(".cell .status.ok").length === 5,
          { timeout: 120_000 },
        );
        assert.deepEqual(pageErrors, []);
        await page.close();
      });

      for (const width of [1024, 1600]) {
        await t.step(`at ${width} px the saved outputs fit and keep their labels`, async () => {
          const { page, pageErrors } = await openPage(browser, { width, height: 900 });
          await page.goto(url, { waitUntil: "load" });
          await waitForPageReady(page);
          await drawAllOutputs(page);
          const report = await checkFit(page);
          assert.deepEqual(report.problems, []);
          assert.equal(report.charts, 4);
          assert.equal(report.tables, 1);
          assert.ok(report.texts > 100, `${report.texts} SVG texts checked`);

          const rowLabels = await page.$$eval(
            "#cell-c1 .row-labels text",
            (e) => e.map((x) => x.textContent),
          );
          assert.equal(rowLabels.length, 12, "every row of the 12-row heatmap is labelled");
          assert.equal(await page.$$eval("#cell-c2 .row-labels text", (e) => e.length), 8);
          assert.equal(await page.$$eval(".label-note", (e) => e.length), 0);

          const cells = await page.$$eval("#cell-c4 .out-table td", (e) =>
            e.map((x) => ({
              text: x.textContent ?? "",
              padding: parseFloat(getComputedStyle(x).paddingLeft),
            })));
          assert.ok(cells.some((c) => c.text === "4.7") && cells.some((c) => c.text === "476.6"));
          assert.ok(cells.every((c) => !/\.\d*0$/.test(c.text)), "no trailing zeros");
          assert.ok(cells.every((c) => c.padding >= 4), "table cells are padded");

          for (const cell of ["c1", "c3", "c4", "c5"]) {
            const outputs = await page.$(`#cell-${cell} .outputs`);
            await outputs!.screenshot({ path: join(shots, `fit_${cell}_${width}.png`) });
          }
          assert.deepEqual(pageErrors, []);
          await page.close();
        });
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
