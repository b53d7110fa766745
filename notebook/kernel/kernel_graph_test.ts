/**
 * What a kernel process loads before its first line runs: `deno run` builds the graph of the
 * entry's static imports and of its dynamic imports whose specifier is a string literal, then
 * evaluates the static ones. The runtime belongs to the cell worker (its own thread) and
 * TypeScript (8.7 MB) is imported once the kernel runs, beside the worker's start; a path to
 * either from here delays every kernel start (TypeScript's graph alone took ~140 ms).
 */
import assert from "node:assert/strict";

/**
 * The modules `deno run` loads for `entry` before running it: its imports, static or dynamic
 * with a literal specifier (type-only imports left out).
 */
async function staticGraph(entry: string): Promise<string[]> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config=deno.json", entry],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string } }[];
    }[];
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.code !== undefined) stack.push(dependency.code.specifier);
    }
  }
  return [...seen];
}

Deno.test("a kernel process loads neither the runtime nor TypeScript before its first line", async () => {
  const graph = await staticGraph("notebook/kernel/kernel_main.ts");
  const heavy = graph.filter((s) =>
    s.endsWith("/runtime/mod.ts") || /typescript/.test(s) || s.includes("/runtime/nn/")
  );
  assert.deepEqual(heavy, [], "loaded before the worker and TypeScript can start");
  assert.ok(graph.length <= 16, `${graph.length} modules: ${graph.join(", ")}`);
});
