/**
 * Measures the language service on the course: warm-up, then for every cell of every lesson an
 * edit followed by its diagnostics, and an edit followed by member completions (`Math.`).
 *
 * ```sh
 * deno run --allow-read --allow-env notebook/editor/measure_intelligence.ts [lessonsDir]
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { loadCourse } from "../course/parse_lesson.ts";
import { CellLanguageService, lessonProgramCells } from "./language_service.ts";
import { REPO_ROOT } from "./module_host.ts";

function stats(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${
    sorted.at(-1)!.toFixed(1)
  } ms`;
}

if (import.meta.main) {
  const service = new CellLanguageService();
  const { lessons } = await loadCourse(Deno.args[0] ?? join(REPO_ROOT, "lessons"));
  let start = performance.now();
  for (const lesson of lessons) {
    const cells = lessonProgramCells(lesson);
    service.setCells(lesson.slug, cells);
    if (cells[0] !== undefined) service.diagnostics(lesson.slug, cells[0].id);
  }
  console.log(
    `warm-up (every lesson loaded and one cell checked): ${
      (performance.now() - start).toFixed(0)
    } ms`,
  );
  const diagnostics: number[] = [];
  const completions: number[] = [];
  for (const lesson of lessons) {
    const cells = lessonProgramCells(lesson);
    for (let k = 0; k < cells.length; k++) {
      const edit = (suffix: string) =>
        cells.map((c, i) => (i === k ? { ...c, source: c.source + suffix } : c));
      const edited = edit("\n// edited");
      start = performance.now();
      service.setCells(lesson.slug, edited);
      service.diagnostics(lesson.slug, edited[k]!.id);
      diagnostics.push(performance.now() - start);
      const dotted = edit("\nMath.");
      start = performance.now();
      service.setCells(lesson.slug, dotted);
      service.completions(lesson.slug, dotted[k]!.id, dotted[k]!.source.length);
      completions.push(performance.now() - start);
    }
  }
  console.log(`${diagnostics.length} cells, edit + diagnostics: ${stats(diagnostics)}`);
  console.log(`${completions.length} cells, edit + completions: ${stats(completions)}`);
}
