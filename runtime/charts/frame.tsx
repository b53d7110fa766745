/**
 * Shared chart chrome: the `<svg>` root, layout of margins, title, axis labels, axes with
 * ticks and grid lines, and a wrapping legend. Used by every chart family.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";
import type { Scale } from "./scale.ts";
import type { Theme } from "./theme.ts";
import { formatTick } from "./ticks.ts";

/** Props every chart component takes besides its spec. */
export interface ChartOptions {
  /** Pixel width when the spec has none (the browser passes its container width). */
  width?: number;
  /**
   * The widest the chart may be drawn (the browser passes its container width): a spec's own
   * `width` beyond it gives way, so a chart never overflows its column.
   */
  maxWidth?: number;
  /** Colours; default {@link cssTheme} in components, {@link standaloneTheme} in SVG files. */
  theme?: Theme;
  /** Prefix for `id` attributes (clip paths), unique per chart on the page. */
  idPrefix?: string;
}

/** Default size of a chart when neither the spec nor the container gives one. */
export const DEFAULT_WIDTH = 640;
/** Default height (the width-independent part of the layout). */
export const DEFAULT_HEIGHT = 360;
/** Font sizes in pixels. */
export const FONT_SIZE = { tick: 11, label: 12, title: 14, legend: 12 } as const;

/**
 * Estimates the rendered width of `text` in pixels (no DOM on the server, so ~0.6em per char).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textWidth } from "./frame.tsx";
 * assert.equal(textWidth("0.25", 10), 24);
 * ```
 */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/** Formats a coordinate with one decimal, for compact path strings. */
export function px(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/** The plotting rectangle inside the margins. */
export interface PlotRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One legend entry; `mark` picks the swatch. */
export interface LegendItem {
  name: string;
  color: string;
  mark?: "line" | "dashed" | "point" | "box";
}

/** Legend entries placed in rows that wrap at the available width. */
export interface LegendLayout {
  height: number;
  placements: { item: LegendItem; x: number; row: number }[];
}

const LEGEND_ROW = 18;

/**
 * Places legend items left to right, wrapping at `maxWidth`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { layoutLegend } from "./frame.tsx";
 * assert.equal(layoutLegend([{ name: "train", color: "#4e79a7" }], 600).height, 18);
 * ```
 */
export function layoutLegend(items: LegendItem[], maxWidth: number): LegendLayout {
  const placements: LegendLayout["placements"] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const w = 24 + textWidth(item.name, FONT_SIZE.legend) + 14;
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      row++;
    }
    placements.push({ item, x, row });
    x += w;
  }
  return { height: items.length ? (row + 1) * LEGEND_ROW : 0, placements };
}

/** Draws a legend laid out by {@link layoutLegend} with its top-left corner at (x, y). */
export function Legend(
  { layout, x, y, theme }: { layout: LegendLayout; x: number; y: number; theme: Theme },
): JSX.Element {
  return (
    <g class="legend" transform={`translate(${px(x)},${px(y)})`}>
      {layout.placements.map(({ item, x: ix, row }) => {
        const cy = row * LEGEND_ROW + LEGEND_ROW / 2;
        const mark = item.mark ?? "line";
        return (
          <g class="legend-item">
            {mark === "point"
              ? <circle cx={ix + 9} cy={cy} r={4.5} fill={item.color} />
              : mark === "box"
              ? <rect x={ix + 2} y={cy - 6} width={14} height={12} rx={2} fill={item.color} />
              : (
                <line
                  x1={ix}
                  x2={ix + 18}
                  y1={cy}
                  y2={cy}
                  stroke={item.color}
                  stroke-width={2.5}
                  stroke-dasharray={mark === "dashed" ? "5 3" : undefined}
                />
              )}
            <text
              x={ix + 24}
              y={cy}
              dy="0.35em"
              font-size={FONT_SIZE.legend}
              style={{ fill: theme.fg }}
            >
              {item.name}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** What the margins must make room for. */
export interface LayoutInput {
  width: number;
  height: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  legend?: LegendLayout;
  /** Formatted y tick labels (their width sets the left margin). */
  yTickLabels?: string[];
  /** Whether x tick labels are drawn under the plot. */
  hasXTicks?: boolean;
  /** Extra space on the right (colour bar). */
  right?: number;
  /** Extra space at the bottom (rotated labels). */
  bottom?: number;
  /** The least left margin (room for rotated labels that reach left of the plot). */
  minLeft?: number;
}

/** Vertical offset of the title baseline and of the legend's top. */
export function titleHeight(title?: string): number {
  return title ? 28 : 10;
}

/**
 * Computes the plot rectangle from the chart size and what surrounds the plot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { layoutPlot } from "./frame.tsx";
 * assert.equal(layoutPlot({ width: 640, height: 360, yTickLabels: ["0.5"] }).left, 35.8);
 * ```
 */
export function layoutPlot(input: LayoutInput): PlotRect {
  const tickWidth = Math.max(
    0,
    ...(input.yTickLabels ?? []).map((t) => textWidth(t, FONT_SIZE.tick)),
  );
  const left = Math.max(8 + (input.yLabel ? 20 : 0) + tickWidth + 8, input.minLeft ?? 0);
  const top = titleHeight(input.title) + (input.legend?.height ? input.legend.height + 6 : 0);
  const bottom = 8 + (input.hasXTicks === false ? 0 : 18) + (input.xLabel ? 20 : 0) +
    (input.bottom ?? 0);
  const right = 18 + (input.right ?? 0);
  return {
    left,
    top,
    width: Math.max(10, input.width - left - right),
    height: Math.max(10, input.height - top - bottom),
  };
}

/** The `<svg>` root: explicit size, `xmlns`, font and background, and the title. */
export function SvgRoot(
  { width, height, theme, title, kind, children }: {
    width: number;
    height: number;
    theme: Theme;
    title?: string;
    kind: string;
    children?: ComponentChildren;
  },
): JSX.Element {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class={`gradbook-chart chart-${kind}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      font-family={theme.font.startsWith("var(") ? undefined : theme.font}
      style={theme.font.startsWith("var(") ? { fontFamily: theme.font } : undefined}
    >
      <rect
        class="background"
        width={width}
        height={height}
        rx={4}
        style={{ fill: theme.background }}
      />
      {title ? <Title title={title} width={width} theme={theme} /> : null}
      {children}
    </svg>
  );
}

/**
 * Fits a title to `room` pixels: the title font shrinks down to the tick size, then the text ends
 * in "…".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitTitle } from "./frame.tsx";
 * assert.deepEqual(fitTitle("Loss", 600), { text: "Loss", fontSize: 14 });
 * assert.equal(fitTitle("x".repeat(100), 300).text.endsWith("…"), true);
 * ```
 */
export function fitTitle(title: string, room: number): { text: string; fontSize: number } {
  const full = textWidth(title, FONT_SIZE.title);
  if (full <= room) return { text: title, fontSize: FONT_SIZE.title };
  const fontSize = Math.max(FONT_SIZE.tick, Math.floor((FONT_SIZE.title * room) / full));
  const chars = Math.floor(room / (fontSize * 0.6));
  return {
    text: title.length <= chars ? title : title.slice(0, Math.max(1, chars - 1)) + "…",
    fontSize,
  };
}

/** The chart's title, centred and fitted to its width (the whole title is its tooltip). */
function Title(
  { title, width, theme }: { title: string; width: number; theme: Theme },
): JSX.Element {
  const { text, fontSize } = fitTitle(title, width - 16);
  return (
    <text
      class="title"
      x={width / 2}
      y={19}
      text-anchor="middle"
      font-size={fontSize}
      font-weight={600}
      style={{ fill: theme.fg }}
    >
      {text !== title ? <title>{title}</title> : null}
      {text}
    </text>
  );
}

/** Axis titles centred under the x axis and beside the y axis. */
export function AxisLabels(
  { plot, xLabel, yLabel, theme, xOffset = 0 }: {
    plot: PlotRect;
    xLabel?: string;
    yLabel?: string;
    theme: Theme;
    /** Extra distance below the x tick labels (rotated labels). */
    xOffset?: number;
  },
): JSX.Element {
  const cy = plot.top + plot.height / 2;
  return (
    <g class="axis-labels" font-size={FONT_SIZE.label} style={{ fill: theme.fg }}>
      {xLabel
        ? (
          <text
            x={plot.left + plot.width / 2}
            y={plot.top + plot.height + 36 + xOffset}
            text-anchor="middle"
          >
            {xLabel}
          </text>
        )
        : null}
      {yLabel
        ? (
          <text transform={`translate(14,${px(cy)}) rotate(-90)`} text-anchor="middle" dy="0.35em">
            {yLabel}
          </text>
        )
        : null}
    </g>
  );
}

/** Grid lines, axis lines, tick marks and tick labels for an x and a y scale. */
export function Axes(
  { plot, x, y, theme, xTicks, yTicks, format = formatTick, grid = true }: {
    plot: PlotRect;
    x?: Scale;
    y?: Scale;
    theme: Theme;
    xTicks?: number[];
    yTicks?: number[];
    format?: (value: number) => string;
    grid?: boolean;
  },
): JSX.Element {
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;
  const xs = x ? (xTicks ?? x.ticks(Math.max(2, Math.round(plot.width / 90)))) : [];
  const ys = y ? (yTicks ?? y.ticks(Math.max(2, Math.round(plot.height / 55)))) : [];
  return (
    <g class="axes" font-size={FONT_SIZE.tick}>
      {grid
        ? (
          <g class="grid" style={{ stroke: theme.grid }} stroke-width={1}>
            {xs.map((t) => {
              const p = x!.map(t);
              return <line key={t} x1={px(p)} x2={px(p)} y1={plot.top} y2={bottom} />;
            })}
            {ys.map((t) => {
              const p = y!.map(t);
              return <line key={t} x1={plot.left} x2={right} y1={px(p)} y2={px(p)} />;
            })}
          </g>
        )
        : null}
      <g class="ticks" style={{ stroke: theme.axis }}>
        {x ? <line x1={plot.left} x2={right} y1={bottom} y2={bottom} /> : null}
        {y ? <line x1={plot.left} x2={plot.left} y1={plot.top} y2={bottom} /> : null}
        {xs.map((t) => {
          const p = px(x!.map(t));
          return <line key={t} x1={p} x2={p} y1={bottom} y2={bottom + 4} />;
        })}
        {ys.map((t) => {
          const p = px(y!.map(t));
          return <line key={t} x1={plot.left - 4} x2={plot.left} y1={p} y2={p} />;
        })}
      </g>
      <g class="tick-labels" style={{ fill: theme.muted }}>
        {xs.map((t) => (
          <text x={px(x!.map(t))} y={bottom + 16} text-anchor="middle">{format(t)}</text>
        ))}
        {ys.map((t) => (
          <text x={plot.left - 7} y={px(y!.map(t))} dy="0.35em" text-anchor="end">{format(t)}</text>
        ))}
      </g>
    </g>
  );
}
