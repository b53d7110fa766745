/**
 * The static site: rendering of outputs, no remote URLs, and a real look in headless Chromium
 * from `file://` (math as KaTeX with its fonts, charts as SVG).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { parseLessonFile } from "../../notebook/course/parse_lesson.ts";
import { exportSite, renderBundle } from "../../notebook/export/export_html.ts";
import { HIDDEN_MARKERS, writeChartLesson } from "./fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";

Deno.test("renderBundle() shows SVG inline, tables as HTML, LaTeX through KaTeX and text escaped", () => {
  assertEquals(
    renderBundle({ "image/svg+xml": "<svg/>", "text/plain": "x" }),
    '<div class="out-svg"><svg/></div>',
  );
  assert(renderBundle({ "text/html": "<table></table>", "text/plain": "t" }).includes("<table>"));
  assert(
    renderBundle({ "text/latex": "$$x^2$$", "text/plain": "x^2" }).includes(
      'class="katex-display"',
    ),
  );
  assert(renderBundle({ "text/markdown": "**b**" }).includes("<strong>b</strong>"));
  assertEquals(
    renderBundle({ "text/plain": "\x1b[33m1\x1b[39m < 2" }),
    '<pre class="out-text">1 &lt; 2</pre>',
  );
  assert(
    renderBundle({
      "application/vnd.gradbook.chart+json": { kind: "line", series: [{ name: "y", y: [1, 2] }] },
    })
      .startsWith('<div class="out-svg"><svg'),
  );
});

Deno.test({
  name: "the static site opens from file:// in headless Chromium with math and charts, offline",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "gradbook-site-" });
    const chartLesson = await writeChartLesson();
    try {
      const lessons = [
        await parseLessonFile("lessons/00-tour.md"),
        await parseLessonFile(chartLesson),
      ];
      const site = await exportSite(lessons, out);
      assertEquals(site.failures, []);
      assertEquals(site.pages.map((p) => p.slice(out.length + 1)), [
        "index.html",
        "00-tour.html",
        "90-charts.html",
      ]);

      // Offline: every link and asset is a relative path to a file that exists.
      for (const path of site.pages) {
        const html = await Deno.readTextFile(path);
        for (const marker of HIDDEN_MARKERS) assert(!html.includes(marker), `${marker} leaked`);
        for (const [, url] of html.matchAll(/(?:href|src)="([^"#]*)"/g)) {
          if (url!.startsWith("data:") || url === "") continue;
          assert(!/^[a-z]+:|^\//.test(url!), `${path}: ${url} is not a relative link`);
          await Deno.stat(join(out, url!));
        }
      }
      const css = await Deno.readTextFile(join(out, "assets", "katex", "katex.min.css"));
      for (const [, font] of css.matchAll(/url\((fonts\/[^)]+\.woff2)\)/g)) {
        await Deno.stat(join(out, "assets", "katex", font!));
      }

      const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      try {
        const page = await browser.newPage();
        const failed: string[] = [];
        page.on("requestfailed", (request) => failed.push(request.url()));
        page.on("request", (request) => {
          if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) {
            failed.push(`remote request: ${request.url()}`);
          }
        });
        await page.goto(pathToFileURL(join(out, "index.html")).href, { waitUntil: "load" });
        const links = await page.$$eval("ol.lessons a", (a) => a.map((x) => x.textContent));
        assertEquals(links, ["Tour of gradbook", "Charts check"]);

        await Promise.all([
          page.waitForNavigation({ waitUntil: "load" }),
          page.click("ol.lessons a"),
        ]);
        assert(page.url().endsWith("/00-tour.html"), page.url());
        const tour = await page.evaluate(async () => {
          await document.fonts.ready;
          const svg = document.querySelector(".out-svg svg");
          return {
            katex: document.querySelectorAll(".katex").length,
            svgWidth: svg?.getBoundingClientRect().width ?? 0,
            svgLines: svg?.querySelectorAll("path, polyline, line").length ?? 0,
            katexFonts: [...document.fonts].filter((f) =>
              f.family.replace(/"/g, "").startsWith("KaTeX") && f.status === "loaded"
            ).length,
            outputs: [...document.querySelectorAll(".outputs")].map((o) =>
              o.textContent?.trim().replace(/\s+/g, " ")
            ),
          };
        });
        assert(tour.katex >= 5, `math rendered: ${tour.katex} .katex elements`);
        assert(tour.svgWidth > 100 && tour.svgLines > 0, `chart drawn: ${JSON.stringify(tour)}`);
        assert(tour.katexFonts > 0, "KaTeX fonts load from file://");
        assertEquals(tour.outputs.slice(0, 3), [
          "17",
          '"HELLO FROM A CELL"',
          "f = 14 [ 2, 4, 6 ]",
        ]);

        await page.goto(pathToFileURL(join(out, "90-charts.html")).href, { waitUntil: "load" });
        const charts = await page.evaluate(() => ({
          svg: document.querySelectorAll(".out-svg svg").length,
          table: document.querySelectorAll(".out-html table td").length,
          latex: document.querySelectorAll(".out-latex .katex-display").length,
          markdown: document.querySelector(".out-md strong")?.textContent,
        }));
        assertEquals(charts, { svg: 1, table: 4, latex: 1, markdown: "bold" });
        await page.screenshot({ path: join(out, "tour.png") });
        assertEquals(failed, []);
      } finally {
        await browser.close();
      }
    } finally {
      await Deno.remove(out, { recursive: true });
      await Deno.remove(join(chartLesson, ".."), { recursive: true });
    }
  },
});
