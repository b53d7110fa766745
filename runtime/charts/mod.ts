/**
 * gradbook's chart components: Preact SVG components for every {@link ChartSpec} kind, shared by
 * the browser client (`<Chart spec={spec} width={width} />`) and the static SVG fallback
 * (`renderChartSvg(spec)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderChartSvg } from "./mod.ts";
 * const svg = renderChartSvg({ kind: "bar", labels: ["a", "b"], values: [1, 2] });
 * assert.ok(svg.startsWith("<svg") && svg.endsWith("</svg>"));
 * ```
 *
 * @module
 */
export type * from "./spec.ts";
export { Chart, CHART_KINDS, ChartError, validateSpec } from "./chart.tsx";
export { renderChartSvg } from "./render_svg.ts";
export { useContainerWidth } from "./use_container_width.ts";
export { cssTheme, PALETTE, standaloneTheme, type Theme } from "./theme.ts";
export { LineChart } from "./line_chart.tsx";
export { ScatterChart } from "./scatter_chart.tsx";
export { HeatmapChart } from "./heatmap_chart.tsx";
export { ImageGrid } from "./image_grid.tsx";
export { BarChart } from "./bar_chart.tsx";
export { ContourChart } from "./contour_chart.tsx";
export { RasterChart } from "./raster_chart.tsx";
