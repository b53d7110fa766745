/**
 * Measures the browser client: the bundle's size (raw and gzipped: what the page runs before it
 * mounts, and with the cell editor's chunk) and the first load of a
 * lesson page in headless Chromium, from navigation start to the notebook being interactive
 * (the client sets `gradbookReady` after mounting), with the server already running: each load
 * a new tab of a running browser with its HTTP cache off (`load_window.ts`).
 *
 * Run: `deno run --allow-all --unstable-worker-options tools/bench/measure_load.ts [lesson-slug]`
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { startServer } from "../../web/server/app.ts";
import { buildClient, REPO_ROOT } from "../../web/server/build_client.ts";
import { IdleKernel } from "../../web/server/test_support.ts";
import { launchBrowser } from "../browser_harness.ts";
import { expectCold, openLoadWindow } from "./load_window.ts";

/** What {@link measureLoad} reports. */
export interface LoadMeasurement {
  /** The entry and the chunks it imports statically: what runs before the notebook mounts. */
  bundleBytes: number;
  bundleGzipBytes: number;
  /** Every file of the bundle, the cell editor's chunk included. */
  totalBytes: number;
  totalGzipBytes: number;
  /** Median over the runs of navigation start → interactive, in ms (a fresh browser cache). */
  firstLoadMs: number;
  runs: number[];
}

/** Builds the client, serves the course and loads `slug` `runs` times in new, cold tabs. */
export async function measureLoad(slug?: string, runs = 5): Promise<LoadMeasurement> {
  const build = await buildClient();
  const read = (chunks: string[]) =>
    Promise.all(
      [build.jsPath, ...chunks.map((n) => join(build.dir, n))].map((p) => Deno.readFile(p)),
    );
  const entry = await read(build.entryImports);
  const all = await read(build.chunks);
  const sizes = (files: Uint8Array[]) => [
    files.reduce((n, f) => n + f.byteLength, 0),
    files.reduce((n, f) => n + gzipSync(f, { level: 9 }).byteLength, 0),
  ];
  const [bundleBytes, bundleGzipBytes] = sizes(entry);
  const [totalBytes, totalGzipBytes] = sizes(all);
  const dataDir = await Deno.makeTempDir({ prefix: "gradbook-measure-" });
  const server = await startServer({
    lessonsDir: join(REPO_ROOT, "lessons"),
    dataDir,
    port: 0,
    // A kernel that never starts a process: page load does not depend on it.
    createKernel: () => new IdleKernel(),
  });
  const browser = await launchBrowser();
  try {
    const index = await (await fetch(server.url)).text();
    const target = slug ?? index.match(/href="\/lessons\/([^"]+)"/)?.[1];
    if (target === undefined) throw new Error("Cannot measure: the course has no lessons");
    const window = await openLoadWindow(browser);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await window.newTab();
      await page.goto(`${server.url}lessons/${target}`, { waitUntil: "load" });
      await page.waitForFunction(() => "gradbookReady" in globalThis);
      await expectCold(page);
      times.push(
        await page.evaluate(() => (globalThis as { gradbookReady?: number }).gradbookReady!),
      );
      await page.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      bundleBytes: bundleBytes!,
      bundleGzipBytes: bundleGzipBytes!,
      totalBytes: totalBytes!,
      totalGzipBytes: totalGzipBytes!,
      firstLoadMs: sorted[Math.floor(sorted.length / 2)]!,
      runs: times,
    };
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const result = await measureLoad(Deno.args[0]);
  console.log(
    `client before mounting: ${(result.bundleBytes / 1024).toFixed(0)} KiB, ` +
      `${(result.bundleGzipBytes / 1024).toFixed(0)} KiB gzipped (with the editor's chunk: ` +
      `${(result.totalGzipBytes / 1024).toFixed(0)} KiB gzipped); ` +
      `first load to interactive: ${result.firstLoadMs.toFixed(0)} ms (median of ` +
      `${result.runs.length}: ${result.runs.map((ms) => ms.toFixed(0)).join(", ")})`,
  );
}
