/**
 * `deno task export ipynb|html [lesson...] [--out dir] [--timeout seconds]`: exports the course as Jupyter notebooks
 * for Deno's kernel, or as a static offline site with the outputs of a full headless run.
 * Lessons are slugs (`00-tour`) or paths (`lessons/00-tour.md`); none means every lesson in
 * `lessons/`. Default output folders: `build/export/ipynb` and `build/export/html`. `--timeout`
 * is the per-cell time limit of the `html` export's headless run (default 300 s).
 *
 * @module
 */
import { basename, join } from "node:path";
import { loadCourse, parseLessonFile } from "../course/parse_lesson.ts";
import type { Lesson } from "../course/types.ts";
import { exportSite } from "./export_html.ts";
import { exportNotebooks } from "./export_ipynb.ts";

const USAGE = "usage: deno task export ipynb|html [lesson...] [--out dir] [--timeout seconds]";

/** Per-cell time limit of the html export's run when `--timeout` is not given. */
export const DEFAULT_CELL_TIMEOUT_SECONDS = 300;

/** Parsed command line of the export task. */
export interface ExportArgs {
  format: "ipynb" | "html";
  lessons: string[];
  outDir: string;
  /** Per-cell time limit in seconds for the html export's headless run. */
  cellTimeoutSeconds: number;
}

/**
 * Reads the command line.
 *
 * @throws {TypeError} with the usage line for an unknown format or a `--out` without a folder.
 */
export function parseExportArgs(args: string[]): ExportArgs {
  const [format, ...rest] = args;
  if (format !== "ipynb" && format !== "html") {
    throw new TypeError(`export: unknown format ${JSON.stringify(format ?? "")}; ${USAGE}`);
  }
  const lessons: string[] = [];
  let outDir = join("build", "export", format);
  let cellTimeoutSeconds = DEFAULT_CELL_TIMEOUT_SECONDS;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--timeout" || arg.startsWith("--timeout=")) {
      const value = arg === "--timeout" ? rest[++i] : arg.slice("--timeout=".length);
      const seconds = Number(value);
      if (value === undefined || value === "" || !(seconds > 0) || !Number.isFinite(seconds)) {
        throw new TypeError(
          `export: --timeout needs a positive number of seconds, got ${
            JSON.stringify(value ?? "")
          }; ${USAGE}`,
        );
      }
      cellTimeoutSeconds = seconds;
    } else if (arg === "--out" || arg.startsWith("--out=")) {
      const value = arg === "--out" ? rest[++i] : arg.slice("--out=".length);
      if (value === undefined || value === "") {
        throw new TypeError(`export: --out needs a folder; ${USAGE}`);
      }
      outDir = value;
    } else if (arg.startsWith("--")) {
      throw new TypeError(`export: unknown option ${arg}; ${USAGE}`);
    } else lessons.push(arg);
  }
  return { format, lessons, outDir, cellTimeoutSeconds };
}

/** Loads the named lessons (slugs or paths) in course order, or the whole course. */
export async function selectLessons(names: string[], dir = "lessons"): Promise<Lesson[]> {
  if (names.length === 0) {
    const { lessons, errors } = await loadCourse(dir);
    if (errors.length > 0) throw errors[0];
    return lessons;
  }
  const lessons: Lesson[] = [];
  for (const name of names) {
    const path = name.endsWith(".md") ? name : join(dir, `${basename(name)}.md`);
    lessons.push(await parseLessonFile(path));
  }
  return lessons.sort((a, b) => a.meta.order - b.meta.order || a.slug.localeCompare(b.slug));
}

async function main(args: string[]): Promise<number> {
  let parsed: ExportArgs;
  try {
    parsed = parseExportArgs(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const lessons = await selectLessons(parsed.lessons);
  if (parsed.format === "ipynb") {
    const { notebooks, runtimeFiles } = await exportNotebooks(lessons, parsed.outDir);
    for (const path of notebooks) console.log(`wrote ${path}`);
    console.log(
      `${notebooks.length} notebooks and ${runtimeFiles.length} runtime files in ${parsed.outDir}; ` +
        `run \`deno install\` there once, then open them with the Deno kernel`,
    );
    return 0;
  }
  const site = await exportSite(lessons, parsed.outDir, {
    kernel: { cellTimeoutMs: parsed.cellTimeoutSeconds * 1000 },
    log: (line) => console.log(line),
  });
  console.log(
    `${site.pages.length} pages in ${parsed.outDir}; open ${join(parsed.outDir, "index.html")}`,
  );
  for (const failure of site.failures) console.error(`run failed: ${failure}`);
  return site.failures.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
