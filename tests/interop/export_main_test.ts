import assert from "node:assert/strict";
import { assertEquals } from "../../runtime/testing/assert.ts";
import { parseExportArgs, selectLessons } from "../../notebook/export/export_main.ts";

Deno.test("parseExportArgs() reads the format, the lessons and --out, with per-format defaults", () => {
  assertEquals(parseExportArgs(["ipynb"]), {
    format: "ipynb",
    lessons: [],
    outDir: "build/export/ipynb",
    cellTimeoutSeconds: 300,
  });
  assertEquals(parseExportArgs(["html", "00-tour", "--out", "site"]), {
    format: "html",
    lessons: ["00-tour"],
    outDir: "site",
    cellTimeoutSeconds: 300,
  });
  assertEquals(parseExportArgs(["ipynb", "--out=nb", "lessons/00-tour.md"]).outDir, "nb");
  assert.throws(() => parseExportArgs(["pdf"]), TypeError, 'export: unknown format "pdf"');
  assert.throws(() => parseExportArgs(["html", "--out"]), /--out needs a folder/);
  assert.throws(() => parseExportArgs(["html", "--fast"]), /unknown option --fast/);
});

Deno.test("parseExportArgs() reads --timeout as the html run's per-cell limit in seconds", () => {
  assertEquals(parseExportArgs(["html", "--timeout", "600"]).cellTimeoutSeconds, 600);
  assertEquals(parseExportArgs(["html", "--timeout=45.5"]).cellTimeoutSeconds, 45.5);
  assert.throws(() => parseExportArgs(["html", "--timeout"]), /--timeout needs a positive number/);
  assert.throws(() => parseExportArgs(["html", "--timeout", "0"]), /--timeout needs a positive/);
  assert.throws(() => parseExportArgs(["html", "--timeout=soon"]), /got "soon"/);
});

Deno.test("selectLessons() accepts slugs and paths and keeps course order", async () => {
  const lessons = await selectLessons(["lessons/00-tour.md"]);
  assertEquals(lessons.map((l) => l.slug), ["00-tour"]);
  assertEquals((await selectLessons(["00-tour"]))[0]?.file, "lessons/00-tour.md");
});
