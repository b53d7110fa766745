/**
 * A cheap, syntax-free guess at which names a cell's code declares and which later cells
 * mention them: enough to decide which later cells the type checker should look at again after
 * an edit (a renamed or retyped variable breaks the cells that use it). False positives cost
 * one extra check; the type checker itself has the final word.
 *
 * @module
 */

const DECLARATION =
  /\b(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g;
const IMPORT_LIST = /\bimport\s+(?:type\s+)?\{([^}]*)\}/g;
const IMPORT_DEFAULT = /\bimport\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from\b/g;

/**
 * Names that `code` declares at any depth: variables, functions, classes, types and imports.
 *
 * @example
 * ```ts
 * import { declaredNames } from "./declared_names.ts";
 * [...declaredNames("const a = 1; function f() {}\nimport { x as y } from 'm';")]; // ["a", "f", "y"]
 * ```
 */
export function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(DECLARATION)) names.add(m[1]!);
  for (const m of code.matchAll(IMPORT_LIST)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).at(-1)?.replace(/^type\s+/, "").trim();
      if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  for (const m of code.matchAll(IMPORT_DEFAULT)) names.add(m[1]!);
  return names;
}

/** True when `code` mentions any of `names` as a whole word. */
export function mentionsAny(code: string, names: ReadonlySet<string>): boolean {
  for (const word of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (names.has(word[0])) return true;
  }
  return false;
}
