import assert from "node:assert/strict";
import { assertEquals } from "../../runtime/testing/assert.ts";
import { parseExportArgs, selectLessons } from "../../notebook/export/export_main.ts";

Deno.test("parseExportArgs() reads the format, the lessons and --out, with per-format defaults", () => {
  assertEquals(parseExportArgs(["ipynb"]), {
    format: "ipynb",
    lessons: [],
    outDir: "build/export/ipynb",
  });
  assertEquals(parseExportArgs(["html", "00-tour", "--out", "site"]), {
    format: "html",
    lessons: ["00-tour"],
    outDir: "site",
  });
  assertEquals(parseExportArgs(["ipynb", "--out=nb", "lessons/00-tour.md"]).outDir, "nb");
  assert.throws(() => parseExportArgs(["pdf"]), TypeError, 'export: unknown format "pdf"');
  assert.throws(() => parseExportArgs(["html", "--out"]), /--out needs a folder/);
  assert.throws(() => parseExportArgs(["html", "--fast"]), /unknown option --fast/);
});

Deno.test("selectLessons() accepts slugs and paths and keeps course order", async () => {
  const lessons = await selectLessons(["lessons/00-tour.md"]);
  assertEquals(lessons.map((l) => l.slug), ["00-tour"]);
  assertEquals((await selectLessons(["00-tour"]))[0]?.file, "lessons/00-tour.md");
});
