/**
 * Renders a cell's outputs: streams, errors, notices, and rich MIME bundles (charts, SVG, HTML
 * from the server's Markdown/KaTeX rendering, tables, images, plain text).
 *
 * @module
 */
import { useMemo } from "preact/hooks";
import { DeferredOutput, estimatedHeight } from "./deferred_output.tsx";
import {
  CHART_MIME,
  type MimeBundle,
  TABLE_MIME,
  TENSOR_MIME,
  WIDGET_MIME,
} from "../../runtime/vocabulary.ts";
import type { CellOutput } from "../messages.ts";
import { ChartOutput } from "./chart_output.tsx";
import { asWidgetPanel } from "../../runtime/display/widget_spec.ts";
import { WidgetPanelView } from "./widgets.tsx";
import { splitResultLines } from "./stream_text.ts";
import { formatCell, TABLE_DIGITS } from "../../runtime/display/format_cell.ts";
import { sanitizeHtml, sanitizeSvg } from "./sanitize.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Largest number of table rows drawn. */
const MAX_TABLE_ROWS = 500;

function TableView({ table }: { table: { columns: string[]; rows: unknown[][] } }) {
  const rows = table.rows.slice(0, MAX_TABLE_ROWS);
  return (
    <div class="out-table">
      <table>
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th
                key={i}
                class={rows.length > 0 && rows.every((row) => typeof row[i] === "number")
                  ? "num"
                  : undefined}
              >
                {breakableName(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((value, c) => (
                <td key={c} class={typeof value === "number" ? "num" : undefined}>
                  {formatCell(value, TABLE_DIGITS, (v) =>
                    JSON.stringify(v) ?? String(v))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length > rows.length && (
        <div class="out-more">… {table.rows.length - rows.length} more rows</div>
      )}
    </div>
  );
}

/**
 * A column name with break opportunities between its words (`dqnStepsTo100` may wrap as
 * `dqn|Steps|To100`), so a table of long camelCase names wraps its headers inside the column.
 */
function breakableName(name: string) {
  const words = name.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[_-])/);
  return words.flatMap((word, i) => (i === 0 ? [word] : [<wbr key={i} />, word]));
}

function isTable(value: unknown): value is { columns: string[]; rows: unknown[][] } {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as { columns?: unknown }).columns) &&
    Array.isArray((value as { rows?: unknown }).rows);
}

/** Untrusted markup, sanitised once per distinct text (see `sanitize.ts`). */
function SafeMarkup(
  { markup, clean, class: className }: {
    markup: string;
    clean: (markup: string) => string;
    class: string;
  },
) {
  const safe = useMemo(() => clean(markup), [markup, clean]);
  return <div class={className} dangerouslySetInnerHTML={{ __html: safe }} />;
}

/** Renders the richest entry of a MIME bundle this page understands. */
export function BundleView({ data }: { data: MimeBundle }) {
  const widgets = asWidgetPanel(data[WIDGET_MIME]);
  if (widgets !== null) return <WidgetPanelView panel={widgets} />;
  const chart = data[CHART_MIME];
  const svg = data["image/svg+xml"];
  if (typeof chart === "object" && chart !== null) {
    return <ChartOutput spec={chart} fallbackSvg={typeof svg === "string" ? svg : undefined} />;
  }
  if (typeof svg === "string") {
    return <SafeMarkup class="out-svg" markup={svg} clean={sanitizeSvg} />;
  }
  // NOTE: a table() also carries text/html (for Jupyter); the table view pads and aligns it
  const table = data[TABLE_MIME];
  if (isTable(table)) return <TableView table={table} />;
  const html = data["text/html"];
  if (typeof html === "string") {
    return <SafeMarkup class="out-html" markup={html} clean={sanitizeHtml} />;
  }
  for (const type of ["image/png", "image/jpeg", "image/gif"]) {
    const image = data[type];
    if (typeof image === "string") {
      return <img class="out-image" src={`data:${type};base64,${image}`} alt="Cell output image" />;
    }
  }
  const tensor = data[TENSOR_MIME] as { text?: unknown } | undefined;
  const text = data["text/plain"] ?? tensor?.text;
  if (typeof text === "string") return <pre class="out-text">{text.replace(ANSI, "")}</pre>;
  return <pre class="out-text muted">[output of type {Object.keys(data).join(", ")}]</pre>;
}

/**
 * Stream text, with `RESULT name {...}` lines (printed for the lesson's tests) folded into a
 * small disclosure that names them, so they do not crowd the output a learner reads.
 */
function StreamView({ name, text }: { name: string; text: string }) {
  const segments = splitResultLines(text);
  return (
    <>
      {segments.map((segment, i) =>
        segment.kind === "text"
          ? <pre key={i} class={`out-stream ${name}`}>{segment.text}</pre>
          : (
            <details key={i} class="out-results">
              <summary title="Machine-readable results printed for the lesson's tests">
                {segment.names.length === 1 ? "result" : `${segment.names.length} results`}:{" "}
                <span class="out-results-names">{segment.names.join(", ")}</span>
              </summary>
              <pre class={`out-stream ${name}`}>{segment.text}</pre>
            </details>
          )
      )}
    </>
  );
}

function OutputView({ output }: { output: CellOutput }) {
  switch (output.type) {
    case "stream":
      return <StreamView name={output.name} text={output.text.replace(ANSI, "")} />;
    case "display":
      return (
        <DeferredOutput height={estimatedHeight(output.data)}>
          <BundleView data={output.data} />
        </DeferredOutput>
      );
    case "result":
      return (
        <div class="out-result">
          <DeferredOutput height={estimatedHeight(output.data)}>
            <BundleView data={output.data} />
          </DeferredOutput>
        </div>
      );
    case "error":
      return (
        <div class="out-error" role="alert">
          <div class="out-error-head">
            <span class="out-error-name">{output.name}</span>
            {output.line !== undefined && <span class="out-error-where">line {output.line}</span>}
          </div>
          <pre class="out-error-message">{output.message.replace(ANSI, "")}</pre>
          {output.stack.trim() !== "" && (
            <details>
              <summary>Stack trace</summary>
              <pre>{output.stack.replace(ANSI, "")}</pre>
            </details>
          )}
        </div>
      );
    case "notice":
      return <div class={`out-notice ${output.level}`}>{output.text}</div>;
  }
}

/** All outputs of a cell. */
export function Outputs({ outputs }: { outputs: CellOutput[] }) {
  return (
    <div class="outputs">
      {outputs.map((output, index) => <OutputView key={index} output={output} />)}
    </div>
  );
}
