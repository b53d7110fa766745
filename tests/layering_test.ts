/**
 * Checks the rules in `tests/layering_rules.json` on every TypeScript file of the repository:
 * each import points down the layers (or stays in its own), and no two folders, at any depth,
 * import each other directly or round a longer loop. Imports are read with TypeScript's own
 * scanner (`ts.preProcessFile`), so code inside comments and strings does not count; `gradbook`
 * and the other local import-map keys resolve through `deno.json`.
 *
 * A folder's top-level files belong to it. Its `mod.ts` (the entry point that re-exports it) and
 * its tests (`*_test.ts`, `test_helpers.ts`, `testdata/`) are nodes of their own: they import the
 * folder and nothing in the folder imports them.
 *
 * @module
 */
import ts from "typescript";
import { assertEquals } from "../runtime/testing/assert.ts";

/** The shape of `tests/layering_rules.json`. */
interface Rules {
  layers: { name: string; folders: string[] }[];
  knownCycles: { from: string; to: string; comment: string }[];
}

/** One import, between repository paths. */
interface Import {
  from: string;
  to: string;
  specifier: string;
}

const ROOT = new URL("../", import.meta.url);
const RULES_FILE = "tests/layering_rules.json";
const SKIPPED_FOLDERS = new Set(["node_modules", "build"]);

async function* sourceFiles(dir = ""): AsyncGenerator<string> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(new URL(dir || ".", ROOT))) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory) {
      if (!entry.name.startsWith(".") && !SKIPPED_FOLDERS.has(entry.name)) yield* sourceFiles(path);
    } else if (/\.tsx?$/.test(entry.name)) {
      yield path;
    }
  }
}

/** `a/b/../c.ts` -> `a/c.ts`; null when it leaves the repository. */
function normalize(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.pop() === undefined) return null;
  }
  return parts.join("/");
}

/** The repository files `text` (the source of `file`) imports, statically or dynamically. */
function importsOf(file: string, text: string, importMap: Record<string, string>): Import[] {
  const found: Import[] = [];
  for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
    const mapped = importMap[specifier];
    const target = mapped !== undefined
      ? normalize(mapped)
      : specifier.startsWith(".")
      ? normalize(`${file.slice(0, file.lastIndexOf("/") + 1)}${specifier}`)
      : null;
    if (target !== null) found.push({ from: file, to: target, specifier });
  }
  return found;
}

async function repositoryImports(): Promise<{ files: string[]; imports: Import[] }> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))) as {
    imports: Record<string, string>;
  };
  const local = Object.fromEntries(
    Object.entries(config.imports).filter(([, target]) => target.startsWith("./")),
  );
  const files: string[] = [];
  const imports: Import[] = [];
  for await (const file of sourceFiles()) {
    files.push(file);
    imports.push(...importsOf(file, await Deno.readTextFile(new URL(file, ROOT)), local));
  }
  return { files, imports };
}

/** The node of the folder graph a file belongs to (see the module documentation). */
export function folderNode(file: string): string {
  const slash = file.lastIndexOf("/");
  const folder = slash < 0 ? "." : file.slice(0, slash);
  const name = file.slice(slash + 1);
  if (/(_test\.tsx?|^test_helpers\.ts)$/.test(name) || /(^|\/)testdata(\/|$)/.test(folder)) {
    return `${folder.replace(/\/testdata(\/.*)?$/, "")} (tests)`;
  }
  return name === "mod.ts" ? file : folder;
}

/** Folder-level edges, each with the imports that make it. */
function folderEdges(imports: Import[]): Map<string, Map<string, Import[]>> {
  const edges = new Map<string, Map<string, Import[]>>();
  for (const entry of imports) {
    const from = folderNode(entry.from);
    const to = folderNode(entry.to);
    if (from === to) continue;
    const targets = edges.get(from) ?? new Map<string, Import[]>();
    edges.set(from, targets);
    targets.set(to, [...targets.get(to) ?? [], entry]);
  }
  return edges;
}

/**
 * The folder cycles of a graph: its strongly connected components of more than one node
 * (Tarjan, 1972), each as a loop of nodes through its first node in sorted order.
 */
export function findCycles(edges: Map<string, Iterable<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => loopThrough(component, edges)).sort();
}

/** The shortest loop from `component[0]` back to itself, inside the component. */
function loopThrough(component: string[], edges: Map<string, Iterable<string>>): string[] {
  const start = component[0]!;
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const loop = [node];
        while (loop[0] !== start) loop.unshift(previous.get(loop[0]!)!);
        return [...loop, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component;
}

const rules = JSON.parse(await Deno.readTextFile(new URL(RULES_FILE, ROOT))) as Rules;
const { files, imports } = await repositoryImports();

function layerOf(path: string): number {
  const top = path.split("/")[0]!;
  return rules.layers.findIndex((layer) => layer.folders.includes(top));
}

Deno.test(`every TypeScript file lies in a layer of ${RULES_FILE}`, () => {
  assertEquals(files.filter((file) => layerOf(file) < 0), []);
});

Deno.test(`every import points down the layers of ${RULES_FILE}, or stays in its layer`, () => {
  const upward = imports
    .filter((entry) => layerOf(entry.to) > layerOf(entry.from))
    .map((entry) =>
      `${entry.from} (${rules.layers[layerOf(entry.from)]?.name}) imports ${entry.specifier} (${
        rules.layers[layerOf(entry.to)]?.name
      })`
    );
  assertEquals(upward, []);
});

Deno.test("no two folders import each other, at any depth, but the known cycles", () => {
  const edges = folderEdges(imports);
  const known = new Set(rules.knownCycles.map((cycle) => `${cycle.from} -> ${cycle.to}`));
  const graph = new Map(
    [...edges].map(([from, targets]) => [
      from,
      [...targets.keys()].filter((to) => !known.has(`${from} -> ${to}`)),
    ]),
  );
  const described = findCycles(graph).map((loop) =>
    loop.slice(1).map((to, i) => {
      const from = loop[i]!;
      const example = edges.get(from)!.get(to)!;
      return `${from} -> ${to} (${example[0]!.from} imports ${example[0]!.specifier}${
        example.length > 1 ? ` and ${example.length - 1} more` : ""
      })`;
    }).join("\n  ")
  );
  assertEquals(described, [], `folder cycles:\n  ${described.join("\n\n  ")}`);
});

Deno.test(`each known cycle in ${RULES_FILE} still exists (else remove it)`, () => {
  const edges = folderEdges(imports);
  const graph = new Map([...edges].map(([from, targets]) => [from, [...targets.keys()]]));
  const cycles = findCycles(graph);
  const stale = rules.knownCycles
    .filter(({ from, to }) =>
      !edges.get(from)?.has(to) ||
      !cycles.some((loop) => loop.includes(from) && loop.includes(to))
    )
    .map(({ from, to }) => `${from} -> ${to}`);
  assertEquals(stale, []);
});

Deno.test("findCycles() finds a two-folder cycle and a longer loop, and no cycle in a tree", () => {
  const graph = (pairs: [string, string][]) => {
    const edges = new Map<string, string[]>();
    for (const [from, to] of pairs) edges.set(from, [...edges.get(from) ?? [], to]);
    return edges;
  };
  assertEquals(findCycles(graph([["a", "b"], ["b", "a"], ["c", "a"]])), [["a", "b", "a"]]);
  assertEquals(
    findCycles(graph([["x/1", "x/2"], ["x/2", "x"], ["x", "x/1"], ["y", "x"]])),
    [["x", "x/1", "x/2", "x"]],
  );
  assertEquals(findCycles(graph([["web", "notebook"], ["notebook", "runtime"]])), []);
});

Deno.test("folderNode() puts a folder's files in it, and its mod.ts and tests beside it", () => {
  assertEquals(folderNode("runtime/tensor.ts"), "runtime");
  assertEquals(folderNode("runtime/ops/conv.ts"), "runtime/ops");
  assertEquals(folderNode("runtime/nn/mod.ts"), "runtime/nn/mod.ts");
  assertEquals(folderNode("runtime/ops/conv_test.ts"), "runtime/ops (tests)");
  assertEquals(folderNode("runtime/ops/test_helpers.ts"), "runtime/ops (tests)");
  assertEquals(
    folderNode("notebook/editor/testdata/scripted_worker.ts"),
    "notebook/editor (tests)",
  );
});
