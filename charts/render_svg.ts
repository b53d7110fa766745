/**
 * Renders a chart spec to a static SVG string with the same Preact components the browser uses.
 * (Placeholder until the chart components land; keeps the signature stable.)
 *
 * @module
 */
import type { ChartSpec } from "./spec.ts";

/** Renders `spec` as a standalone `<svg>` document fragment. */
export function renderChartSvg(spec: ChartSpec): string {
  const title = spec.title ?? spec.kind;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="40"><text x="8" y="24">${title}</text></svg>`;
}
