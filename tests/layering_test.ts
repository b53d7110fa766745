/**
 * Imports point down (STYLE.md): `runtime/` stands alone (but for the MIME constants it still reads
 * from `notebook/kernel/protocol.ts`), `runtime/charts/` too, and nothing outside `web/` (and the
 * tests) imports `web/`. A violation names the file and the import.
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

/** Repository path an import of `file` lands on, or null for packages and the import map. */
function targetPath(file: string, specifier: string): string | null {
  if (specifier === "gradbook" || specifier.startsWith("gradbook/")) return "runtime/";
  if (!specifier.startsWith(".")) return null;
  const resolved = new URL(specifier, new URL(file, ROOT)).pathname;
  return resolved.slice(ROOT.pathname.length);
}

async function violations(folder: string, allowed: (target: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for await (const file of sourceFiles(folder)) {
    const text = await Deno.readTextFile(new URL(file, ROOT));
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      const target = targetPath(file, specifier);
      if (target !== null && !target.startsWith(`${folder}/`) && !allowed(target)) {
        found.push(`${file} imports ${specifier}`);
      }
    }
  }
  return found;
}

Deno.test("runtime/ imports nothing outside runtime/ but the kernel protocol's MIME constants", async () => {
  assertEquals(
    await violations("runtime", (target) => target === "notebook/kernel/protocol.ts"),
    [],
  );
});

Deno.test("runtime/charts/ imports nothing outside runtime/charts/", async () => {
  assertEquals(await violations("runtime/charts", () => false), []);
});

Deno.test("nothing outside web/ imports web/", async () => {
  for (const folder of ["runtime", "notebook"]) {
    assertEquals(await violations(folder, (target) => !target.startsWith("web/")), []);
  }
});
