/**
 * Exports the course as a static, offline site for reading without a kernel: `index.html`, one
 * `<slug>.html` per lesson with the outputs of a full headless run (charts as inline SVG, math
 * rendered by KaTeX with its CSS and fonts copied beside the pages), and nothing loaded from a
 * server or CDN, so the folder opens from `file://`. Exercises show the prompt, starter code,
 * visible checks and hints; hidden tests and solutions are left out.
 *
 * @module
 */
import { join } from "node:path";
import katex from "katex";
import { renderMarkdown } from "../course/parse_lesson.ts";
import type { CodeCell, Exercise, Lesson } from "../course/types.ts";
import { renderChartSvg } from "../../runtime/charts/render_svg.ts";
import type { ChartSpec } from "../../runtime/charts/spec.ts";
import { CHART_MIME, type MimeBundle } from "../kernel/protocol.ts";
import type { KernelOptions } from "../kernel/kernel_process.ts";
import { REPO_ROOT } from "./export_runtime.ts";
import { type CellOutput, type LessonOutputs, runLessonOutputs } from "./run_outputs.ts";
import { SITE_CSS } from "./site_css.ts";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

const text = (value: unknown) => (Array.isArray(value) ? value.join("") : String(value ?? ""));
const pre = (body: string, className: string) =>
  `<pre class="${className}">${escapeHtml(body.replace(ANSI, ""))}</pre>`;

/**
 * Renders one MIME bundle as static HTML, choosing the richest type a page can show without
 * scripts: SVG, PNG, HTML, LaTeX (KaTeX), Markdown, then plain text.
 *
 * @example
 * ```ts
 * import { renderBundle } from "./export_html.ts";
 * renderBundle({ "text/plain": "a < b" }); // '<pre class="out-text">a &lt; b</pre>'
 * ```
 */
export function renderBundle(data: MimeBundle): string {
  if (typeof data["image/svg+xml"] === "string" || Array.isArray(data["image/svg+xml"])) {
    return `<div class="out-svg">${text(data["image/svg+xml"])}</div>`;
  }
  if (data[CHART_MIME] !== undefined) {
    return `<div class="out-svg">${renderChartSvg(data[CHART_MIME] as ChartSpec)}</div>`;
  }
  if (data["image/png"] !== undefined) {
    return `<img class="out-img" alt="" src="data:image/png;base64,${
      escapeHtml(text(data["image/png"]).replace(/\s/g, ""))
    }">`;
  }
  if (data["text/html"] !== undefined) {
    return `<div class="out-html">${text(data["text/html"])}</div>`;
  }
  if (data["text/latex"] !== undefined) {
    const latex = text(data["text/latex"]).trim().replace(/^\$\$([\s\S]*)\$\$$/, "$1")
      .replace(/^\$([\s\S]*)\$$/, "$1");
    return `<div class="out-latex">${
      katex.renderToString(latex, { displayMode: true, throwOnError: false })
    }</div>`;
  }
  if (data["text/markdown"] !== undefined) {
    try {
      return `<div class="out-md">${
        renderMarkdown(text(data["text/markdown"]), "output", 1)
      }</div>`;
    } catch {
      return pre(text(data["text/markdown"]), "out-text");
    }
  }
  return pre(text(data["text/plain"]), "out-text");
}

function renderOutput(output: CellOutput): string {
  switch (output.kind) {
    case "stream":
      return pre(output.text, `out-stream out-${output.name}`);
    case "display":
    case "result":
      return renderBundle(output.data);
    case "error":
      return pre(output.stack || `${output.name}: ${output.message}`, "out-error");
  }
}

function codeBlock(source: string): string {
  return `<pre class="code"><code class="language-ts">${escapeHtml(source)}</code></pre>`;
}

function renderCell(cell: CodeCell, run: LessonOutputs | undefined): string {
  const label = cell.runnable ? (cell.hidden ? "setup cell" : "cell") : "not run";
  const record = run?.cells.get(cell.id);
  let outputs = "";
  if (record !== undefined) {
    outputs = record.outputs.map(renderOutput).join("\n");
    if (record.status !== "ok" && !record.outputs.some((o) => o.kind === "error")) {
      outputs += pre(`${record.status}${record.message ? `: ${record.message}` : ""}`, "out-error");
    }
  } else if (cell.runnable && run !== undefined) {
    outputs = `<p class="out-skipped">Not run: an earlier cell failed.</p>`;
  }
  const code = cell.hidden
    ? `<details class="hidden-cell"><summary>Setup code</summary>${
      codeBlock(cell.source)
    }</details>`
    : codeBlock(cell.source);
  return `<section class="cell" id="${escapeHtml(cell.id)}" data-label="${label}">${code}${
    outputs ? `<div class="outputs">${outputs}</div>` : ""
  }</section>`;
}

function renderExercise(exercise: Exercise): string {
  const hints = exercise.hintsHtml.map((hint, i) =>
    `<details class="hint"><summary>Hint ${i + 1}</summary>${hint}</details>`
  ).join("\n");
  return `<section class="exercise" id="exercise-${escapeHtml(exercise.id)}">
<p class="part-label">Exercise: ${escapeHtml(exercise.title)} · ${exercise.points} ${
    exercise.points === 1 ? "point" : "points"
  }</p>
<div class="prompt">${exercise.promptHtml}</div>
<p class="part-label">Starter code</p>
${codeBlock(exercise.starter)}
${
    exercise.visibleChecks
      ? `<p class="part-label">Checks</p>\n${codeBlock(exercise.visibleChecks)}`
      : ""
  }
${hints}
<p class="exercise-note">Solve it in the notebook (<code>deno task serve</code>) or in Jupyter.</p>
</section>`;
}

/**
 * The static site runs no script at all: its policy forbids every script (cell outputs are
 * untrusted markup: an `onerror` or a `javascript:` link in one stays inert), plugins, `<base>`
 * and forms, and lets styles, fonts and images load from the site's files.
 */
const STATIC_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-src 'none'";

/** The static site's page shell around `body`. */
export function exportPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${STATIC_CSP}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/site.css">
</head>
<body>
${body}
</body>
</html>
`;
}

/** Renders one lesson page; `run` holds the outputs (absent: code only). */
export function renderLessonPage(
  lesson: Lesson,
  run: LessonOutputs | undefined,
  nav: { previous?: Lesson; next?: Lesson } = {},
): string {
  const blocks = lesson.blocks.map((block) => {
    if (block.kind === "markdown") return `<div class="prose">${block.html}</div>`;
    if (block.kind === "code") return renderCell(block, run);
    return renderExercise(block);
  }).join("\n");
  const link = (l: Lesson | undefined, rel: string) =>
    l ? `<a rel="${rel}" href="${escapeHtml(l.slug)}.html">${escapeHtml(l.meta.title)}</a>` : "";
  const failure = run?.failure
    ? `<p class="run-failure">This page's run stopped at ${escapeHtml(run.failure)}</p>`
    : "";
  return exportPage(
    lesson.meta.title,
    `<nav class="top"><a href="index.html">Course</a></nav>
<main class="lesson">
<p class="meta">${escapeHtml(lesson.meta.summary)} · ${lesson.meta.minutes} min</p>
${failure}
${blocks}
<nav class="pager">${link(nav.previous, "prev")}${link(nav.next, "next")}</nav>
</main>`,
  );
}

/** Renders the course index page. */
export function renderIndexPage(lessons: readonly Lesson[]): string {
  const items = lessons.map((l) =>
    `<li><a href="${escapeHtml(l.slug)}.html">${escapeHtml(l.meta.title)}</a>
<span class="minutes">${l.meta.minutes} min</span><p>${escapeHtml(l.meta.summary)}</p></li>`
  ).join("\n");
  return exportPage(
    "gradbook course",
    `<main class="index"><h1>gradbook course</h1>
<p>A static copy of the course with the outputs of one full run. To run and edit the cells, use
<code>deno task serve</code>, or the Jupyter notebooks from <code>deno task export ipynb</code>.</p>
<ol class="lessons">${items}</ol></main>`,
  );
}

/** Copies KaTeX's CSS and fonts from the local `katex` package into `assets/katex/`. */
async function copyKatex(outDir: string): Promise<void> {
  const dist = join(REPO_ROOT, "node_modules", "katex", "dist");
  const target = join(outDir, "assets", "katex");
  await Deno.mkdir(join(target, "fonts"), { recursive: true });
  await Deno.copyFile(join(dist, "katex.min.css"), join(target, "katex.min.css"));
  for await (const entry of Deno.readDir(join(dist, "fonts"))) {
    if (entry.isFile) {
      await Deno.copyFile(join(dist, "fonts", entry.name), join(target, "fonts", entry.name));
    }
  }
}

/** Options of {@link exportSite}. */
export interface SiteOptions {
  /** Limits of the kernel each lesson runs in. */
  kernel?: KernelOptions;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** What {@link exportSite} wrote, and which lessons failed to run. */
export interface SiteExport {
  pages: string[];
  /** `file:line: error` of each lesson whose run stopped early (its page shows what ran). */
  failures: string[];
}

/**
 * Runs every lesson headless and writes the static site into `outDir`.
 *
 * @example
 * ```ts ignore
 * const { lessons } = await loadCourse("lessons");
 * const site = await exportSite(lessons, "build/export/html");
 * if (site.failures.length > 0) console.error(site.failures.join("\n"));
 * ```
 */
export async function exportSite(
  lessons: readonly Lesson[],
  outDir: string,
  options: SiteOptions = {},
): Promise<SiteExport> {
  await Deno.mkdir(join(outDir, "assets"), { recursive: true });
  await copyKatex(outDir);
  await Deno.writeTextFile(join(outDir, "assets", "site.css"), SITE_CSS);
  const pages: string[] = [];
  const failures: string[] = [];
  for (const [i, lesson] of lessons.entries()) {
    options.log?.(`${lesson.file}: running`);
    const run = await runLessonOutputs(lesson, { kernel: options.kernel, log: options.log });
    if (run.failure) failures.push(run.failure);
    const path = join(outDir, `${lesson.slug}.html`);
    await Deno.writeTextFile(
      path,
      renderLessonPage(lesson, run, { previous: lessons[i - 1], next: lessons[i + 1] }),
    );
    pages.push(path);
  }
  const index = join(outDir, "index.html");
  await Deno.writeTextFile(index, renderIndexPage(lessons));
  return { pages: [index, ...pages], failures };
}
