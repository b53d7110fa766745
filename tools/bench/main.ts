/**
 * `deno task bench [--quick] [--only a,b]`: runs every section in `tools/bench/sections.ts`, each
 * in a process of its own (`section_child.ts`), prints one table (ours beside TensorFlow.js on its CPU backend, with the ratio ours/peer)
 * and writes `tools/bench/results.json`. A section that fails prints "n/a" and the rest still run.
 * `--only` runs the named sections and writes `tools/bench/results.only.json` instead, so a partial
 * run (e.g. the targets on a quiet machine) never replaces the full table README is made from.
 *
 * @module
 */
import { benchOptions } from "./options.ts";
import type { BenchRow } from "./section.ts";
import { sections } from "./sections.ts";
import { formatTable } from "./table.ts";
import { evaluateTargets, formatTargets } from "./targets.ts";
import { addTorchColumn } from "./torch.ts";
import { cpuSnapshot, othersCpuShare } from "./cpu_share.ts";

/** The 1-, 5- and 15-minute load averages (null where `/proc/loadavg` is missing). */
function loadAverage(): number[] | null {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).map(Number);
  } catch {
    return null;
  }
}

/** The CPU model and core count, for the results file. */
function machine(): string {
  let model = "unknown CPU";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    model = info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? model;
  } catch {
    // not Linux: the model stays unknown
  }
  return `${model}, ${navigator.hardwareConcurrency} cores, ${Deno.build.os}`;
}

/**
 * Runs one section in a process of its own (`section_child.ts`), so no section is measured in
 * what an earlier one left behind, and returns its rows.
 */
async function runInChild(name: string, quick: boolean): Promise<BenchRow[]> {
  const child = new URL("./section_child.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--unstable-worker-options",
      child.pathname,
      name,
      ...(quick ? ["--quick"] : []),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  if (!output.success) throw new Error(`its process exited with code ${output.code}`);
  return JSON.parse(lines.at(-1)!) as BenchRow[];
}

async function main(): Promise<void> {
  const options = benchOptions(Deno.args, sections.map((section) => section.name));
  const rows: BenchRow[] = [];
  const loads: Record<string, number[] | null> = { start: loadAverage() };
  const cpuAtStart = cpuSnapshot();
  for (const section of sections) {
    if (options.only && !options.only.includes(section.name)) continue;
    const start = performance.now();
    try {
      rows.push(...await runInChild(section.name, options.quick));
      loads[section.name] = loadAverage();
      console.error(
        `bench: ${section.name} done in ${((performance.now() - start) / 1000).toFixed(1)} s ` +
          `(load average ${loads[section.name]?.join(" ") ?? "n/a"})`,
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
  const torch = await addTorchColumn(rows, options);
  loads.torch = loadAverage();
  const cpuAtEnd = cpuSnapshot();
  const othersShare = cpuAtStart === null || cpuAtEnd === null
    ? null
    : othersCpuShare(cpuAtStart, cpuAtEnd);
  const targets = evaluateTargets(rows);
  console.log(formatTable(rows));
  console.log(
    `\n${torch}\nload average (1, 5, 15 min) at start ${loads.start?.join(" ")}, ` +
      `at end ${loads.torch?.join(" ")}; other jobs used ${
        othersShare === null ? "n/a" : `${(100 * othersShare).toFixed(1)} %`
      } of the machine's CPU during the run\n\ntargets:\n${formatTargets(targets)}`,
  );
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    cores: navigator.hardwareConcurrency,
    quick: options.quick,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    samples: options.samples,
    torch,
    loadAverage: loads,
    othersCpuShare: othersShare,
    targets,
    rows,
  };
  const path = new URL(options.only ? "./results.only.json" : "./results.json", import.meta.url);
  await Deno.writeTextFile(path, JSON.stringify(results, null, 2) + "\n");
  console.error(`bench: wrote ${path.pathname}`);
}

if (import.meta.main) await main();
