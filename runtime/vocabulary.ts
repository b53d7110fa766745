/**
 * The words every layer shares, defined once: the MIME types of gradbook's own displays, the
 * MIME bundle a display travels in, and the value of a widget. The runtime writes them, the
 * kernel and the server pass them on, the browser and the exporters read them; all import them
 * from here. No imports and no Deno APIs, so the browser bundle can include this file.
 *
 * @module
 */

/**
 * A Jupyter-style MIME bundle: keys are MIME types ("text/plain", "text/markdown",
 * "text/latex", "text/html", "image/svg+xml", "image/png" (base64), or one of gradbook's below),
 * values the data in that format.
 */
export type MimeBundle = Record<string, unknown>;

/** MIME type of a gradbook chart spec (`ChartSpec`, see `runtime/charts/spec.ts`). */
export const CHART_MIME = "application/vnd.gradbook.chart+json";
/** MIME type of a gradbook table (`{ columns: string[], rows: unknown[][] }`). */
export const TABLE_MIME = "application/vnd.gradbook.table+json";
/** MIME type of a tensor summary (`{ shape, dtype, text }`), with text/plain beside it. */
export const TENSOR_MIME = "application/vnd.gradbook.tensor+json";
/** MIME type of a widget panel (`{ widgets: WidgetSpec[] }`), with text/plain beside it. */
export const WIDGET_MIME = "application/vnd.gradbook.widget+json";
/** MIME type of a batch of check results (`ChecksPayload`), emitted once per cell that ran checks. */
export const CHECKS_MIME = "application/vnd.gradbook.checks+json";

/** A widget's value: a number (slider, number, button clicks), a choice, or a checkbox. */
export type WidgetValue = number | string | boolean;
