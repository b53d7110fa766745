/**
 * Rich text outputs: Markdown, TeX (rendered with KaTeX by the client), raw HTML and tables.
 *
 * @module
 */
import { type MimeBundle, TABLE_MIME } from "../vocabulary.ts";
import { inspectValue, JUPYTER_DISPLAY } from "./mime.ts";
import { formatCell, formatNumberCell, TABLE_DIGITS } from "./format_cell.ts";

/** A displayable value built from a MIME bundle. */
export class RichOutput {
  constructor(readonly bundle: MimeBundle) {}
  /** Returns the MIME bundle (Jupyter display protocol). */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle;
  }
}

type Template = TemplateStringsArray | string;

function joinTemplate(strings: Template, values: unknown[]): string {
  if (typeof strings === "string") return strings;
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    text += inspectValue(value) + (strings[i + 1] ?? "");
  });
  return text;
}

/**
 * Markdown, as a tagged template or a call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { md } from "./rich.ts";
 * const loss = 0.25;
 * assert.equal(md`**Loss:** ${loss}`.bundle["text/markdown"], "**Loss:** 0.25");
 * ```
 */
export function md(strings: Template, ...values: unknown[]): RichOutput {
  const text = joinTemplate(strings, values);
  return new RichOutput({ "text/markdown": text, "text/plain": text });
}

/**
 * Display math in TeX, rendered with KaTeX by the notebook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tex } from "./rich.ts";
 * // backslashes stay as written; the LaTeX form is wrapped in $$
 * assert.equal(tex`\sigma(x)`.bundle["text/latex"], "$$\\sigma(x)$$");
 * ```
 */
export function tex(strings: Template, ...values: unknown[]): RichOutput {
  // NOTE: raw strings, so `\frac` in a tagged template is not treated as an escape.
  const text = typeof strings === "string"
    ? strings
    : joinTemplate(Object.assign([...strings.raw], { raw: strings.raw }), values);
  return new RichOutput({ "text/latex": `$$${text}$$`, "text/plain": text });
}

/**
 * Raw HTML (shown in a sandboxed frame by the notebook).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { html } from "./rich.ts";
 * const out = html`<b>bold</b>`;
 * assert.deepEqual(out.bundle, { "text/html": "<b>bold</b>", "text/plain": "bold" });
 * ```
 */
export function html(strings: Template, ...values: unknown[]): RichOutput {
  const text = joinTemplate(strings, values);
  return new RichOutput({ "text/html": text, "text/plain": text.replace(/<[^>]*>/g, "") });
}

/** Options of {@link table}. */
export interface TableOptions {
  /** Column names; default: the keys of the row objects, or 0, 1, ... for array rows. */
  columns?: string[];
  /**
   * Significant digits of numbers that are not integers (default 4), in every form; the rule is
   * `formatCell()`'s (`runtime/display/format_cell.ts`), which the notebook's table view uses too.
   */
  digits?: number;
}

/**
 * A table from rows given as objects (`[{ epoch: 1, loss: 0.5 }]`) or arrays (`[[1, 0.5]]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./rich.ts";
 * const t = table([{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.25 }]);
 * assert.ok(String(t.bundle["text/plain"]).startsWith("epoch  loss"));
 * ```
 */
export function table(rows: readonly unknown[], options: TableOptions = {}): RichOutput {
  const columns = options.columns ?? inferColumns(rows);
  const cells: unknown[][] = rows.map((row) =>
    Array.isArray(row)
      ? columns.map((_, i) => row[i])
      : columns.map((c) => (row as Record<string, unknown>)?.[c])
  );
  const digits = options.digits ?? TABLE_DIGITS;
  const format = (v: unknown) => formatCell(v, digits, inspectValue);
  const text = [columns, ...cells.map((r) => r.map(format))];
  const widths = columns.map((_, i) => Math.max(...text.map((r) => String(r[i] ?? "").length)));
  const plain = text.map((r) =>
    r.map((v, i) => String(v).padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  )
    .join("\n");
  const escape = (v: unknown) =>
    format(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const htmlText = `<table><thead><tr>${columns.map((c) => `<th>${escape(c)}</th>`).join("")}` +
    `</tr></thead><tbody>${
      cells.map((r) => `<tr>${r.map((v) => `<td>${escape(v)}</td>`).join("")}</tr>`).join("")
    }</tbody></table>`;
  return new RichOutput({
    // JSON has no NaN or ±∞ (they became null, an empty cell): send them as the text shown.
    [TABLE_MIME]: {
      columns,
      rows: cells.map((r) =>
        r.map((v) => typeof v === "number" && !Number.isFinite(v) ? formatNumberCell(v) : v)
      ),
    },
    "text/html": htmlText,
    "text/plain": plain,
  });
}

function inferColumns(rows: readonly unknown[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) {
    if (Array.isArray(row)) {
      for (let i = columns.size; i < row.length; i++) columns.add(String(i));
    } else if (row !== null && typeof row === "object") {
      for (const key of Object.keys(row)) columns.add(key);
    }
  }
  return [...columns];
}
