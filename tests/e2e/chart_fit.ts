/**
 * Checks that a lesson page's outputs fit: the document has no horizontal scroll, no chart,
 * table or SVG reaches out of its output column, and no text inside a chart's SVG is cut off by
 * the SVG's viewBox or by a clip path around it (`getBBox()` mapped into the viewBox).
 *
 * Run against a served lesson: `deno run --allow-all tests/e2e/chart_fit.ts URL [width...]`.
 *
 * @module
 */
import type { Page } from "puppeteer-core";

/** One thing that does not fit, in words. */
export type FitProblem = string;

/** What {@link checkFit} found on the page. */
export interface FitReport {
  problems: FitProblem[];
  charts: number;
  tables: number;
  texts: number;
}

/** Scrolls every deferred output into view, so the page draws all of them. */
export async function drawAllOutputs(page: Page): Promise<void> {
  for (let pass = 0; pass < 50; pass++) {
    const left = await page.evaluate(() => {
      const waiting = document.querySelector(".out-deferred");
      waiting?.scrollIntoView({ block: "center" });
      return waiting !== null;
    });
    if (!left) break;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
  }
  await page.evaluate(() => scrollTo(0, 0));
}

/** Measures the page as it is now (call {@link drawAllOutputs} first). */
export async function checkFit(page: Page): Promise<FitReport> {
  return await page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(`the document scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    const where = (element: Element) =>
      element.closest(".cell")?.id ?? element.closest("[id]")?.id ?? "page";
    const outputs = [...document.querySelectorAll(".outputs")];
    for (const column of outputs) {
      const box = column.getBoundingClientRect();
      for (const item of column.querySelectorAll(".out-chart, .out-table, .out-svg, svg")) {
        const r = item.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1) {
          problems.push(
            `${where(item)}: ${item.tagName.toLowerCase()}.${
              item.getAttribute("class")?.split(" ")[0]
            } spans ${Math.round(r.left)}..${Math.round(r.right)}, its column ${
              Math.round(box.left)
            }..${Math.round(box.right)}`,
          );
        }
      }
      for (const table of column.querySelectorAll(".out-table")) {
        if (table.scrollWidth > table.clientWidth + 1) {
          problems.push(`${where(table)}: a table scrolls sideways inside its column`);
        }
      }
    }
    let texts = 0;
    const charts = [...document.querySelectorAll<SVGSVGElement>(".outputs svg.gradbook-chart")];
    for (const svg of charts) {
      const view = svg.viewBox.baseVal;
      const toView = svg.getScreenCTM()?.inverse();
      if (toView === undefined || view === null) continue;
      for (const text of svg.querySelectorAll<SVGTextElement>("text")) {
        if (text.textContent === "" || text.closest("defs, title") !== null) continue;
        texts++;
        const box = text.getBBox();
        const m = toView.multiply(text.getScreenCTM()!);
        const corners = [[box.x, box.y], [box.x + box.width, box.y], [box.x, box.y + box.height], [
          box.x + box.width,
          box.y + box.height,
        ]].map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
        const xs = corners.map((p) => p.x);
        const ys = corners.map((p) => p.y);
        let limit = { x0: view.x, y0: view.y, x1: view.x + view.width, y1: view.y + view.height };
        let what = "the viewBox";
        const clipped = text.closest("[clip-path]");
        const id = clipped?.getAttribute("clip-path")?.match(/url\(#([^)]+)\)/)?.[1];
        const rect = id ? document.getElementById(id)?.querySelector("rect") : null;
        if (clipped && rect) {
          const c = toView.multiply((clipped as SVGGraphicsElement).getScreenCTM()!);
          const a = new DOMPoint(rect.x.baseVal.value, rect.y.baseVal.value).matrixTransform(c);
          const b = new DOMPoint(
            rect.x.baseVal.value + rect.width.baseVal.value,
            rect.y.baseVal.value + rect.height.baseVal.value,
          ).matrixTransform(c);
          limit = {
            x0: Math.max(limit.x0, a.x),
            y0: Math.max(limit.y0, a.y),
            x1: Math.min(limit.x1, b.x),
            y1: Math.min(limit.y1, b.y),
          };
          what = "its clip path";
        }
        const tolerance = 1;
        if (
          Math.min(...xs) < limit.x0 - tolerance || Math.max(...xs) > limit.x1 + tolerance ||
          Math.min(...ys) < limit.y0 - tolerance || Math.max(...ys) > limit.y1 + tolerance
        ) {
          problems.push(
            `${where(svg)}: "${text.textContent}" spans x ${Math.round(Math.min(...xs))}..${
              Math.round(Math.max(...xs))
            }, y ${Math.round(Math.min(...ys))}..${Math.round(Math.max(...ys))}, outside ${what} ` +
              `(${Math.round(limit.x0)}..${Math.round(limit.x1)}, ${Math.round(limit.y0)}..${
                Math.round(limit.y1)
              })`,
          );
        }
      }
    }
    return {
      problems,
      charts: charts.length,
      tables: document.querySelectorAll(".outputs .out-table, .outputs .out-html table").length,
      texts,
    };
  });
}

if (import.meta.main) {
  const { launchBrowser, openPage } = await import("../../tools/browser_harness.ts");
  const [url, ...widths] = Deno.args;
  const browser = await launchBrowser();
  try {
    for (const width of widths.length > 0 ? widths.map(Number) : [1024, 1600]) {
      const { page } = await openPage(browser, { width, height: 900 });
      await page.goto(url!, { waitUntil: "load" });
      await page.waitForFunction(() => "gradbookReady" in globalThis);
      await drawAllOutputs(page);
      const report = await checkFit(page);
      console.log(
        `${width} px: ${report.charts} charts, ${report.tables} tables, ${report.texts} SVG ` +
          `texts, ${report.problems.length} problems`,
      );
      for (const problem of report.problems) console.log(`  ${problem}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
