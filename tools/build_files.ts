/**
 * File helpers of the build scripts (`build_wasm.ts`, `build_kernel_typescript.ts`): when a file
 * was last modified, and a write that a reader never sees half done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modifiedMs, writeAtomically } from "./build_files.ts";
 * const path = `${await Deno.makeTempDir()}/out.txt`;
 * assert.equal(modifiedMs(path), null);
 * await writeAtomically(path, "built");
 * assert.equal(Deno.readTextFileSync(path), "built");
 * assert.ok(modifiedMs(path)! > 0);
 * ```
 *
 * @module
 */

/** When `path` was last modified (ms since the epoch), or null when it does not exist. */
export function modifiedMs(path: string | URL): number | null {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Writes `data` beside `path` first and renames it into place, so a process reading the file
 * (a parallel test, a kernel starting) sees the old contents or the new, never half of them.
 */
export async function writeAtomically(
  path: string | URL,
  data: string | Uint8Array,
): Promise<void> {
  const target = path instanceof URL ? path.pathname : path;
  const temporary = `${target}.${Deno.pid}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(temporary, data);
  else await Deno.writeFile(temporary, data);
  await Deno.rename(temporary, target);
}
