/**
 * Rich output for notebook cells: `display(x)` (with live `update`), `md`, `tex`, `html`,
 * `table`, chart helpers under `plot`, and interactive widgets under `input` (`await
 * input.slider({...})` reruns the cells that depend on it when moved). Works in gradbook's kernel and in Deno's own Jupyter
 * kernel (every output implements `[Symbol.for("Jupyter.display")]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { display, plot, toMimeBundle } from "gradbook/display";
 * const chart = plot.line([1, 0.5, 0.3], { title: "Loss" });
 * const spec = toMimeBundle(chart)["application/vnd.gradbook.chart+json"] as { kind: string };
 * assert.equal(spec.kind, "line");
 * const h = display(plot.line([1, 0.5], { title: "Loss" }));
 * h.update(chart);
 * assert.equal(typeof h.displayId, "string");
 * ```
 *
 * @module
 */
export { display, DISPLAY_UPDATE_INTERVAL_MS, type DisplayHandle } from "./display.ts";
export { html, md, RichOutput, table, type TableOptions, tex } from "./rich.ts";
export { Chart, type ContourGrid, type NumbersLike, plot } from "./plot.ts";
export {
  animateCartPole,
  type AnimateCartPoleOptions,
  drawCartPole,
  drawGridValues,
  type DrawGridValuesOptions,
} from "./env_viewer.ts";
export { type Displayable, JUPYTER_DISPLAY, toMimeBundle } from "./mime.ts";
export { type MimeBundle, WIDGET_MIME, type WidgetValue } from "../vocabulary.ts";
export type { ChartSpec } from "../charts/spec.ts";
export {
  type ButtonOptions,
  type CheckboxOptions,
  input,
  type NumberOptions,
  type SelectOptions,
  type SliderOptions,
  WidgetRequest,
} from "./widgets.ts";
export { type WidgetSpec } from "./widget_spec.ts";
