/**
 * Renders lesson Markdown (prose, exercise prompts, hints) to HTML on the server: `marked` for
 * the Markdown, KaTeX for `$...$` and `$$...$$` math.
 *
 * The dollar rule (the one pandoc uses), documented for authors in `lessons/README.md`:
 * - `$...$` is inline math when the opening `$` is followed by a non-space character and the
 *   next unescaped `$` is preceded by a non-space character and not followed by a digit; the
 *   formula may not contain a backtick or a blank line. So "costs $5 and $10" stays text.
 * - `$$...$$` is display math, on its own lines or inside a paragraph.
 * - `\$` is always a literal dollar; dollars inside code spans and fences are never math.
 *
 * @module
 */

import { Marked, Tokenizer, type TokenizerAndRendererExtension, type Tokens } from "marked";
import katex from "katex";
import { LessonError } from "./types.ts";

/** A math token: the formula already rendered by KaTeX. */
interface MathToken extends Tokens.Generic {
  type: "math" | "mathBlock";
  raw: string;
  html: string;
}

/** A formula KaTeX refused, with the raw source so its line can be found. */
interface MathFailure {
  raw: string;
  message: string;
}

/** Index of the first `$` in `src` at or after `from` that is not escaped by a backslash. */
function findDollar(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "$") return i;
  }
  return -1;
}

/** Length of an inline math span at the start of `src` (`$x$` or `$$x$$`), or 0 if none. */
function matchInlineMath(src: string): { length: number; tex: string; display: boolean } | null {
  if (src.startsWith("$$")) {
    let end = findDollar(src, 2);
    while (end !== -1 && src[end + 1] !== "$") end = findDollar(src, end + 1);
    if (end === -1) return null;
    const tex = src.slice(2, end);
    if (tex.trim() === "" || /\n\s*\n/.test(tex)) return null;
    return { length: end + 2, tex, display: true };
  }
  if (src[0] !== "$" || src.length < 3 || /\s/.test(src[1] ?? " ")) return null;
  // The next unescaped `$` must close the formula, or this `$` is a plain dollar sign.
  const end = findDollar(src, 1);
  if (end === -1 || /\s/.test(src[end - 1]!) || /[0-9]/.test(src[end + 1] ?? "")) return null;
  const tex = src.slice(1, end);
  if (tex.includes("`") || /\n\s*\n/.test(tex)) return null;
  return { length: end + 1, tex, display: false };
}

/**
 * Replaces every math span in `src` by as many letters, keeping its length. marked looks for
 * the closing `*` or `_` of emphasis in a masked copy of the text; without this, the `*` of
 * `*a $x*y$ b*` inside the formula would close the emphasis.
 */
function maskMath(src: string): string {
  let out = src;
  let i = findDollar(out, 0);
  while (i !== -1) {
    const match = matchInlineMath(out.slice(i));
    if (match === null) {
      i = findDollar(out, i + 1);
      continue;
    }
    out = out.slice(0, i) + "a".repeat(match.length) + out.slice(i + match.length);
    i = findDollar(out, i + match.length);
  }
  return out;
}

/** Renders one formula; on a KaTeX error records it and returns a visible error marker. */
function renderTex(
  tex: string,
  displayMode: boolean,
  raw: string,
  failures: MathFailure[],
): string {
  try {
    return katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      output: "htmlAndMathml",
      strict: "ignore",
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ raw, message });
    return `<code class="math-error">${raw.replace(/[<>&]/g, "")}</code>`;
  }
}

/** Builds a `Marked` instance whose math extensions record failures into `failures`. */
function createMarked(failures: MathFailure[]): Marked {
  const inlineMath: TokenizerAndRendererExtension = {
    name: "math",
    level: "inline",
    start: (src: string) => {
      const i = findDollar(src, 0);
      return i === -1 ? undefined : i;
    },
    tokenizer(src: string): MathToken | undefined {
      const match = matchInlineMath(src);
      if (match === null) return undefined;
      const raw = src.slice(0, match.length);
      return { type: "math", raw, html: renderTex(match.tex, match.display, raw, failures) };
    },
    renderer: (token) => (token as MathToken).html,
  };
  const blockMath: TokenizerAndRendererExtension = {
    name: "mathBlock",
    level: "block",
    start: (src: string) => {
      const match = /(^|\n) {0,3}\$\$/.exec(src);
      return match === null ? undefined : match.index + match[1]!.length;
    },
    tokenizer(src: string): MathToken | undefined {
      const match = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src);
      if (match === null || /\n\s*\n/.test(match[1]!)) return undefined;
      const raw = match[0];
      const html = renderTex(match[1]!, true, raw.trim(), failures);
      return { type: "mathBlock", raw, html };
    },
    renderer: (token) => `<div class="math-display">${(token as MathToken).html}</div>\n`,
  };
  const marked = new Marked({ gfm: true, async: false, extensions: [blockMath, inlineMath] });
  marked.use({
    tokenizer: {
      emStrong(src: string, maskedSrc: string, prevChar?: string) {
        return Tokenizer.prototype.emStrong.call(this, src, maskMath(maskedSrc), prevChar);
      },
    },
  });
  return marked;
}

/**
 * Renders lesson Markdown with math to HTML.
 *
 * @param md The Markdown source.
 * @param file The lesson file, for errors.
 * @param line The 1-based line of `md`'s first line in `file`, for errors.
 * @returns HTML with KaTeX markup (`htmlAndMathml`); the page must load the KaTeX CSS.
 * @throws {LessonError} naming the line of the first formula KaTeX cannot parse.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./render_markdown.ts";
 * const html = renderMarkdown("The loss $L = x^2$ costs $5.", "lessons/x.md", 10);
 * if (!html.includes('class="katex"') || !html.includes("$5")) throw new Error("bad render");
 * ```
 */
export function renderMarkdown(md: string, file: string, line: number): string {
  const failures: MathFailure[] = [];
  const html = createMarked(failures).parse(md) as string;
  const failure = failures[0];
  if (failure !== undefined) {
    const at = md.indexOf(failure.raw);
    const offset = at === -1 ? 0 : md.slice(0, at).split("\n").length - 1;
    throw new LessonError(
      file,
      line + offset,
      `cannot render the formula ${failure.raw}: ${failure.message}`,
    );
  }
  return html;
}
