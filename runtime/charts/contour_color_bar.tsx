/**
 * The colour bar of a contour chart: one equal-height band per gap between contour levels
 * (so every band of the picture has its own swatch, however the levels are spaced), with the
 * level values written beside it. Log-spaced levels are labelled by their distance above the
 * minimum in powers of ten (`f − min`: 1e-3, 0.01, 0.1, 1), which is what their spacing means.
 *
 * @module
 */
import type { JSX } from "preact";
import type { Theme } from "./theme.ts";
import { FONT_SIZE, px, textWidth } from "./frame.tsx";
import { formatTick, formatValue, logTicks, niceTicks } from "./ticks.ts";

/** A label on the bar; `at` is its height from the bottom, 0 (minimum) to 1 (maximum). */
export interface BarTick {
  at: number;
  label: string;
}

/** What a contour colour bar shows, independent of its size. */
export interface ContourBarScale {
  /** Band edges from the minimum up: `[min, ...levels inside (min, max), max]`. */
  edges: number[];
  /** Candidate labels, bottom to top (thinned to fit by {@link ContourColorBar}). */
  ticks: BarTick[];
  /** Title of the bar: "f", or "f − min, min = …" for log levels above a non-zero minimum. */
  caption: string;
}

/**
 * Returns the bands and labels of the colour bar for contour `levels` (ascending) over data in
 * `[min, max]`, or `null` when the data is constant. Linear levels get nice round values;
 * log levels get powers of ten of `value − min`, placed between the levels in log space.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contourBarScale } from "./contour_color_bar.tsx";
 * const bar = contourBarScale(0, 1000, [1, 10, 100, 1000], true)!;
 * assert.deepEqual(bar.ticks.map((t) => t.label), ["0", "1", "10", "100", "1000"]);
 * ```
 */
export function contourBarScale(
  min: number,
  max: number,
  levels: number[],
  log = false,
  maxTicks = 8,
): ContourBarScale | null {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return null;
  // NOTE: the top log level is max itself (up to rounding): it bounds no band, so it is dropped.
  const tolerance = (max - min) * 1e-9;
  const inside = levels.filter((l) => l > min + tolerance && l < max - tolerance);
  const edges = [min, ...inside, max];
  const bands = edges.length - 1;
  const coordinate = (v: number, k: number) =>
    log && k > 0 ? Math.log10(Math.max(v - min, Number.MIN_VALUE)) : v;
  /** Height of `v` on the bar: its band, plus its place inside the band. */
  const position = (v: number): number => {
    let k = 0;
    while (k < bands - 1 && v > edges[k + 1]!) k++;
    const lo = coordinate(edges[k]!, k);
    const hi = coordinate(edges[k + 1]!, k);
    const frac = hi > lo ? (coordinate(v, k) - lo) / (hi - lo) : 0;
    return (k + Math.min(1, Math.max(0, frac))) / bands;
  };
  if (!log) {
    const ticks = niceTicks(min, max, maxTicks)
      .filter((v) => v >= min && v <= max)
      .map((v) => ({ at: position(v), label: formatTick(v) }));
    return { edges, ticks, caption: "f" };
  }
  const offsets = logTicks(Math.max(inside[0] ?? max, min + tolerance) - min, max - min, maxTicks)
    .filter((d) => d >= 1e-12 && min + d <= max + tolerance);
  const ticks = [
    { at: 0, label: "0" },
    ...offsets.map((d) => ({ at: position(min + d), label: formatTick(d) })),
  ];
  const caption = min === 0 ? "f" : `f − min, min = ${formatValue(min, 3)}`;
  return { edges, ticks, caption };
}

/** Space the bar takes to the right of the plot, in pixels (gap, bar, labels, caption). */
export function contourBarWidth(scale: ContourBarScale): number {
  const labels = Math.max(0, ...scale.ticks.map((t) => textWidth(t.label, FONT_SIZE.tick)));
  return GAP + BAR + 7 + labels + 8 + FONT_SIZE.tick + 4;
}

const GAP = 14;
const BAR = 11;
/** Labels closer than this (pixels) to the one below are left out. */
const MIN_LABEL_GAP = 13;

/**
 * Draws the bar of {@link contourBarScale} beside the plot: `x` is the plot's right edge,
 * `y`/`height` its vertical extent. `bandColor(k)` colours band `k` from the bottom; with
 * `lineColor` instead, the bar shows each level as a coloured line (unfilled contours).
 */
export function ContourColorBar(
  { scale, x, y, height, theme, bandColor, lineColor }: {
    scale: ContourBarScale;
    x: number;
    y: number;
    height: number;
    theme: Theme;
    bandColor?: (band: number) => string;
    lineColor?: (level: number) => string;
  },
): JSX.Element {
  const left = x + GAP;
  const bands = scale.edges.length - 1;
  const band = height / bands;
  const yOf = (at: number) => y + height - at * height;
  const shown: BarTick[] = [];
  for (const tick of scale.ticks) {
    const last = shown[shown.length - 1];
    if (last === undefined || (tick.at - last.at) * height >= MIN_LABEL_GAP) shown.push(tick);
  }
  const labelWidth = Math.max(0, ...scale.ticks.map((t) => textWidth(t.label, FONT_SIZE.tick)));
  const captionX = left + BAR + 7 + labelWidth + 8;
  return (
    <g class="color-bar" font-size={FONT_SIZE.tick}>
      {Array.from({ length: bands }, (_, k) =>
        bandColor
          ? (
            <rect
              class="color-band"
              x={px(left)}
              y={px(y + height - (k + 1) * band)}
              width={BAR}
              height={px(band + 0.5)}
              fill={bandColor(k)}
            >
              <title>
                {`${formatValue(scale.edges[k]!, 3)} to ${formatValue(scale.edges[k + 1]!, 3)}`}
              </title>
            </rect>
          )
          : k > 0 && lineColor
          ? (
            <line
              class="color-level"
              x1={px(left)}
              x2={px(left + BAR)}
              y1={px(y + height - k * band)}
              y2={px(y + height - k * band)}
              stroke={lineColor(k - 1)}
              stroke-width={1.5}
            />
          )
          : null)}
      <rect
        x={px(left)}
        y={px(y)}
        width={BAR}
        height={px(height)}
        fill="none"
        style={{ stroke: theme.axis }}
      />
      <g class="color-ticks" style={{ fill: theme.muted }}>
        {shown.map((tick) => (
          <g>
            <line
              x1={px(left + BAR)}
              x2={px(left + BAR + 4)}
              y1={px(yOf(tick.at))}
              y2={px(yOf(tick.at))}
              style={{ stroke: theme.axis }}
            />
            <text x={px(left + BAR + 7)} y={px(yOf(tick.at))} dy="0.35em">{tick.label}</text>
          </g>
        ))}
      </g>
      <text
        class="color-caption"
        transform={`translate(${px(captionX + FONT_SIZE.tick)},${px(y + height / 2)}) rotate(-90)`}
        text-anchor="middle"
        style={{ fill: theme.muted }}
      >
        {scale.caption}
      </text>
    </g>
  );
}
