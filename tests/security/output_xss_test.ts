/**
 * Stored XSS from cell outputs (issue #27, finding 2): an `onerror`/`ontoggle`/`javascript:`
 * payload in every output kind a cell can produce must run no script in the notebook page — when
 * the cell runs, after a reload from the saved outputs — nor in the static HTML export, and every
 * page carries a strict Content-Security-Policy.
 *
 * Each payload calls `alert("xss:<kind>")`; the test listens for dialogs in headless Chromium.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import {
  launchBrowser,
  openPage,
  startLessonServer,
  waitForPageReady,
} from "../../tools/browser_harness.ts";
import { renderBundle } from "../../notebook/export/export_html.ts";
import { enrichBundle } from "../../web/server/render_output.ts";
import type { MimeBundle } from "../../runtime/vocabulary.ts";

const onerror = (kind: string) => `<img src="x:" onerror="alert('xss:${kind}')">`;
const svg = (kind: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="x:" ` +
  `onerror="alert('xss:${kind}')"/><script>alert('xss:${kind}-script')</script></svg>`;

/** Bundles a cell can display, one per output kind the page renders as markup. */
const PAYLOADS: Record<string, MimeBundle> = {
  html: { "text/html": onerror("html") },
  details: {
    "text/html": `<details open ontoggle="alert('xss:details')"><summary>s</summary></details>`,
  },
  jslink: { "text/html": `<a class="xss-link" href="javascript:alert('xss:jslink')">link</a>` },
  markdown: {
    "text/markdown": `Some text ${
      onerror("markdown")
    } and [a link](javascript:alert('xss:mdlink'))`,
  },
  svg: { "image/svg+xml": svg("svg") },
  chart: { "application/vnd.gradbook.chart+json": {}, "image/svg+xml": svg("chart") },
  latex: { "text/latex": String.raw`\href{javascript:alert('xss:latex')}{x}` },
  iframe: { "text/html": `<iframe srcdoc="<script>parent.alert('xss:iframe')</script>"></iframe>` },
};

const cells = Object.entries(PAYLOADS).map(([kind, bundle]) =>
  "```ts\n" +
  `import { display } from "gradbook/display";\n` +
  `display({ [Symbol.for("Jupyter.display")]: () => (${JSON.stringify(bundle)}) });\n` +
  `"${kind}"\n` +
  "```\n"
).join("\n");

const LESSON = `---
title: Hostile outputs
summary: Every output kind with a script payload.
objectives: []
minutes: 1
order: 1
---

# Hostile outputs

${cells}`;

function collectDialogs(page: Page, dialogs: string[]): void {
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
}

async function clickLinks(page: Page): Promise<void> {
  for (const link of await page.$$(".outputs a")) {
    await link.click().catch(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
}

Deno.test("no output kind runs script in the notebook page, live or after reload", async () => {
  const server = await startLessonServer({ "01-hostile.md": LESSON }, {
    prefix: "gradbook-xss-",
    kernel: { cellTimeoutMs: 60_000 },
  });
  const browser = await launchBrowser();
  try {
    const { page, pageErrors } = await openPage(browser);
    const dialogs: string[] = [];
    collectDialogs(page, dialogs);
    const response = await page.goto(`${server.url}lessons/01-hostile`);
    const csp = response?.headers()["content-security-policy"] ?? "";
    await waitForPageReady(page);
    await page.waitForSelector(".kernel-status.kernel-idle", { timeout: 90_000 });
    const ids = await page.$$eval(".cell[id^='cell-']", (els) => els.map((e) => e.id));
    for (const id of ids) {
      await page.click(`#${id} .run-button`);
      await page.waitForSelector(`#${id} .status.ok`, { timeout: 90_000 });
    }
    await page.waitForSelector(".out-svg, .out-html", { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await clickLinks(page);
    assert.deepEqual(dialogs, [], "live outputs ran script");
    // The outputs are saved: a reload renders them again from the store.
    await page.reload();
    await waitForPageReady(page);
    await page.waitForSelector(".out-svg, .out-html", { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await clickLinks(page);
    assert.deepEqual(dialogs, [], "saved outputs ran script after reload");
    // Harmless markup survives sanitising.
    const text = await page.$$eval(".outputs", (els) => els.map((e) => e.textContent).join(" "));
    assert.ok(text.includes("Some text"), text);
    assert.deepEqual(pageErrors, []);
    assert.match(csp, /script-src 'self'/, `lesson page CSP: "${csp}"`);
    assert.ok(!/script-src[^;]*unsafe-(inline|eval)/.test(csp), csp);
    // Every page has the policy, not only lesson pages.
    for (const path of ["", "lessons/01-hostile", "no-such-page"]) {
      const res = await fetch(`${server.url}${path}`);
      await res.body?.cancel();
      assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/, path);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
});

Deno.test("no output kind runs script in the static HTML export", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-xss-export-" });
  const browser = await launchBrowser();
  try {
    const outputs = Object.values(PAYLOADS).map((b) => renderBundle(enrichBundle(b))).join("\n");
    // The export's own page shell, so its policy is what the test sees.
    const { exportPage } = await import("../../notebook/export/export_html.ts");
    await Deno.writeTextFile(join(dir, "index.html"), exportPage("Hostile", outputs));
    const { page } = await openPage(browser);
    const dialogs: string[] = [];
    collectDialogs(page, dialogs);
    await page.goto(`file://${join(dir, "index.html")}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await clickLinks(page);
    assert.deepEqual(dialogs, [], "the static export ran script");
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
});
