/**
 * Every JSDoc `@example` in `runtime/` asserts its result (`assert.equal(...)`,
 * `assertEquals(...)`, `assertAlmostEquals(...)`, ...), as Deno's std does, so that
 * `deno test --doc` checks the documented values instead of only running the code. An example
 * that prints or throws by hand, or states its result in a comment, is reported with its file and
 * line.
 *
 * @module
 */
import { assertEquals } from "../runtime/testing/assert.ts";

const ROOT = new URL("../", import.meta.url);

/**
 * Folders not checked yet, with the reason. Owned by another engineer while issue 21 is open:
 * empty this list when their branch is merged.
 */
export const NOT_CHECKED_YET: readonly string[] = [];

/** One ```ts block of an `@example`, at its 1-based line in the file. */
export interface DocExample {
  line: number;
  code: string;
}

/** The code blocks of every `@example` tag in the JSDoc comments of `source`. */
export function docExamples(source: string): DocExample[] {
  const examples: DocExample[] = [];
  for (const comment of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const start = comment.index!;
    const lines = comment[0].split("\n").map((line) => line.replace(/^\s*\*? ?/, ""));
    let inExample = false;
    let block: string[] | null = null;
    let blockLine = 0;
    lines.forEach((line, i) => {
      if (block !== null) {
        if (/^```\s*$/.test(line)) {
          examples.push({ line: blockLine, code: block.join("\n") });
          block = null;
        } else {
          block.push(line);
        }
      } else if (/^@\w+/.test(line)) {
        inExample = line.startsWith("@example");
      } else if (inExample && /^```(ts|tsx|typescript|js)?\b/.test(line)) {
        block = [];
        blockLine = source.slice(0, start).split("\n").length + i;
      }
    });
  }
  return examples;
}

/**
 * Whether `code` (comments removed) calls an assertion: a function named `assert...`, or one it
 * imports from an assertion module (`import { ok } from "node:assert/strict"`).
 */
export function asserts(code: string): boolean {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  const names = ["assert\\w*"];
  for (
    const [, bindings] of withoutComments.matchAll(/import\s+([^;]+?)\s+from\s+"[^"]*assert[^"]*"/g)
  ) {
    for (const name of bindings!.match(/[\w$]+/g) ?? []) {
      if (name !== "type" && name !== "as") names.push(name.replace(/\$/g, "\\$"));
    }
  }
  return new RegExp(`(^|[^\\w$.])(${names.join("|")})\\s*(\\.\\s*\\w+\\s*)?\\(`).test(
    withoutComments,
  );
}

async function* runtimeFiles(dir: string): AsyncGenerator<string> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(new URL(dir, ROOT))) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (NOT_CHECKED_YET.includes(path)) continue;
    if (entry.isDirectory) yield* runtimeFiles(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

Deno.test("every @example in runtime/ asserts its result", async () => {
  const missing: string[] = [];
  let total = 0;
  for await (const file of runtimeFiles("runtime")) {
    for (const example of docExamples(await Deno.readTextFile(new URL(file, ROOT)))) {
      total++;
      if (!asserts(example.code)) missing.push(`${file}:${example.line}`);
    }
  }
  assertEquals(missing, [], `${missing.length} of ${total} examples assert nothing`);
});

Deno.test("docExamples() and asserts() find an example that only prints or throws", () => {
  const source = [
    "/**",
    " * Adds.",
    " *",
    " * @example",
    " * ```ts",
    " * assertEquals(add(1, 2), 3);",
    " * ```",
    " */",
    "export const add = (a: number, b: number) => a + b;",
    "/**",
    " * @param x Not an example:",
    " * ```ts",
    " * x;",
    " * ```",
    " * @example Prints",
    " * ```ts",
    " * console.log(add(1, 2)); // assert(3)",
    ' * if (add(1, 2) !== 3) throw new Error("no");',
    " * ```",
    " * @example",
    " * ```ts",
    " * assert.deepEqual([add(1, 1)], [2]);",
    " * ```",
    " */",
  ].join("\n");
  const examples = docExamples(source);
  assertEquals(examples.map((e) => e.line), [5, 16, 21]);
  assertEquals(examples.map((e) => asserts(e.code)), [true, false, true]);
  assertEquals(asserts("assertAlmostEquals(x, 0.1, 1e-6);"), true);
  assertEquals(asserts("assert.throws(() => f(), RangeError);"), true);
  assertEquals(asserts('import { ok } from "node:assert/strict";\nok(f() < 1);'), true);
  assertEquals(asserts('import { ok } from "node:assert/strict";\nconsole.log(f());'), false);
  assertEquals(asserts("console.log(x.ok(1));"), false);
});
