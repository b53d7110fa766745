/**
 * `deno task bench [--quick]`: runs every section in `tools/bench/sections.ts` in one process, prints
 * one table (ours beside TensorFlow.js on its CPU backend, with the ratio ours/peer) and writes
 * `tools/bench/results.json`. A section that fails prints "n/a" and the rest still run.
 *
 * @module
 */
import { benchOptions } from "./options.ts";
import type { BenchRow } from "./section.ts";
import { sections } from "./sections.ts";
import { formatTable } from "./table.ts";

async function main(): Promise<void> {
  const options = benchOptions(Deno.args);
  const rows: BenchRow[] = [];
  for (const section of sections) {
    const start = performance.now();
    try {
      rows.push(...await section.run(options));
      console.error(
        `bench: ${section.name} done in ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`bench: section ${section.name} failed: ${message}`);
      rows.push({
        workload: `${section.name} (section failed, see stderr)`,
        unit: "",
        kind: "time",
        ours: null,
        peers: {},
        note: message,
      });
    }
  }
  console.log(formatTable(rows));
  const results = {
    date: new Date().toISOString(),
    quick: options.quick,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    samples: options.samples,
    rows,
  };
  const path = new URL("./results.json", import.meta.url);
  await Deno.writeTextFile(path, JSON.stringify(results, null, 2) + "\n");
  console.error(`bench: wrote ${path.pathname}`);
}

if (import.meta.main) await main();
