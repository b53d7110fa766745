/**
 * Renders a chart spec to a standalone SVG string with the same Preact components the browser
 * uses (the `image/svg+xml` fallback for Jupyter and for outputs saved to disk).
 *
 * @module
 */
import { h } from "preact";
import { render } from "preact-render-to-string";
import type { ChartSpec } from "./spec.ts";
import { Chart } from "./chart.tsx";
import { standaloneTheme } from "./theme.ts";

let counter = 0;
const salt = Math.random().toString(36).slice(2, 8);

/**
 * Renders `spec` as a standalone `<svg>` document fragment: `xmlns`, explicit width/height
 * (640 x 360 unless the spec says otherwise), fixed colours on a white card and no external CSS.
 * Never throws: a malformed spec renders as an SVG error box.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderChartSvg } from "./render_svg.ts";
 * const svg = renderChartSvg({ kind: "line", series: [{ name: "loss", y: [1, 0.5, 0.25] }] });
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export function renderChartSvg(spec: ChartSpec): string {
  // NOTE: several SVGs are inlined in one Jupyter page, so clip-path ids must differ between them
  const idPrefix = `gbc-${salt}-${(counter++).toString(36)}`;
  return render(h(Chart, { spec, theme: standaloneTheme, idPrefix }));
}
