/**
 * Runs one section of `deno task bench` in a process of its own (started by `main.ts`) and
 * prints its rows as one JSON line on stdout; progress and errors go to stderr. A section
 * measured after others in one process ran in their leftovers (a bigger heap, TensorFlow.js
 * loaded, the compiler's feedback of other shapes): the MLP step took 2.63 ms after the matmul
 * section against 2.05 ms alone.
 *
 * Usage: `deno run -A --unstable-worker-options tools/bench/section_child.ts NAME [--quick]`
 *
 * @module
 */
import { setThreads } from "gradbook";
import { benchOptions } from "./options.ts";
import { sections } from "./sections.ts";

const [name, ...rest] = Deno.args;
const section = sections.find((candidate) => candidate.name === name);
if (section === undefined) {
  console.error(`bench: no section named "${name}"`);
  Deno.exit(2);
}
const options = benchOptions(rest, sections.map((candidate) => candidate.name));
// NOTE: every section measures one thread; the `threads` section sets all cores itself.
setThreads(1);
const rows = await section.run(options);
console.log(JSON.stringify(rows));
// Kernels, browsers and pool threads the section left behind must not keep the run waiting.
Deno.exit(0);
