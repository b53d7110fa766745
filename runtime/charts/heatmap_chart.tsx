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
 * import assert from "node:assert/strict";
 * import { heatmapDomain } from "./heatmap_chart.tsx";
 * assert.deepEqual(heatmapDomain([[-1, 3]], "diverging"), [-3, 3]);
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

/** Least distance between the centres of two row labels (and of two rotated column labels). */
const ROW_LABEL_PITCH = 13;
/** Height kept under the chart for the note that says labels were thinned. */
const NOTE_SPACE = 16;

/**
 * Picks which labels to draw along an axis of cells `pitch` pixels apart: each non-empty label
 * whose centre is at least `gap(previous, label)` from the previous one drawn (empty labels
 * take no room, so sparse labels such as every 20th time step are all kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { thinLabels } from "./heatmap_chart.tsx";
 * assert.deepEqual(thinLabels(["a", "b", "c", "d"], 20, () => 13), [true, true, true, true]);
 * assert.deepEqual(thinLabels(["a", "b", "c", "d"], 7, () => 13), [true, false, true, false]);
 * assert.deepEqual(thinLabels(["0", "", "", "3"], 7, () => 13), [true, false, false, true]);
 * ```
 */
export function thinLabels(
  labels: readonly string[],
  pitch: number,
  gap: (previous: string, label: string) => number,
): boolean[] {
  let last = -1;
  return labels.map((label, i) => {
    if (label === "") return false;
    if (last >= 0 && (i - last) * pitch < gap(labels[last]!, label) - 1e-9) return false;
    last = i;
    return true;
  });
}

/**
 * The note under a heatmap whose labels were thinned, fitted to `room` pixels, or `undefined`
 * when every label is drawn.
 */
function thinningNote(
  rowLabels: readonly string[],
  rowShown: readonly boolean[],
  colLabels: readonly string[],
  colShown: readonly boolean[],
  room: number,
): string | undefined {
  const count = (labels: readonly string[], shown: readonly boolean[]) => ({
    all: labels.slice(0, shown.length).filter((l) => l !== "").length,
    drawn: shown.filter(Boolean).length,
  });
  const rows = count(rowLabels, rowShown);
  const cols = count(colLabels, colShown);
  const parts: [string, string][] = [];
  if (rows.drawn < rows.all) {
    parts.push([`${rows.drawn} of ${rows.all} row`, `${rows.drawn}/${rows.all} rows`]);
  }
  if (cols.drawn < cols.all) {
    parts.push([`${cols.drawn} of ${cols.all} column`, `${cols.drawn}/${cols.all} columns`]);
  }
  if (parts.length === 0) return undefined;
  const long = parts.map((p) => p[0]).join(" and ");
  const short = parts.map((p) => p[1]).join(", ");
  const candidates = [
    `Showing ${long} labels (too little room); hover a cell for its row and column.`,
    `Showing ${long} labels; hover a cell for its position.`,
    `Labels shown: ${short}`,
  ];
  const fits = candidates.find((text) => textWidth(text, FONT_SIZE.tick) <= room);
  if (fits !== undefined) return fits;
  const chars = Math.max(2, Math.floor(room / (FONT_SIZE.tick * 0.6)));
  return candidates[2]!.slice(0, chars - 1) + "…";
}

/**
 * Draws a heatmap: one `<rect class="cell">` per matrix entry, row 0 at the top.
 * Non-finite entries are drawn as hatched-looking gray cells.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { HeatmapChart } from "./heatmap_chart.tsx";
 * const svg = render(<HeatmapChart spec={{ kind: "heatmap", values: [[1, 0], [0, 1]], annotate: true }} />);
 * assert.equal(svg.match(/<rect class="cell"/g)?.length, 4);
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
  const availW = Math.max(1, width - left - barSpace - 12);
  const hasRowLabels = (spec.rowLabels ?? []).some((l) => l !== "");
  // Column labels go under the cells, rotated when they would not fit side by side.
  const firstGuess = Math.min(availW / Math.max(1, cols), (height - top - 20) / Math.max(1, rows));
  const rotate = colLabelWidth > firstGuess - 2;
  const labelBand = spec.colLabels ? (rotate ? colLabelWidth * 0.75 + 10 : 18) : 0;
  const layout = (noteSpace: number) => {
    const availH = Math.max(1, height - top - 10 - labelBand - (spec.xLabel ? 20 : 0) - noteSpace);
    const square = Math.max(1, Math.min(availW / Math.max(1, cols), availH / Math.max(1, rows)));
    // Square cells, unless they are too short to label each row: then rows take the height.
    const cellH = hasRowLabels && square < ROW_LABEL_PITCH
      ? Math.max(square, availH / Math.max(1, rows))
      : square;
    const cellW = Math.max(1, Math.min(availW / Math.max(1, cols), cellH));
    const rowShown = thinLabels(
      (spec.rowLabels ?? []).slice(0, rows),
      cellH,
      () => ROW_LABEL_PITCH,
    );
    const colShown = thinLabels(
      (spec.colLabels ?? []).slice(0, cols),
      cellW,
      (a, b) =>
        rotate
          ? ROW_LABEL_PITCH
          : (textWidth(a, FONT_SIZE.tick) + textWidth(b, FONT_SIZE.tick)) / 2 + 4,
    );
    return { cellW, cellH, rowShown, colShown };
  };
  let { cellW, cellH, rowShown, colShown } = layout(0);
  let note = thinningNote(
    spec.rowLabels ?? [],
    rowShown,
    spec.colLabels ?? [],
    colShown,
    width - 16,
  );
  if (note !== undefined) {
    ({ cellW, cellH, rowShown, colShown } = layout(NOTE_SPACE));
    note = thinningNote(spec.rowLabels ?? [], rowShown, spec.colLabels ?? [], colShown, width - 16);
  }
  const gridW = cellW * cols;
  const gridH = cellH * rows;
  // Centre the grid and its colour bar under the title.
  const offset = Math.max(0, (width - (left + gridW + barSpace)) / 2);
  const cell = Math.min(cellW, cellH);
  const annotate = spec.annotate && cell >= 16;
  const annotateSize = Math.min(FONT_SIZE.tick, Math.floor(cell * 0.36));
  const cells: JSX.Element[] = [];
  const notes: JSX.Element[] = [];
  spec.values.forEach((row, r) =>
    row.forEach((v, c) => {
      const finite = Number.isFinite(v);
      const t = (v - lo) / (hi - lo);
      cells.push(
        <rect
          class="cell"
          x={px(left + c * cellW)}
          y={px(top + r * cellH)}
          width={px(cellW + 0.5)}
          height={px(cellH + 0.5)}
          fill={finite ? colorScale(name, t) : "#bbb"}
        >
          <title>{`[${r}, ${c}] ${formatValue(v, 4)}`}</title>
        </rect>,
      );
      if (annotate) {
        notes.push(
          <text
            x={px(left + (c + 0.5) * cellW)}
            y={px(top + (r + 0.5) * cellH)}
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
            rowShown[r]
              ? (
                <text x={left - 6} y={px(top + (r + 0.5) * cellH)} dy="0.35em" text-anchor="end">
                  {l}
                </text>
              )
              : null
          )}
        </g>
        <g class="col-labels" font-size={FONT_SIZE.tick} style={{ fill: theme.muted }}>
          {(spec.colLabels ?? []).slice(0, cols).map((l, c) => {
            if (!colShown[c]) return null;
            const cx = left + (c + 0.5) * cellW;
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
      {note !== undefined
        ? (
          <text
            class="label-note"
            x={8}
            y={height - 6}
            font-size={FONT_SIZE.tick}
            style={{ fill: theme.muted }}
          >
            {note}
          </text>
        )
        : null}
    </SvgRoot>
  );
}
