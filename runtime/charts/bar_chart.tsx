/**
 * Bar charts: Q-values, class probabilities; several series side by side per label.
 *
 * @module
 */
import type { JSX } from "preact";
import type { BarChartSpec } from "./spec.ts";
import { finiteExtent, linearScale } from "./scale.ts";
import { categoricalColor, cssTheme } from "./theme.ts";
import {
  Axes,
  AxisLabels,
  type ChartOptions,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  FONT_SIZE,
  layoutLegend,
  layoutPlot,
  Legend,
  px,
  SvgRoot,
  textWidth,
  titleHeight,
} from "./frame.tsx";
import { formatTick, formatValue } from "./ticks.ts";

const COS_40 = Math.cos((40 * Math.PI) / 180);
const SIN_40 = Math.sin((40 * Math.PI) / 180);
/** Longest label drawn under a bar; longer ones end in "…" (the bar's tooltip has it whole). */
const MAX_LABEL = 28;

function shorten(label: string): string {
  return label.length <= MAX_LABEL ? label : label.slice(0, MAX_LABEL - 1) + "…";
}

/**
 * Draws a bar chart: one `<rect class="bar">` per finite value, grouped by label, bars starting
 * at 0 (negative values hang down). Values are printed on the bars when there is room.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { BarChart } from "./bar_chart.tsx";
 * const svg = render(<BarChart spec={{ kind: "bar", labels: ["up", "down"], values: [0.7, -0.2] }} />);
 * assert.equal(svg.match(/<rect class="bar"/g)?.length, 2);
 * ```
 */
export function BarChart(
  { spec, width: widthProp, theme = cssTheme }: ChartOptions & { spec: BarChartSpec },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const groups = [{ name: spec.name ?? "values", values: spec.values }, ...(spec.series ?? [])]
    .map((g, i) => ({ ...g, color: categoricalColor(i) }));
  const legend = layoutLegend(
    groups.length > 1
      ? groups.map((g) => ({ name: g.name, color: g.color, mark: "box" as const }))
      : [],
    width - 80,
  );
  const dataExtent = finiteExtent(groups.flatMap((g) => g.values).concat([0])) ?? [0, 1];
  // NOTE: 8% headroom beyond the data so value labels above (below) the bars are not clipped
  const pad = (dataExtent[1] - dataExtent[0]) * 0.08;
  const extent: [number, number] = [
    dataExtent[0] < 0 ? dataExtent[0] - pad : 0,
    dataExtent[1] > 0 ? dataExtent[1] + pad : 0,
  ];
  const yTicks = linearScale(extent, [1, 0], true).ticks(
    Math.max(3, Math.round((height - 90 - legend.height) / 55)),
  );
  const labels = spec.labels.map((l) => shorten(String(l)));
  const guess = (width - 60) / Math.max(1, labels.length);
  const widths = labels.map((l) => textWidth(l, FONT_SIZE.tick));
  const longest = Math.max(0, ...widths);
  const rotate = longest > guess - 4;
  // Rotated labels hang down and to the left of their bar: leave room for both.
  const below = rotate ? longest * SIN_40 + 4 : 0;
  const layout = (minLeft: number) =>
    layoutPlot({
      width,
      height,
      title: spec.title,
      xLabel: spec.xLabel,
      yLabel: spec.yLabel,
      legend,
      yTickLabels: yTicks.map(formatTick),
      bottom: below,
      minLeft,
    });
  let plot = layout(0);
  for (let pass = 0; rotate && pass < 2; pass++) {
    const band = plot.width / Math.max(1, labels.length);
    const reach = Math.max(...widths.map((w, i) => w * COS_40 + 4 - (i + 0.5) * band));
    if (reach <= plot.left) break;
    plot = layout(Math.ceil(reach));
  }
  const y = linearScale(extent, [plot.top + plot.height, plot.top], true);
  const band = plot.width / Math.max(1, labels.length);
  const barW = (band * 0.8) / groups.length;
  const showValues = barW >= 22 && labels.length * groups.length <= 40;
  const labelStep = rotate ? Math.max(1, Math.ceil(13 / band)) : 1;
  const zero = y.map(0);
  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="bar">
      <Legend layout={legend} x={plot.left} y={titleHeight(spec.title)} theme={theme} />
      <Axes plot={plot} y={y} theme={theme} yTicks={yTicks} />
      <AxisLabels
        plot={plot}
        xLabel={spec.xLabel}
        yLabel={spec.yLabel}
        theme={theme}
        xOffset={below}
      />
      <g class="bars">
        {groups.flatMap((g, gi) =>
          labels.map((_, i) => {
            const v = g.values[i];
            if (v === undefined || !Number.isFinite(v)) return null;
            const x = plot.left + i * band + band * 0.1 + gi * barW;
            const top = Math.min(zero, y.map(v));
            const h = Math.abs(y.map(v) - zero);
            return (
              <g>
                <rect
                  class="bar"
                  x={px(x)}
                  y={px(top)}
                  width={px(Math.max(1, barW - (groups.length > 1 ? 1 : 0)))}
                  height={px(Math.max(0.5, h))}
                  fill={g.color}
                >
                  <title>{`${String(spec.labels[i])}: ${formatValue(v, 4)}`}</title>
                </rect>
                {showValues
                  ? (
                    <text
                      x={px(x + barW / 2)}
                      y={px(v >= 0 ? top - 4 : top + h + 12)}
                      text-anchor="middle"
                      font-size={FONT_SIZE.tick}
                      style={{ fill: theme.fg }}
                    >
                      {formatValue(v, 3)}
                    </text>
                  )
                  : null}
              </g>
            );
          })
        )}
      </g>
      <line
        x1={plot.left}
        x2={plot.left + plot.width}
        y1={px(zero)}
        y2={px(zero)}
        style={{ stroke: theme.axis }}
      />
      <g class="tick-labels" font-size={FONT_SIZE.tick} style={{ fill: theme.muted }}>
        {labels.map((l, i) => {
          if (i % labelStep !== 0) return null;
          const cx = plot.left + (i + 0.5) * band;
          const cy = plot.top + plot.height + 15;
          return rotate
            ? (
              <text
                transform={`translate(${px(cx)},${px(cy - 6)}) rotate(-40)`}
                text-anchor="end"
                dy="0.7em"
              >
                {l}
              </text>
            )
            : <text key={i} x={px(cx)} y={px(cy)} text-anchor="middle">{l}</text>;
        })}
      </g>
    </SvgRoot>
  );
}
