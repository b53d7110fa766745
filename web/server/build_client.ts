/**
 * Bundles the browser client (`web/client/main.tsx`) with `deno bundle --platform=browser
 * --minify --code-splitting` into `build/client/<hash>/`, where the hash covers every source the
 * bundle may include; an existing bundle for the same hash is reused, so restarts are instant.
 * The folder holds the entry, `main.js`, and the chunks it imports: the cell editor's
 * (`web/client/lazy_editor.ts`), loaded after the page has painted, and any code the two share.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (two folders above this file). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Source folders and files whose contents decide the bundle (relative to the repo root): every
 * repository module the client imports (a test checks this against `deno info`).
 */
export const CLIENT_SOURCES: readonly string[] = [
  "web/client",
  "web/messages.ts",
  "runtime/vocabulary.ts",
  "runtime/charts",
  "runtime/display/widget_spec.ts",
  "runtime/display/format_cell.ts",
  "runtime/testing/types.ts",
  "notebook/kernel/protocol.ts",
  "notebook/kernel/cell_source_map.ts",
  "notebook/course/types.ts",
  "notebook/course/scratch_cells.ts",
  "notebook/editor/types.ts",
  "notebook/grader/gradebook.ts",
  "notebook/grader/progress_format.ts",
  "notebook/grader/progress_reader.ts",
  "notebook/grader/score.ts",
  "notebook/grader/types.ts",
];
const LOCKS = ["deno.json", "deno.lock"];

/** A built client. */
export interface ClientBuild {
  /** Hash of the sources (16 hex digits); part of the asset URL. */
  hash: string;
  /** Absolute path of the folder with the entry and its chunks. */
  dir: string;
  /** Absolute path of the entry (`main.js` in {@link dir}). */
  jsPath: string;
  /**
   * Every chunk in {@link dir} besides the entry (names carry esbuild's content hash, as
   * `editor-GJZNNX6J.js`).
   */
  chunks: string[];
  /** The chunks the entry imports statically: the page preloads them with the entry. */
  entryImports: string[];
  /** Whether this call ran the bundler (false: reused the cached build). */
  built: boolean;
  /** Milliseconds the call took. */
  ms: number;
}

async function* walk(path: string): AsyncGenerator<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return;
  }
  if (info.isFile) {
    yield path;
    return;
  }
  const entries: string[] = [];
  for await (const entry of Deno.readDir(path)) entries.push(entry.name);
  for (const name of entries.sort()) {
    if (name.endsWith("_test.ts") || name.endsWith("_test.tsx")) continue;
    yield* walk(join(path, name));
  }
}

/** Hashes the client's sources (names and contents). */
export async function hashClientSources(root = REPO_ROOT): Promise<string> {
  const hash = createHash("sha256");
  for (const source of [...CLIENT_SOURCES, ...LOCKS]) {
    for await (const file of walk(join(root, source))) {
      hash.update(relative(root, file));
      hash.update("\0");
      hash.update(await Deno.readFile(file));
      hash.update("\0");
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * Builds the client bundle unless a build for the same sources exists.
 * @param buildDir Folder for builds (default `build/client` in the repo).
 */
export async function buildClient(
  buildDir = join(REPO_ROOT, "build", "client"),
): Promise<ClientBuild> {
  const started = performance.now();
  const hash = await hashClientSources();
  const outDir = join(buildDir, hash);
  const done = async (built: boolean): Promise<ClientBuild> => ({
    hash,
    dir: outDir,
    ...await readBuild(outDir),
    built,
    ms: performance.now() - started,
  });
  try {
    await Deno.stat(join(outDir, ENTRY));
    return await done(false);
  } catch {
    // not built yet
  }
  await Deno.mkdir(buildDir, { recursive: true });
  // NOTE: unique per call, not just per process: two servers in one test process may build the
  // same hash at once, and a shared temp name let one rename away the other's bundle.
  const tmpDir = `${outDir}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=browser",
      "--minify",
      "--code-splitting",
      "--outdir",
      tmpDir,
      join(REPO_ROOT, "web", "client", "main.tsx"),
    ],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!output.success) {
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    const stderr = new TextDecoder().decode(output.stderr).trim();
    throw new Error(`Bundling the client failed (deno bundle exit ${output.code}):\n${stderr}`);
  }
  // Rename last, so a crashed build never leaves a half-written bundle in the cache. Where
  // another build of the same sources got there first, its folder (the same files) is kept.
  try {
    await Deno.rename(tmpDir, outDir);
  } catch (error) {
    await Deno.remove(tmpDir, { recursive: true });
    try {
      await Deno.stat(join(outDir, ENTRY));
    } catch {
      throw error;
    }
  }
  return await done(true);
}

/** Name of the entry in a build's folder (esbuild names it after `main.tsx`). */
const ENTRY = "main.js";

/** The entry, its chunks, and which of them the entry imports statically. */
async function readBuild(
  dir: string,
): Promise<{ jsPath: string; chunks: string[]; entryImports: string[] }> {
  const jsPath = join(dir, ENTRY);
  const chunks: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name !== ENTRY && entry.name.endsWith(".js")) chunks.push(entry.name);
  }
  return {
    jsPath,
    chunks: chunks.sort(),
    entryImports: staticImports(await Deno.readTextFile(jsPath)),
  };
}

/**
 * The sibling files a minified ES module imports statically (`from"./x.js"`, `import"./x.js"`),
 * not those it loads with `import("./x.js")`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const js = 'import{a as b}from"./chunk-AB12.js";import"./side-CD34.js";import("./editor-EF56.js")';
 * assert.deepEqual(staticImports(js), ["chunk-AB12.js", "side-CD34.js"]);
 * ```
 */
export function staticImports(js: string): string[] {
  const names = [...js.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([\w.-]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set(names)];
}
