/**
 * Chart specs: plain JSON that a cell produces (`plot.line(...)`), the kernel sends as
 * `application/vnd.gradbook.chart+json`, and the Preact components in `runtime/charts/` draw (live in the
 * browser, and as a static SVG fallback on the server / in Jupyter).
 *
 * @module
 */

/** Common options of every chart. */
export interface ChartBase {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixel width; default: responsive (fills the output area) in the browser, 640 in SVG. */
  width?: number;
  height?: number;
}

/** One named series of a line chart. */
export interface LineSeries {
  name: string;
  x?: number[]; // default 0..n-1
  y: number[];
  color?: string;
  dashed?: boolean;
  /** Draw a dot at each point instead of joining the points with a line (e.g. training data). */
  points?: boolean;
}

export interface LineChartSpec extends ChartBase {
  kind: "line";
  series: LineSeries[];
  logY?: boolean;
  logX?: boolean;
  /** Optional vertical markers (e.g. early-stopping point). */
  markers?: { x: number; label?: string }[];
}

export interface ScatterChartSpec extends ChartBase {
  kind: "scatter";
  x: number[];
  y: number[];
  /** Class label per point; colours by class. */
  labels?: (number | string)[];
  size?: number;
}

export interface HeatmapChartSpec extends ChartBase {
  kind: "heatmap";
  /** Row-major values, rows x cols. */
  values: number[][];
  colorScale?: "viridis" | "gray" | "diverging";
  rowLabels?: string[];
  colLabels?: string[];
  /** Print values in cells. */
  annotate?: boolean;
  /** Colour-scale bounds (default: the finite data range, symmetric around 0 for diverging). */
  min?: number;
  max?: number;
}

/** A grid of small grayscale/colour images (digits, STN outputs, Hopfield patterns). */
export interface ImageGridChartSpec extends ChartBase {
  kind: "images";
  /** Each image row-major `height x width` in [0,1] (or use `min`/`max`). */
  images: number[][];
  imageWidth: number;
  imageHeight: number;
  columns?: number;
  captions?: string[];
  min?: number;
  max?: number;
  /** Optional overlay of sampling grids: per image, points in pixel coordinates. */
  overlays?: { x: number[]; y: number[] }[];
}

export interface BarChartSpec extends ChartBase {
  kind: "bar";
  labels: string[];
  values: number[];
  /** Legend name of `values` when `series` adds more groups (default "values"). */
  name?: string;
  /** Optional second group of bars. */
  series?: { name: string; values: number[] }[];
}

export interface ContourChartSpec extends ChartBase {
  kind: "contour";
  /** Grid of f values: values[j][i] = f(x[i], y[j]). */
  x: number[];
  y: number[];
  values: number[][];
  levels?: number;
  logLevels?: boolean;
  /** Filled bands (default) or contour lines only. */
  filled?: boolean;
  /** Colour scale of the levels (default "viridis"). */
  colorScale?: "viridis" | "gray" | "diverging";
  /** A colour bar of the level values beside the plot (default true). */
  colorBar?: boolean;
  /** Optimizer trajectories overlaid on the contour. */
  paths?: { name: string; x: number[]; y: number[]; color?: string }[];
  points?: { x: number; y: number; label?: string }[];
}

export interface RasterChartSpec extends ChartBase {
  kind: "raster";
  /** spikes[i] = spike times of neuron i. */
  spikes: number[][];
  tMax?: number;
}

/** Any chart. */
export type ChartSpec =
  | LineChartSpec
  | ScatterChartSpec
  | HeatmapChartSpec
  | ImageGridChartSpec
  | BarChartSpec
  | ContourChartSpec
  | RasterChartSpec;
