/**
 * Chart helpers: each returns a {@link Chart} whose MIME bundle holds the chart spec
 * (`application/vnd.gradbook.chart+json`, drawn live by the notebook) and a static SVG fallback
 * (`image/svg+xml`, for Deno's Jupyter kernel and exports).
 *
 * @module
 */
import { CHART_MIME, type MimeBundle } from "../vocabulary.ts";
import { renderChartSvg } from "../charts/render_svg.ts";
import type {
  BarChartSpec,
  ChartBase,
  ChartSpec,
  ContourChartSpec,
  HeatmapChartSpec,
  ImageGridChartSpec,
  LineChartSpec,
  LineSeries,
  RasterChartSpec,
  ScatterChartSpec,
} from "../charts/spec.ts";
import { JUPYTER_DISPLAY } from "./mime.ts";

/** A chart: a spec plus the display protocol. */
export class Chart<S extends ChartSpec = ChartSpec> {
  constructor(readonly spec: S) {}
  /** Returns the chart spec with an SVG fallback (Jupyter display protocol). */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      [CHART_MIME]: this.spec,
      "image/svg+xml": renderChartSvg(this.spec),
      "text/plain": `<${this.spec.kind} chart${this.spec.title ? `: ${this.spec.title}` : ""}>`,
    };
  }
}

/** Something with numbers: an array, a typed array, or an object with `toArray()`. */
export type NumbersLike = ArrayLike<number> | { toArray(): unknown };

function numbers(values: NumbersLike): number[] {
  const array = "toArray" in values && typeof values.toArray === "function"
    ? values.toArray()
    : values;
  return Array.from(array as ArrayLike<unknown>, Number);
}

function matrix(values: ArrayLike<NumbersLike> | { toArray(): unknown }): number[][] {
  const array = "toArray" in values && typeof values.toArray === "function"
    ? values.toArray()
    : values;
  return Array.from(array as ArrayLike<NumbersLike>, (row) => numbers(row));
}

/**
 * Line chart of one series (`plot.line([3, 2, 1])`), named series (`plot.line({ train, test })`)
 * or full series objects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plot } from "./plot.ts";
 * const chart = plot.line({ train: [1, 0.5, 0.3], test: [1.1, 0.7, 0.6] }, { title: "Loss", logY: true });
 * assert.equal(chart.spec.kind, "line");
 * assert.equal(chart.spec.series.length, 2);
 * ```
 */
function line(
  data: NumbersLike | Record<string, NumbersLike> | LineSeries[],
  options: Omit<LineChartSpec, "kind" | "series"> = {},
): Chart<LineChartSpec> {
  let series: LineSeries[];
  if (Array.isArray(data) && data.length > 0 && typeof data[0] === "object") {
    series = data as LineSeries[];
  } else if (isNumbersLike(data)) {
    series = [{ name: "y", y: numbers(data) }];
  } else {
    series = Object.entries(data as Record<string, NumbersLike>).map(([name, y]) => ({
      name,
      y: numbers(y),
    }));
  }
  return new Chart({ ...options, kind: "line", series });
}

function isNumbersLike(value: unknown): value is NumbersLike {
  return Array.isArray(value) || ArrayBuffer.isView(value) ||
    (typeof value === "object" && value !== null && "toArray" in value);
}

/** Scatter plot; `labels` colours points by class. */
function scatter(
  x: NumbersLike,
  y: NumbersLike,
  options: Omit<ScatterChartSpec, "kind" | "x" | "y"> = {},
): Chart<ScatterChartSpec> {
  return new Chart({ ...options, kind: "scatter", x: numbers(x), y: numbers(y) });
}

/** Heatmap of a matrix (rows x cols), e.g. a weight matrix or a confusion matrix. */
function heatmap(
  values: ArrayLike<NumbersLike> | { toArray(): unknown },
  options: Omit<HeatmapChartSpec, "kind" | "values"> = {},
): Chart<HeatmapChartSpec> {
  return new Chart({ ...options, kind: "heatmap", values: matrix(values) });
}

/**
 * A grid of images, each a flat row-major array of `imageHeight * imageWidth` values, or one
 * matrix (a single image).
 */
function image(
  images: ArrayLike<NumbersLike> | NumbersLike,
  options: Omit<ImageGridChartSpec, "kind" | "images" | "imageWidth" | "imageHeight"> & {
    imageWidth?: number;
    imageHeight?: number;
  } = {},
): Chart<ImageGridChartSpec> {
  const rows = matrix(images as ArrayLike<NumbersLike>);
  const isSingleMatrix = options.imageWidth === undefined && options.imageHeight === undefined;
  if (isSingleMatrix) {
    const imageHeight = rows.length;
    const imageWidth = rows[0]?.length ?? 0;
    return new Chart({
      ...options,
      kind: "images",
      images: [rows.flat()],
      imageWidth,
      imageHeight,
    });
  }
  const imageWidth = options.imageWidth ?? Math.round(Math.sqrt(rows[0]?.length ?? 0));
  const imageHeight = options.imageHeight ?? Math.round((rows[0]?.length ?? 0) / imageWidth);
  for (const [i, row] of rows.entries()) {
    if (row.length !== imageWidth * imageHeight) {
      throw new RangeError(
        `plot.image: image ${i} has ${row.length} values, expected ${imageHeight}x${imageWidth}`,
      );
    }
  }
  return new Chart({ ...options, kind: "images", images: rows, imageWidth, imageHeight });
}

/** Bar chart. */
function bar(
  labels: readonly (string | number)[],
  values: NumbersLike,
  options: Omit<BarChartSpec, "kind" | "labels" | "values"> = {},
): Chart<BarChartSpec> {
  return new Chart({
    ...options,
    kind: "bar",
    labels: labels.map(String),
    values: numbers(values),
  });
}

/** Grid of a contour plot: `x` and `y` ranges and the number of samples per axis. */
export interface ContourGrid {
  x: [number, number];
  y: [number, number];
  /** Samples per axis (default 60). */
  resolution?: number;
}

/**
 * Contour plot of `f(x, y)` sampled on a grid (or of given `{ x, y, values }`), optionally with
 * optimizer paths on top.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plot } from "./plot.ts";
 * const chart = plot.contour((x, y) => x * x + 10 * y * y, { x: [-2, 2], y: [-1, 1] }, { levels: 12 });
 * assert.equal(chart.spec.kind, "contour");
 * ```
 */
function contour(
  f: ((x: number, y: number) => number) | { x: number[]; y: number[]; values: number[][] },
  grid?: ContourGrid,
  options: Omit<ContourChartSpec, "kind" | "x" | "y" | "values"> = {},
): Chart<ContourChartSpec> {
  if (typeof f !== "function") return new Chart({ ...options, kind: "contour", ...f });
  if (grid === undefined) throw new TypeError("plot.contour: a function needs a grid { x, y }");
  const n = grid.resolution ?? 60;
  const axis = ([lo, hi]: [number, number]) =>
    Array.from({ length: n }, (_, i) => lo + (hi - lo) * i / (n - 1));
  const x = axis(grid.x);
  const y = axis(grid.y);
  const values = y.map((yj) => x.map((xi) => f(xi, yj)));
  return new Chart({ ...options, kind: "contour", x, y, values });
}

/** Spike raster: `spikes[i]` holds the spike times of neuron `i`. */
function raster(
  spikes: readonly NumbersLike[],
  options: Omit<RasterChartSpec, "kind" | "spikes"> = {},
): Chart<RasterChartSpec> {
  return new Chart({ ...options, kind: "raster", spikes: spikes.map(numbers) });
}

/** Chart helpers: `plot.line`, `plot.scatter`, `plot.heatmap`, `plot.image`, `plot.bar`, ... */
export const plot = {
  line,
  scatter,
  heatmap,
  image,
  images: image,
  bar,
  contour,
  raster,
  /** Wraps a chart spec you built yourself. */
  chart: <S extends ChartSpec>(spec: S): Chart<S> => new Chart(spec),
};

export type { ChartBase, ChartSpec };
