/**
 * Where the page-load benches open their pages: new tabs of one browser window, as a learner
 * opens a lesson in a browser already running.
 *
 * Not a browser context (a window) per load: for each new window, and again when a window's last
 * tab closes and a new one opens, Chromium starts its address bar's web UI in a renderer of its
 * own, about 1 s of CPU, which on a 2-core machine runs beside the page being measured. That is
 * the browser starting, not the page, so the window is kept open by a blank tab.
 *
 * @module
 */
import type { Browser, BrowserContext, Page } from "puppeteer-core";

/** A window kept open by a blank tab; `newTab` opens a tab in it. */
export interface LoadWindow {
  context: BrowserContext;
  /** A new tab; `cold` (the default) turns its HTTP cache off, so it fetches everything again. */
  newTab(options?: { cold?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/** Opens a window of `browser` for measuring page loads. */
export async function openLoadWindow(browser: Browser): Promise<LoadWindow> {
  const context = await browser.createBrowserContext();
  await context.newPage();
  return {
    context,
    async newTab({ cold = true } = {}) {
      const page = await context.newPage();
      await page.setCacheEnabled(!cold);
      return page;
    },
    close: () => context.close(),
  };
}

/**
 * The URLs `page` took from a cache (transfer size 0: the document and its resources). A cold
 * load measured must have none ({@link expectCold}).
 */
export async function cachedResources(page: Page): Promise<string[]> {
  return await page.evaluate(() =>
    [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
      .filter((entry) => (entry as PerformanceResourceTiming).transferSize === 0)
      .map((entry) => entry.name)
  );
}

/** Throws unless `page` loaded cold: nothing from a cache, or its timings measured a warm load. */
export async function expectCold(page: Page): Promise<void> {
  const cached = await cachedResources(page);
  if (cached.length > 0) throw new Error(`served from the cache: ${cached.join(", ")}`);
}
