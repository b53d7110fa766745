/**
 * Imports point down (STYLE.md): `runtime/` and `charts/` stand alone, and nothing outside `web/`
 * (and the tests) imports `web/`. A violation names the file and the import.
 */
import { assertEquals } from "./assert.ts";

const ROOT = new URL("../", import.meta.url);
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "testdata") yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !/(_test|_bench|test_helpers)\.tsx?$/.test(entry.name)) {
      yield path;
    }
  }
}

/** Top-level folder an import of `file` lands in, or null for packages and the import map. */
function targetFolder(file: string, specifier: string): string | null {
  if (specifier === "gradbook" || specifier.startsWith("gradbook/")) {
    return {
      "gradbook": "runtime",
      "gradbook/display": "display",
      "gradbook/datasets": "datasets",
    }[
      specifier
    ] ?? "grader";
  }
  if (!specifier.startsWith(".")) return null;
  const resolved = new URL(specifier, new URL(file, ROOT)).pathname;
  const relative = resolved.slice(ROOT.pathname.length);
  return relative.split("/")[0] ?? null;
}

async function violations(folder: string, allowed: (target: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for await (const file of sourceFiles(folder)) {
    const text = await Deno.readTextFile(new URL(file, ROOT));
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      const target = targetFolder(file, specifier);
      if (target !== null && target !== folder && !allowed(target)) {
        found.push(`${file} imports ${specifier}`);
      }
    }
  }
  return found;
}

Deno.test("runtime/ imports nothing outside runtime/", async () => {
  assertEquals(await violations("runtime", () => false), []);
});

Deno.test("charts/ imports nothing outside charts/", async () => {
  assertEquals(await violations("charts", () => false), []);
});

Deno.test("nothing outside web/ imports web/", async () => {
  for (const folder of ["runtime", "charts", "display", "kernel", "course", "grader", "datasets"]) {
    assertEquals(await violations(folder, (target) => target !== "web"), []);
  }
});
