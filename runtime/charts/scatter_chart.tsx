/**
 * Scatter charts: points coloured by class label, with a legend of the classes.
 *
 * @module
 */
import type { JSX } from "preact";
import type { ScatterChartSpec } from "./spec.ts";
import { finiteExtent, linearScale } from "./scale.ts";
import { categoricalColor, cssTheme } from "./theme.ts";
import {
  Axes,
  AxisLabels,
  type ChartOptions,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  layoutLegend,
  layoutPlot,
  Legend,
  px,
  SvgRoot,
  titleHeight,
} from "./frame.tsx";
import { formatTick } from "./ticks.ts";

/** Sorts class labels: numbers numerically, then strings alphabetically. */
function sortLabels(labels: (number | string)[]): (number | string)[] {
  return [...new Set(labels)].sort((a, b) =>
    typeof a === "number" && typeof b === "number"
      ? a - b
      : typeof a === "number"
      ? -1
      : typeof b === "number"
      ? 1
      : a.localeCompare(b)
  );
}

/**
 * Draws a scatter chart: one `<circle class="point">` per point with finite coordinates.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { ScatterChart } from "./scatter_chart.tsx";
 * const svg = render(
 *   <ScatterChart spec={{ kind: "scatter", x: [0, 1, 2], y: [1, 0, 1], labels: [0, 1, 0] }} />,
 * );
 * assert.equal(svg.match(/<circle class="point"/g)?.length, 3);
 * ```
 */
export function ScatterChart(
  { spec, width: widthProp, theme = cssTheme }: ChartOptions & { spec: ScatterChartSpec },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const n = Math.min(spec.x.length, spec.y.length);
  const classes = spec.labels ? sortLabels(spec.labels.slice(0, n)) : [];
  const colorOf = new Map(classes.map((c, i) => [c, categoricalColor(i)]));
  const legend = layoutLegend(
    classes.map((c) => ({ name: String(c), color: colorOf.get(c)!, mark: "point" as const })),
    width - 80,
  );
  const xExtent = finiteExtent(spec.x);
  const yExtent = finiteExtent(spec.y);
  const yTicks = linearScale(yExtent, [1, 0], true).ticks(
    Math.max(3, Math.round((height - 90 - legend.height) / 55)),
  );
  const plot = layoutPlot({
    width,
    height,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    legend,
    yTickLabels: yTicks.map(formatTick),
  });
  const x = linearScale(xExtent, [plot.left, plot.left + plot.width], true);
  const y = linearScale(yExtent, [plot.top + plot.height, plot.top], true);
  const radius = spec.size ?? (n > 2000 ? 1.6 : n > 300 ? 2.4 : 3.5);
  const points: JSX.Element[] = [];
  for (let i = 0; i < n; i++) {
    const xi = spec.x[i]!;
    const yi = spec.y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) continue;
    const label = spec.labels?.[i];
    points.push(
      <circle
        class="point"
        cx={px(x.map(xi))}
        cy={px(y.map(yi))}
        r={radius}
        fill={label === undefined ? categoricalColor(0) : colorOf.get(label)}
      />,
    );
  }
  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="scatter">
      <Legend layout={legend} x={plot.left} y={titleHeight(spec.title)} theme={theme} />
      <Axes
        plot={plot}
        x={x}
        y={y}
        theme={theme}
        yTicks={yTicks}
        xTicks={x.ticks(Math.max(2, Math.round(plot.width / 90)))}
      />
      <AxisLabels plot={plot} xLabel={spec.xLabel} yLabel={spec.yLabel} theme={theme} />
      <g class="points" fill-opacity={0.8} stroke-width={0.6} style={{ stroke: theme.halo }}>
        {points}
      </g>
    </SvgRoot>
  );
}
