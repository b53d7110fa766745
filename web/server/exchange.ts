/**
 * The exchange: a folder shared by a class (`--exchange DIR` or `$GRADBOOK_EXCHANGE`), where each
 * learner's "Submit" leaves their progress export as one file named after them, and where the
 * instructor runs `deno task grade DIR`. It mirrors nbgrader's exchange with one file per learner.
 *
 * A submission replaces the learner's earlier one atomically: it is written to a fresh temporary
 * file in the same folder and renamed over the old one, so the grader never reads half a file.
 * The name comes only from the authenticated user (the hub user in JupyterHub mode), escaped so
 * that no two users share a file and no name leaves the folder.
 *
 * @module
 */
import { join } from "node:path";

/**
 * A file name for a user: letters, digits and `-` are kept, every other byte of the name's UTF-8
 * becomes `_` and two hex digits (so `_` itself is escaped and distinct users get distinct
 * names); the result ends in `.json`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * import { submissionFileName } from "./exchange.ts";
 * assertEquals(submissionFileName("alice"), "alice.json");
 * assertEquals(submissionFileName("a.b@uni"), "a_2eb_40uni.json");
 * assertEquals(submissionFileName("../bob"), "_2e_2e_2fbob.json");
 * ```
 */
export function submissionFileName(user: string): string {
  if (user === "") throw new TypeError("submissionFileName: the user name is empty");
  let name = "";
  for (const byte of new TextEncoder().encode(user)) {
    const char = String.fromCharCode(byte);
    name += /[A-Za-z0-9-]/.test(char) ? char : `_${byte.toString(16).padStart(2, "0")}`;
  }
  return `${name}.json`;
}

/**
 * Writes `text` as `user`'s submission in `dir`, replacing their earlier one atomically.
 *
 * @returns The path written.
 */
export async function submitToExchange(dir: string, user: string, text: string): Promise<string> {
  const target = join(dir, submissionFileName(user));
  const suffix = crypto.getRandomValues(new Uint32Array(2)).join("");
  // Not ending in .json: a grader listing the folder never picks up a half-written file.
  const temporary = join(dir, `.${submissionFileName(user)}.${suffix}.tmp`);
  const file = await Deno.open(temporary, { write: true, createNew: true, mode: 0o644 });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.syncData();
  } catch (error) {
    file.close();
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  file.close();
  try {
    await Deno.rename(temporary, target);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  return target;
}
