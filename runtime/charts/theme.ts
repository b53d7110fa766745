/**
 * Colours and fonts: the categorical palette, sequential/diverging colour scales, and the two
 * themes (CSS custom properties for the web client, fixed colours for standalone SVG).
 *
 * @module
 */

/** Colours a chart uses for its chrome (text, axes, grid, background). */
export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  axis: string;
  /** Background painted behind the chart; `"none"` paints nothing. */
  background: string;
  /** Colour of halos drawn under lines and labels so they stay readable on fills. */
  halo: string;
  font: string;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Theme for the browser: every colour is a CSS custom property with a light-theme fallback, so
 * the client can restyle charts for dark mode by setting `--chart-fg`, `--chart-muted`,
 * `--chart-grid`, `--chart-axis`, `--chart-bg` and `--chart-halo`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cssTheme } from "./theme.ts";
 * assert.equal(cssTheme.fg, "var(--chart-fg, #222)");
 * ```
 */
export const cssTheme: Theme = {
  fg: "var(--chart-fg, #222)",
  muted: "var(--chart-muted, #666)",
  grid: "var(--chart-grid, rgba(128, 128, 128, 0.22))",
  axis: "var(--chart-axis, #888)",
  background: "var(--chart-bg, none)",
  halo: "var(--chart-halo, #fff)",
  font: `var(--chart-font, ${FONT})`,
};

/**
 * Theme for standalone SVG (Jupyter, files): fixed colours on an opaque white card, so the
 * chart stays readable on white and on dark notebook backgrounds alike.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { standaloneTheme } from "./theme.ts";
 * assert.equal(standaloneTheme.background, "#fff");
 * ```
 */
export const standaloneTheme: Theme = {
  fg: "#222",
  muted: "#555",
  grid: "#e6e6e6",
  axis: "#999",
  background: "#fff",
  halo: "#fff",
  font: FONT,
};

/**
 * Tableau 10 categorical palette (Tableau's 2016 revision): distinct hues that stay readable
 * on light and dark backgrounds.
 */
export const PALETTE: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/**
 * Returns the `index`-th categorical colour, cycling through {@link PALETTE}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { categoricalColor } from "./theme.ts";
 * assert.equal(categoricalColor(0), "#4e79a7");
 * ```
 */
export function categoricalColor(index: number): string {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(index) % n) + n) % n] ?? "#4e79a7";
}

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// Viridis (matplotlib, CC0) sampled at 0, 0.1, ..., 1.
const VIRIDIS = [
  "#440154",
  "#482475",
  "#414487",
  "#355f8d",
  "#2a788e",
  "#21918c",
  "#22a884",
  "#44bf70",
  "#7ad151",
  "#bddf26",
  "#fde725",
].map(hexToRgb);
// ColorBrewer RdBu, reversed so negative is blue and positive red.
const DIVERGING = [
  "#2166ac",
  "#4393c3",
  "#92c5de",
  "#d1e5f0",
  "#f7f7f7",
  "#fddbc7",
  "#f4a582",
  "#d6604d",
  "#b2182b",
].map(hexToRgb);
const GRAY: Rgb[] = [[0, 0, 0], [255, 255, 255]];

/** The colour scales a heatmap or contour can use. */
export type ColorScaleName = "viridis" | "gray" | "diverging";

/**
 * Returns the RGB colour at `t` ∈ [0, 1] of the named scale (clamped; NaN → middle).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colorScaleRgb } from "./theme.ts";
 * assert.deepEqual(colorScaleRgb("gray", 1), [255, 255, 255]);
 * ```
 */
export function colorScaleRgb(name: ColorScaleName, t: number): Rgb {
  const stops = name === "gray" ? GRAY : name === "diverging" ? DIVERGING : VIRIDIS;
  const u = Number.isNaN(t) ? 0.5 : Math.min(1, Math.max(0, t));
  const position = u * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(position));
  const f = position - i;
  const a = stops[i] ?? [0, 0, 0];
  const b = stops[i + 1] ?? a;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as Rgb;
}

/**
 * Returns the CSS colour at `t` ∈ [0, 1] of the named scale, optionally mixed with white
 * (`lighten` ∈ [0, 1]).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colorScale } from "./theme.ts";
 * assert.equal(colorScale("viridis", 0), "rgb(68,1,84)");
 * ```
 */
export function colorScale(name: ColorScaleName, t: number, lighten = 0): string {
  const [r, g, b] = colorScaleRgb(name, t).map((c) => Math.round(c + (255 - c) * lighten));
  return `rgb(${r},${g},${b})`;
}

/**
 * Returns whether dark text reads better than white text on the given RGB fill.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prefersDarkText } from "./theme.ts";
 * assert.ok(prefersDarkText([253, 231, 37]));
 * ```
 */
export function prefersDarkText([r, g, b]: Rgb): boolean {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140;
}
