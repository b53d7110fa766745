/**
 * Server-side rendering of rich cell outputs, so the browser bundle needs neither `marked` nor
 * KaTeX: a MIME bundle with `text/markdown` or `text/latex` (and no `text/html`) gets a
 * `text/html` rendering added before it is sent to the page.
 *
 * @module
 */
import { Marked } from "marked";
import katex from "katex";
import type { MimeBundle } from "../../runtime/vocabulary.ts";

const marked = new Marked({ gfm: true, async: false });

/** Renders TeX with KaTeX; a broken formula shows KaTeX's red error text instead of throwing. */
export function renderTex(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, output: "htmlAndMathml" });
}

/** Renders Markdown with `$inline$` and `$$display$$` math to HTML. */
export function renderMarkdown(markdown: string): string {
  const formulas: string[] = [];
  // Placeholders are plain letters and digits, which Markdown leaves alone.
  const stash = (html: string) => `GBMATH${formulas.push(html) - 1}Z`;
  const protectedText = markdown
    .replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => stash(renderTex(tex.trim(), true)))
    .replace(
      /(^|[^\\$])\$([^\s$](?:[^$\n]*[^\s$])?)\$/g,
      (_, before: string, tex: string) => before + stash(renderTex(tex, false)),
    );
  const html = marked.parse(protectedText) as string;
  return html.replace(/GBMATH(\d+)Z/g, (_, index: string) => formulas[Number(index)] ?? "");
}

/** Strips the `$$ … $$`, `$ … $` or `\[ … \]` that Jupyter-style LaTeX outputs often carry. */
function stripDelimiters(tex: string): string {
  const trimmed = tex.trim();
  for (const [open, close] of [["$$", "$$"], ["\\[", "\\]"], ["$", "$"]] as const) {
    if (trimmed.startsWith(open) && trimmed.endsWith(close) && trimmed.length > 2 * open.length) {
      return trimmed.slice(open.length, -close.length).trim();
    }
  }
  return trimmed;
}

/**
 * Returns `bundle` with a `text/html` rendering of its `text/markdown` or `text/latex` entry
 * added (when it has no HTML of its own); other bundles are returned unchanged.
 *
 * @example
 * ```ts
 * import { enrichBundle } from "./render_output.ts";
 * const out = enrichBundle({ "text/latex": "e^{i\\pi} = -1" });
 * console.log(String(out["text/html"]).includes("katex")); // true
 * ```
 */
export function enrichBundle(bundle: MimeBundle): MimeBundle {
  if (typeof bundle["text/html"] === "string") return bundle;
  const markdown = bundle["text/markdown"];
  if (typeof markdown === "string") {
    return { ...bundle, "text/html": `<div class="md">${renderMarkdown(markdown)}</div>` };
  }
  const latex = bundle["text/latex"];
  if (typeof latex === "string") {
    return { ...bundle, "text/html": renderTex(stripDelimiters(latex), true) };
  }
  return bundle;
}
