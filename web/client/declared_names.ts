/**
 * A cheap, syntax-free guess at which names a cell's code declares and which later cells
 * mention them: enough to decide which later cells the type checker should look at again after
 * an edit (a renamed or retyped variable breaks the cells that use it). False positives cost
 * one extra check; the type checker itself has the final word. It must never miss a name the
 * real analysis (`notebook/cell/cell_model.ts`) finds: `declared_names_test.ts` checks that with
 * a property test over generated cells.
 *
 * @module
 */

const DECLARATION =
  /\b(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g;
const IMPORT_LIST = /\bimport\s+(?:type\s+)?(?:[A-Za-z_$][\w$]*\s*,\s*)?\{([^}]*)\}/g;
const IMPORT_DEFAULT = /\bimport\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s*[,]?\s*(?:\{|from\b)/g;
const DESTRUCTURING = /\b(?:const|let|var)\s*([[{])/g;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** The text of the bracketed pattern that opens at `start` (nesting counted), without brackets. */
function bracketed(code: string, start: number): string {
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0) return code.slice(start + 1, i);
    }
  }
  return code.slice(start + 1);
}

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
  // Destructuring: every identifier of the pattern but renamed keys (`{ key: name }`); a default
  // value's names come along too, which only costs an extra check.
  for (const m of code.matchAll(DESTRUCTURING)) {
    const pattern = bracketed(code, m.index! + m[0].length - 1);
    for (const word of pattern.matchAll(IDENTIFIER)) {
      const after = pattern.slice(word.index! + word[0].length).trimStart();
      if (!after.startsWith(":")) names.add(word[0]);
    }
  }
  return names;
}

/** True when `code` mentions any of `names` as a whole word. */
export function mentionsAny(code: string, names: ReadonlySet<string>): boolean {
  for (const word of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (names.has(word[0])) return true;
  }
  return false;
}

/**
 * A quick guess at what a cell that was never analysed (a new scratch cell) declares and reads:
 * what {@link declaredNames} finds, and the `known` names (declared by cells above) it mentions
 * as whole words and does not declare itself. Enough to offer "Run the cells above first".
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { guessNames } from "./declared_names.ts";
 * deepStrictEqual(guessNames("const b = a * 2;", new Set(["a", "c"])), {
 *   declares: ["b"],
 *   reads: ["a"],
 * });
 * ```
 */
export function guessNames(
  code: string,
  known: ReadonlySet<string>,
): { declares: string[]; reads: string[] } {
  const declares = declaredNames(code);
  const reads = new Set<string>();
  for (const word of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (known.has(word[0]) && !declares.has(word[0])) reads.add(word[0]);
  }
  return { declares: [...declares], reads: [...reads] };
}
