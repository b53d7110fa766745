/**
 * Contour charts of a 2-D function with optimizer trajectories overlaid: the optimization
 * lesson's main picture. Levels are linear or log-spaced (for valleys like Rosenbrock's).
 *
 * @module
 */
import type { JSX } from "preact";
import { contours as d3Contours } from "d3-contour";
import type { ContourChartSpec } from "./spec.ts";
import { finiteExtent, linearScale, type Scale } from "./scale.ts";
import { categoricalColor, colorScale, cssTheme } from "./theme.ts";
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
  type LegendItem,
  px,
  SvgRoot,
  titleHeight,
} from "./frame.tsx";
import { formatTick } from "./ticks.ts";
import { contourBarScale, contourBarWidth, ContourColorBar } from "./contour_color_bar.tsx";

/**
 * Returns `count` contour thresholds strictly inside `[min, max]`: evenly spaced, or with
 * `log`, spaced geometrically in `value - min` from `(max - min) * 10^-decades` up to `max`, so
 * that the narrow valley near the minimum gets as many lines as the steep walls.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contourLevels } from "./contour_chart.tsx";
 * const levels = contourLevels(0, 1000, 4, true, 3);
 * assert.deepEqual(levels.map((l) => Math.round(l)), [1, 10, 100, 1000]);
 * ```
 */
export function contourLevels(
  min: number,
  max: number,
  count: number,
  log = false,
  decades = 4,
): number[] {
  const n = Math.max(1, Math.round(count));
  if (!(max > min)) return [min];
  if (!log) return Array.from({ length: n }, (_, i) => min + ((i + 1) * (max - min)) / (n + 1));
  const span = max - min;
  return Array.from(
    { length: n },
    (_, i) => min + span * 10 ** (-decades + (decades * i) / Math.max(1, n - 1)),
  );
}

/** Maps a (fractional) grid index to the data coordinate, interpolating in `axis`. */
function gridToData(axis: number[], index: number): number {
  const i = Math.min(axis.length - 1, Math.max(0, index));
  const lo = Math.floor(i);
  const a = axis[lo]!;
  const b = axis[Math.min(axis.length - 1, lo + 1)]!;
  return a + (b - a) * (i - lo);
}

// Filled bands are mixed with white so trajectories stay the strongest colours in the picture.
const LIGHTEN = 0.2;
// Log-spaced levels go at most this many decades below the range, or the valley floor breaks up.
const MAX_DECADES = 4.5;

type Ring = number[][];

/** The part of d3-contour's API used here (the package ships no types). */
interface ContourGenerator {
  size(size: [number, number]): ContourGenerator;
  thresholds(levels: number[]): ContourGenerator;
  (values: number[]): { value: number; coordinates: Ring[][] }[];
}
const contours = d3Contours as unknown as () => ContourGenerator;

function ringsPath(polygons: Ring[][], spec: ContourChartSpec, x: Scale, y: Scale): string {
  const parts: string[] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      ring.forEach((p, k) => {
        // NOTE: d3-contour puts sample (i, j) at (i + 0.5, j + 0.5) in grid coordinates
        const dx = gridToData(spec.x, p[0]! - 0.5);
        const dy = gridToData(spec.y, p[1]! - 0.5);
        parts.push((k === 0 ? "M" : "L") + px(x.map(dx)) + " " + px(y.map(dy)));
      });
      parts.push("Z");
    }
  }
  return parts.join("");
}

/**
 * Draws a contour chart: one `<path class="contour">` per level (filled bands by default,
 * lines with `filled: false`), then one `<path class="trajectory">` per optimizer path with a
 * hollow start marker and a filled end marker, labelled points, a legend of the paths, and a
 * colour bar of the level values on the right (`colorBar: false` leaves it out).
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { ContourChart } from "./contour_chart.tsx";
 * const g = [-2, -1, 0, 1, 2];
 * const spec = {
 *   kind: "contour" as const, x: g, y: g, values: g.map((y) => g.map((x) => x * x + y * y)),
 *   paths: [{ name: "SGD", x: [2, 1, 0.5], y: [2, 1, 0.5] }],
 * };
 * const svg = render(<ContourChart spec={spec} />);
 * assert.equal(svg.match(/<path class="trajectory"/g)?.length, 1);
 * ```
 */
export function ContourChart(
  { spec, width: widthProp, theme = cssTheme, idPrefix = "chart" }: ChartOptions & {
    spec: ContourChartSpec;
  },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const nx = spec.x.length;
  const ny = spec.y.length;
  const flat = spec.values.flat();
  const [vmin, vmax] = finiteExtent(flat) ?? [0, 1];
  const filled = spec.filled ?? true;
  const palette = spec.colorScale ?? "viridis";
  // Non-finite samples become the maximum, so they read as "very high" instead of holes.
  const grid = flat.map((v) => (Number.isFinite(v) ? v : vmax));
  const positive = finiteExtent(flat.map((v) => v - vmin), true);
  const decades = Math.min(
    MAX_DECADES,
    Math.max(1, Math.log10((vmax - vmin) / (positive?.[0] ?? 1))),
  );
  const levels = contourLevels(vmin, vmax, spec.levels ?? 12, spec.logLevels, decades);
  const paths = (spec.paths ?? []).map((p, i) => ({ ...p, color: p.color ?? categoricalColor(i) }));
  const items: LegendItem[] = paths.map((p) => ({ name: p.name, color: p.color }));
  const legend = layoutLegend(items, width - 80);
  const xExtent = finiteExtent([spec.x[0]!, spec.x[nx - 1]!]);
  const yExtent = finiteExtent([spec.y[0]!, spec.y[ny - 1]!]);
  const yTicks = linearScale(yExtent, [1, 0]).ticks(
    Math.max(3, Math.round((height - 90 - legend.height) / 55)),
  );
  const bar = spec.colorBar === false
    ? null
    : contourBarScale(vmin, vmax, levels, spec.logLevels, Math.max(3, Math.round(height / 50)));
  const plot = layoutPlot({
    width,
    height,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    legend,
    right: bar === null ? 0 : contourBarWidth(bar) - 14,
    yTickLabels: yTicks.map(formatTick),
  });
  const x = linearScale(xExtent, [plot.left, plot.left + plot.width]);
  const y = linearScale(yExtent, [plot.top + plot.height, plot.top]);
  const generator = contours().size([nx, ny]).thresholds(levels);
  const shapes = generator(grid);
  const t = (i: number) => (levels.length > 1 ? i / (levels.length - 1) : 0.5);
  const fillOf = (i: number) => colorScale(palette, (i + 1) / levels.length, LIGHTEN);
  const clipId = `${idPrefix}-clip`;
  const tracks = paths.map((p) => {
    const points = p.x.map((px0, k) => [px0, p.y[k] ?? NaN] as const)
      .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
      .map(([a, b]) => [x.map(a), y.map(b)] as const);
    const d = points.map(([a, b], k) => (k ? "L" : "M") + px(a) + " " + px(b)).join("");
    return { name: p.name, color: p.color, points, d };
  });
  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="contour">
      <Legend layout={legend} x={plot.left} y={titleHeight(spec.title)} theme={theme} />
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.left} y={plot.top} width={plot.width} height={plot.height} />
        </clipPath>
      </defs>
      <g clip-path={`url(#${clipId})`}>
        {filled
          ? (
            <rect
              x={plot.left}
              y={plot.top}
              width={plot.width}
              height={plot.height}
              fill={colorScale(palette, 0, LIGHTEN)}
            />
          )
          : null}
        <g class="contours" fill-rule="evenodd">
          {shapes.map((shape, i) => ({ shape, i, d: ringsPath(shape.coordinates, spec, x, y) }))
            // NOTE: an empty level renders as a bare `d` attribute, which is invalid standalone SVG.
            .filter(({ d }) => d !== "")
            .map(({ shape, i, d }) => (
              <path
                class="contour"
                d={d}
                fill={filled ? fillOf(i) : "none"}
                stroke={filled ? "rgba(0,0,0,0.12)" : colorScale(palette, t(i) * 0.9)}
                stroke-width={filled ? 0.6 : 1.2}
              >
                <title>{`f = ${formatTick(Number(shape.value.toPrecision(3)))}`}</title>
              </path>
            ))}
        </g>
        <g
          class="trajectory-halos"
          fill="none"
          stroke="#fff"
          stroke-width={4.5}
          stroke-opacity={0.7}
          stroke-linejoin="round"
          stroke-linecap="round"
        >
          {tracks.map((track) => <path key={track.name} d={track.d} />)}
        </g>
        <g
          class="trajectories"
          fill="none"
          stroke-width={2}
          stroke-linejoin="round"
          stroke-linecap="round"
        >
          {tracks.map((track) => (
            <path
              key={track.name}
              class="trajectory"
              d={track.d}
              stroke={track.color}
              stroke-opacity={0.92}
            >
              <title>{track.name}</title>
            </path>
          ))}
        </g>
        <g class="trajectory-markers">
          {tracks.map((track) => (
            <g key={track.name}>
              {track.points.length <= 80
                ? track.points.slice(1, -1).map(([a, b]) => (
                  <circle cx={px(a)} cy={px(b)} r={1.8} fill={track.color} />
                ))
                : null}
              {track.points.length > 1
                ? (
                  <circle
                    class="end"
                    cx={px(track.points[track.points.length - 1]![0])}
                    cy={px(track.points[track.points.length - 1]![1])}
                    r={5}
                    fill={track.color}
                    stroke="#fff"
                    stroke-width={1.5}
                  />
                )
                : null}
              {track.points.length
                ? (
                  <circle
                    class="start"
                    cx={px(track.points[0]![0])}
                    cy={px(track.points[0]![1])}
                    r={4.5}
                    fill="#fff"
                    stroke={track.color}
                    stroke-width={2}
                  />
                )
                : null}
            </g>
          ))}
        </g>
      </g>
      <g class="points">
        {(spec.points ?? []).filter((q) =>
          Number.isFinite(x.map(q.x)) && Number.isFinite(y.map(q.y))
        ).map((q) => {
          const cx = x.map(q.x);
          const cy = y.map(q.y);
          const star = Array.from({ length: 10 }, (_, k) => {
            const r = k % 2 ? 3 : 7.5;
            const a = (Math.PI * k) / 5 - Math.PI / 2;
            return `${px(cx + r * Math.cos(a))},${px(cy + r * Math.sin(a))}`;
          }).join(" ");
          return (
            <g class="point-marker">
              <polygon points={star} fill="#ffd92f" stroke="#222" stroke-width={1} />
              {q.label
                ? (
                  <text
                    x={px(cx + 10)}
                    y={px(cy - 8)}
                    font-size={FONT_SIZE.tick}
                    fill="#111"
                    stroke="#fff"
                    stroke-width={3}
                    paint-order="stroke"
                  >
                    {q.label}
                  </text>
                )
                : null}
            </g>
          );
        })}
      </g>
      <Axes plot={plot} x={x} y={y} theme={theme} yTicks={yTicks} grid={false} />
      {bar === null ? null : (
        <ContourColorBar
          scale={bar}
          x={plot.left + plot.width}
          y={plot.top}
          height={plot.height}
          theme={theme}
          bandColor={filled
            ? (k) => (k === 0 ? colorScale(palette, 0, LIGHTEN) : fillOf(k - 1))
            : undefined}
          lineColor={filled ? undefined : (i) => colorScale(palette, t(i) * 0.9)}
        />
      )}
      <AxisLabels plot={plot} xLabel={spec.xLabel} yLabel={spec.yLabel} theme={theme} />
    </SvgRoot>
  );
}
