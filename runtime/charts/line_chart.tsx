/**
 * Line charts: several named series, legend, log axes, dashed lines, vertical markers.
 * Long series are downsampled (min/max per bucket) so live training curves stay cheap.
 *
 * @module
 */
import type { JSX } from "preact";
import type { LineChartSpec } from "./spec.ts";
import { finiteExtent, linearScale, logScale, type Scale } from "./scale.ts";
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
import { formatTick } from "./ticks.ts";

/** Most points a series keeps after downsampling. */
export const MAX_POINTS_PER_SERIES = 1000;

/**
 * Keeps at most about `maxPoints` of the points `(xs[i], ys[i])`: each run of finite points is cut
 * into buckets and each bucket keeps its first, minimum and maximum point (in order), so peaks
 * survive. Non-finite points are returned as gaps (`NaN`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { downsample } from "./line_chart.tsx";
 * const ys = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 50));
 * const out = downsample(ys.map((_, i) => i), ys, 1000);
 * assert.ok(out.xs.length <= 1000);
 * assert.equal(Math.max(...out.ys), Math.max(...ys)); // peaks survive
 * ```
 */
export function downsample(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  maxPoints: number,
): { xs: number[]; ys: number[] } {
  const n = Math.min(xs.length, ys.length);
  const outX: number[] = [];
  const outY: number[] = [];
  const bucket = n <= maxPoints ? 1 : Math.ceil(n / Math.max(1, Math.floor(maxPoints / 3)));
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + bucket);
    let lo = -1;
    let hi = -1;
    let first = -1;
    let gap = false;
    for (let k = i; k < end; k++) {
      const y = ys[k]!;
      if (!Number.isFinite(y) || !Number.isFinite(xs[k]!)) {
        gap = true;
        continue;
      }
      if (first < 0) first = k;
      if (lo < 0 || y < ys[lo]!) lo = k;
      if (hi < 0 || y > ys[hi]!) hi = k;
    }
    for (const k of [...new Set([first, lo, hi])].filter((k) => k >= 0).sort((a, b) => a - b)) {
      outX.push(xs[k]!);
      outY.push(ys[k]!);
    }
    if (gap) {
      outX.push(NaN);
      outY.push(NaN);
    }
    i = end;
  }
  return { xs: outX, ys: outY };
}

/** Builds an SVG path through the points, starting a new subpath after each gap. */
export function linePath(xs: number[], ys: number[], x: Scale, y: Scale): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const sx = x.map(xs[i]!);
    const sy = y.map(ys[i]!);
    if (!Number.isFinite(sx) || !Number.isFinite(sy)) {
      pen = false;
      continue;
    }
    parts.push((pen ? "L" : "M") + px(sx) + " " + px(sy));
    pen = true;
  }
  return parts.join("");
}

/**
 * Draws a line chart: one `<path class="series">` per series.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { LineChart } from "./line_chart.tsx";
 * const svg = render(<LineChart spec={{ kind: "line", series: [{ name: "loss", y: [1, 0.5, 0.3] }] }} />);
 * assert.equal(svg.match(/<path class="series"/g)?.length, 1);
 * ```
 */
export function LineChart(
  { spec, width: widthProp, theme = cssTheme, idPrefix = "chart" }: ChartOptions & {
    spec: LineChartSpec;
  },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const series = spec.series.map((s, i) => {
    const ys = s.y ?? [];
    const xs = s.x ?? ys.map((_, k) => k);
    return { ...s, xs, ys, color: s.color ?? categoricalColor(i) };
  });
  const xExtent = finiteExtent(
    series.flatMap((s) => s.xs.filter((_, k) => Number.isFinite(s.ys[k]!)))
      .concat((spec.markers ?? []).map((m) => m.x)),
    spec.logX,
  );
  const yExtent = finiteExtent(series.flatMap((s) => s.ys), spec.logY);
  const makeX = (range: [number, number]) =>
    spec.logX ? logScale(xExtent, range, true) : linearScale(xExtent, range, true);
  const makeY = (range: [number, number]) =>
    spec.logY ? logScale(yExtent, range, true) : linearScale(yExtent, range, true);

  const legend = layoutLegend(
    series.length > 1 || (series.length === 1 && series[0]!.name)
      ? series.map((s) => ({
        name: s.name,
        color: s.color,
        mark: s.points ? "point" : s.dashed ? "dashed" : "line",
      }))
      : [],
    width - 80,
  );
  const yCount = Math.max(3, Math.round((height - 90 - legend.height) / 55));
  const yTicks = makeY([1, 0]).ticks(yCount);
  const plot = layoutPlot({
    width,
    height,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    legend,
    yTickLabels: yTicks.map(formatTick),
  });
  const x = makeX([plot.left, plot.left + plot.width]);
  const y = makeY([plot.top + plot.height, plot.top]);
  const maxPoints = Math.min(MAX_POINTS_PER_SERIES, Math.max(50, Math.round(plot.width * 2)));
  const clipId = `${idPrefix}-clip`;
  const markers = (spec.markers ?? []).map((m) => ({ at: x.map(m.x), label: m.label }))
    .filter((m) => Number.isFinite(m.at));

  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="line">
      <Legend layout={legend} x={plot.left} y={titleHeight(spec.title)} theme={theme} />
      <defs>
        <clipPath id={clipId}>
          <rect
            x={plot.left - 2}
            y={plot.top - 2}
            width={plot.width + 4}
            height={plot.height + 4}
          />
        </clipPath>
      </defs>
      <Axes
        plot={plot}
        x={x}
        y={y}
        theme={theme}
        yTicks={yTicks}
        xTicks={x.ticks(Math.max(2, Math.round(plot.width / 90)))}
      />
      <AxisLabels plot={plot} xLabel={spec.xLabel} yLabel={spec.yLabel} theme={theme} />
      <g clip-path={`url(#${clipId})`}>
        {markers.map((m) => (
          <line
            class="marker"
            x1={px(m.at)}
            x2={px(m.at)}
            y1={plot.top}
            y2={plot.top + plot.height}
            stroke-dasharray="4 3"
            style={{ stroke: theme.muted }}
          />
        ))}
        {series.map((s) => {
          const d = downsample(s.xs, s.ys, maxPoints);
          if (s.points) {
            return (
              <g class="series-points" fill={s.color}>
                <title>{s.name}</title>
                {d.xs.map((xk, k) =>
                  Number.isFinite(xk) && Number.isFinite(d.ys[k]!)
                    ? (
                      <circle
                        key={k}
                        class="point"
                        cx={px(x.map(xk))}
                        cy={px(y.map(d.ys[k]!))}
                        r={3.5}
                      />
                    )
                    : null
                )}
              </g>
            );
          }
          return (
            <path
              class="series"
              d={linePath(d.xs, d.ys, x, y)}
              fill="none"
              stroke={s.color}
              stroke-width={1.8}
              stroke-linejoin="round"
              stroke-linecap="round"
              stroke-dasharray={s.dashed ? "6 4" : undefined}
            >
              <title>{s.name}</title>
            </path>
          );
        })}
      </g>
      <g class="marker-labels" font-size={FONT_SIZE.tick} style={{ fill: theme.muted }}>
        {markers.map((m, i) =>
          m.label ? <MarkerLabel key={i} {...m} label={m.label} plot={plot} /> : null
        )}
      </g>
    </SvgRoot>
  );
}

/**
 * A marker's label beside its line, outside the plot's clip path, on the side with room (so a
 * marker at the right edge, like "solved" at a training run's last episode, is not cut off).
 */
function MarkerLabel(
  { at, label, plot }: {
    at: number;
    label: string;
    plot: { left: number; width: number; top: number };
  },
): JSX.Element {
  const fitsRight = at + 4 + textWidth(label, FONT_SIZE.tick) <= plot.left + plot.width;
  return (
    <text
      x={px(fitsRight ? at + 4 : at - 4)}
      y={plot.top + 12}
      text-anchor={fitsRight ? "start" : "end"}
    >
      {label}
    </text>
  );
}
