/**
 * Heatmaps: a matrix as coloured cells (viridis, gray or diverging), row/column labels, optional
 * value annotations and a colour bar. Attention maps, confusion matrices, weights.
 *
 * @module
 */
import type { JSX } from "preact";
import type { HeatmapChartSpec } from "./spec.ts";
import { finiteExtent, linearScale, type Scale } from "./scale.ts";
import {
  colorScale,
  type ColorScaleName,
  colorScaleRgb,
  cssTheme,
  prefersDarkText,
  type Theme,
} from "./theme.ts";
import {
  type ChartOptions,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  FONT_SIZE,
  px,
  SvgRoot,
  textWidth,
  titleHeight,
} from "./frame.tsx";
import { formatTick, formatValue } from "./ticks.ts";

/**
 * Returns the colour domain of a heatmap: `[min, max]` of the finite values (or the spec's
 * `min`/`max`), symmetric around 0 for the diverging scale.
 *
 * @example
 * ```ts
 * import { heatmapDomain } from "./heatmap_chart.tsx";
 * heatmapDomain([[-1, 3]], "diverging"); // [-3, 3]
 * ```
 */
export function heatmapDomain(
  values: number[][],
  scale: ColorScaleName,
  min?: number,
  max?: number,
): [number, number] {
  const extent = finiteExtent(values.flat()) ?? [0, 1];
  let lo = min ?? extent[0];
  let hi = max ?? extent[1];
  if (scale === "diverging" && min === undefined && max === undefined) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  if (!(lo < hi)) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) * 0.1, hi + Math.abs(hi) * 0.1];
  return [lo, hi];
}

/** A vertical colour bar of `steps` bands with tick labels on its right. */
export function ColorBar(
  { x, y, height, scale, name, theme, steps = 48 }: {
    x: number;
    y: number;
    height: number;
    scale: Scale;
    name: ColorScaleName;
    theme: Theme;
    steps?: number;
  },
): JSX.Element {
  const [d0, d1] = scale.domain;
  const band = height / steps;
  const ticks = scale.ticks(Math.max(2, Math.round(height / 45)));
  return (
    <g class="color-bar">
      {Array.from({ length: steps }, (_, i) => (
        <rect
          x={x}
          y={px(y + height - (i + 1) * band)}
          width={12}
          height={px(band + 0.6)}
          fill={colorScale(name, (i + 0.5) / steps)}
        />
      ))}
      <rect x={x} y={y} width={12} height={height} fill="none" style={{ stroke: theme.axis }} />
      {ticks.map((t) => {
        const ty = y + height - ((t - d0) / (d1 - d0)) * height;
        return (
          <g>
            <line x1={x + 12} x2={x + 16} y1={px(ty)} y2={px(ty)} style={{ stroke: theme.axis }} />
            <text
              x={x + 19}
              y={px(ty)}
              dy="0.35em"
              font-size={FONT_SIZE.tick}
              style={{ fill: theme.muted }}
            >
              {formatTick(t)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/**
 * Draws a heatmap: one `<rect class="cell">` per matrix entry, row 0 at the top.
 * Non-finite entries are drawn as hatched-looking gray cells.
 *
 * @example
 * ```tsx
 * import { render } from "preact-render-to-string";
 * import { HeatmapChart } from "./heatmap_chart.tsx";
 * render(<HeatmapChart spec={{ kind: "heatmap", values: [[1, 0], [0, 1]], annotate: true }} />);
 * ```
 */
export function HeatmapChart(
  { spec, width: widthProp, theme = cssTheme }: ChartOptions & { spec: HeatmapChartSpec },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const name = spec.colorScale ?? "viridis";
  const rows = spec.values.length;
  const cols = Math.max(0, ...spec.values.map((r) => r.length));
  const [lo, hi] = heatmapDomain(spec.values, name, spec.min, spec.max);
  const rowLabelWidth = Math.max(
    0,
    ...(spec.rowLabels ?? []).map((l) => textWidth(l, FONT_SIZE.tick)),
  );
  const colLabelWidth = Math.max(
    0,
    ...(spec.colLabels ?? []).map((l) => textWidth(l, FONT_SIZE.tick)),
  );
  const top = titleHeight(spec.title);
  const left = 8 + (spec.yLabel ? 20 : 0) + (rowLabelWidth ? rowLabelWidth + 8 : 0);
  const barSpace = 70;
  const availW = width - left - barSpace - 12;
  // Column labels go under the cells, rotated when they would not fit side by side.
  let cell = Math.max(
    1,
    Math.min(availW / Math.max(1, cols), (height - top - 20) / Math.max(1, rows)),
  );
  const rotate = colLabelWidth > cell - 2;
  const labelBand = spec.colLabels ? (rotate ? colLabelWidth * 0.75 + 10 : 18) : 0;
  const bottomSpace = 10 + labelBand + (spec.xLabel ? 20 : 0);
  cell = Math.max(
    1,
    Math.min(availW / Math.max(1, cols), (height - top - bottomSpace) / Math.max(1, rows)),
  );
  const gridW = cell * cols;
  const gridH = cell * rows;
  // Centre the grid and its colour bar under the title.
  const offset = Math.max(0, (width - (left + gridW + barSpace)) / 2);
  const annotate = spec.annotate && cell >= 16;
  const annotateSize = Math.min(FONT_SIZE.tick, Math.floor(cell * 0.36));
  const labelStep = (size: number) => Math.max(1, Math.ceil(13 / size));
  const cells: JSX.Element[] = [];
  const notes: JSX.Element[] = [];
  spec.values.forEach((row, r) =>
    row.forEach((v, c) => {
      const finite = Number.isFinite(v);
      const t = (v - lo) / (hi - lo);
      cells.push(
        <rect
          class="cell"
          x={px(left + c * cell)}
          y={px(top + r * cell)}
          width={px(cell + 0.5)}
          height={px(cell + 0.5)}
          fill={finite ? colorScale(name, t) : "#bbb"}
        >
          <title>{`[${r}, ${c}] ${formatValue(v, 4)}`}</title>
        </rect>,
      );
      if (annotate) {
        notes.push(
          <text
            x={px(left + (c + 0.5) * cell)}
            y={px(top + (r + 0.5) * cell)}
            dy="0.35em"
            text-anchor="middle"
            font-size={annotateSize}
            fill={!finite || prefersDarkText(colorScaleRgb(name, t)) ? "#111" : "#fff"}
          >
            {formatValue(v, 2)}
          </text>,
        );
      }
    })
  );
  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="heatmap">
      <g transform={offset ? `translate(${px(offset)},0)` : undefined}>
        <g class="cells" shape-rendering={cell < 6 ? "crispEdges" : undefined}>{cells}</g>
        <g class="annotations">{notes}</g>
        <g class="row-labels" font-size={FONT_SIZE.tick} style={{ fill: theme.muted }}>
          {(spec.rowLabels ?? []).slice(0, rows).map((l, r) =>
            r % labelStep(cell) === 0
              ? (
                <text x={left - 6} y={px(top + (r + 0.5) * cell)} dy="0.35em" text-anchor="end">
                  {l}
                </text>
              )
              : null
          )}
        </g>
        <g class="col-labels" font-size={FONT_SIZE.tick} style={{ fill: theme.muted }}>
          {(spec.colLabels ?? []).slice(0, cols).map((l, c) => {
            if (
              c % labelStep(rotate ? cell : cell / Math.max(1, colLabelWidth / 14)) !== 0
            ) return null;
            const cx = left + (c + 0.5) * cell;
            const cy = top + gridH + 14;
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
              : <text key={c} x={px(cx)} y={px(cy)} text-anchor="middle">{l}</text>;
          })}
        </g>
        <g class="axis-labels" font-size={FONT_SIZE.label} style={{ fill: theme.fg }}>
          {spec.xLabel
            ? (
              <text
                x={px(left + gridW / 2)}
                y={px(top + gridH + labelBand + 22)}
                text-anchor="middle"
              >
                {spec.xLabel}
              </text>
            )
            : null}
          {spec.yLabel
            ? (
              <text
                transform={`translate(14,${px(top + gridH / 2)}) rotate(-90)`}
                text-anchor="middle"
                dy="0.35em"
              >
                {spec.yLabel}
              </text>
            )
            : null}
        </g>
        <ColorBar
          x={left + gridW + 16}
          y={top}
          height={Math.max(40, gridH)}
          scale={linearScale([lo, hi], [0, 1])}
          name={name}
          theme={theme}
        />
      </g>
    </SvgRoot>
  );
}
