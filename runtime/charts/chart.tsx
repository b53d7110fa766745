/**
 * `<Chart spec={...} />`: draws any {@link ChartSpec} by dispatching on `spec.kind`, and shows an
 * inline error box (never throws) for an unknown kind or a malformed spec.
 *
 * @module
 */
import type { JSX } from "preact";
import { useRef } from "preact/hooks";
import type { ChartSpec } from "./spec.ts";
import { type ChartOptions, DEFAULT_WIDTH, FONT_SIZE } from "./frame.tsx";
import { cssTheme, type Theme } from "./theme.ts";
import { LineChart } from "./line_chart.tsx";
import { ScatterChart } from "./scatter_chart.tsx";
import { HeatmapChart } from "./heatmap_chart.tsx";
import { ImageGrid } from "./image_grid.tsx";
import { BarChart } from "./bar_chart.tsx";
import { ContourChart } from "./contour_chart.tsx";
import { RasterChart } from "./raster_chart.tsx";

/** The chart kinds {@link Chart} can draw. */
export const CHART_KINDS = [
  "line",
  "scatter",
  "heatmap",
  "images",
  "bar",
  "contour",
  "raster",
] as const;

const NAMES: Record<string, string> = {
  line: "line chart",
  scatter: "scatter chart",
  heatmap: "heatmap",
  images: "image grid",
  bar: "bar chart",
  contour: "contour chart",
  raster: "spike raster",
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === "number" || v === null);
}

function isMatrix(value: unknown): value is number[][] {
  return Array.isArray(value) && value.every(isNumberArray);
}

/**
 * Checks the fields a chart needs and returns what is wrong in a sentence, or `undefined` when
 * `spec` can be drawn. Extra fields are ignored; values may be NaN or ±Infinity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateSpec } from "./chart.tsx";
 * assert.match(validateSpec({ kind: "pie" })!, /^unknown chart kind "pie" \(expected one of line, /);
 * assert.equal(validateSpec({ kind: "bar", labels: ["a"], values: [1] }), undefined);
 * ```
 */
export function validateSpec(spec: unknown): string | undefined {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    return `a chart spec must be an object, got ${describe(spec)}`;
  }
  const s = spec as Record<string, unknown>;
  if (!(CHART_KINDS as readonly unknown[]).includes(s.kind)) {
    return `unknown chart kind ${JSON.stringify(s.kind) ?? "undefined"} (expected one of ${
      CHART_KINDS.join(", ")
    })`;
  }
  const need = (field: string, ok: (v: unknown) => boolean, what: string) =>
    ok(s[field]) ? undefined : `"${field}" must be ${what}, got ${describe(s[field])}`;
  for (const field of ["width", "height"]) {
    if (s[field] !== undefined && !(typeof s[field] === "number" && (s[field] as number) > 0)) {
      return `"${field}" must be a positive number, got ${String(s[field])}`;
    }
  }
  switch (s.kind) {
    case "line": {
      if (!Array.isArray(s.series)) return need("series", () => false, "an array of series");
      const bad = s.series.findIndex((x) =>
        typeof x !== "object" || x === null || !isNumberArray(x.y) ||
        (x.x !== undefined && !isNumberArray(x.x))
      );
      return bad >= 0 ? `series ${bad} must have a number array "y" (and optional "x")` : undefined;
    }
    case "scatter":
      return need("x", isNumberArray, "an array of numbers") ??
        need("y", isNumberArray, "an array of numbers");
    case "heatmap":
      return need("values", isMatrix, "an array of rows of numbers");
    case "images": {
      const w = s.imageWidth;
      const h = s.imageHeight;
      if (!(Number.isInteger(w) && (w as number) > 0 && Number.isInteger(h) && (h as number) > 0)) {
        return `"imageWidth" and "imageHeight" must be positive integers, got ${String(w)} and ${
          String(h)
        }`;
      }
      if (!isMatrix(s.images)) return need("images", () => false, "an array of pixel arrays");
      const size = (w as number) * (h as number);
      const bad = s.images.findIndex((image) => image.length !== size);
      return bad >= 0
        ? `image ${bad} has ${s.images[bad]!.length} values, expected ${w} x ${h} = ${size}`
        : undefined;
    }
    case "bar":
      return need("labels", Array.isArray, "an array of labels") ??
        need("values", isNumberArray, "an array of numbers");
    case "contour": {
      const problem = need("x", isNumberArray, "an array of numbers") ??
        need("y", isNumberArray, "an array of numbers") ??
        need("values", isMatrix, "an array of rows of numbers");
      if (problem) return problem;
      const { x, y, values } = s as { x: number[]; y: number[]; values: number[][] };
      if (x.length < 2 || y.length < 2) {
        return `the grid needs at least 2 x 2 points, got ${x.length} x ${y.length}`;
      }
      const bad = values.findIndex((row) => row.length !== x.length);
      if (values.length !== y.length || bad >= 0) {
        return `"values" must have ${y.length} rows of ${x.length} (values[j][i] = f(x[i], y[j])), got ${values.length} rows${
          bad >= 0 ? ` and row ${bad} has ${values[bad]!.length}` : ""
        }`;
      }
      return undefined;
    }
    case "raster":
      return need("spikes", isMatrix, "an array of spike-time arrays");
  }
  return undefined;
}

/**
 * An SVG box that says a chart could not be drawn, sized like the chart would have been.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { ChartError } from "./chart.tsx";
 * const svg = render(<ChartError message="Cannot draw chart: unknown kind" />);
 * assert.match(svg, /role="alert"/);
 * assert.match(svg, />Cannot draw chart: unknown kind</);
 * ```
 */
export function ChartError(
  { message, width = DEFAULT_WIDTH, theme = cssTheme }: {
    message: string;
    width?: number;
    theme?: Theme;
  },
): JSX.Element {
  const perLine = Math.max(20, Math.floor((width - 40) / (FONT_SIZE.label * 0.6)));
  const lines: string[] = [];
  for (const word of message.split(" ")) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= perLine) {
      lines[lines.length - 1] = last + " " + word;
    } else lines.push(word);
  }
  const height = 28 + lines.length * 17;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="gradbook-chart chart-error"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      font-family={theme.font.startsWith("var(") ? "sans-serif" : theme.font}
      role="alert"
    >
      <rect
        x={1}
        y={1}
        width={width - 2}
        height={height - 2}
        rx={4}
        fill="#fdecea"
        stroke="#d93025"
        stroke-width={1.5}
      />
      <text x={14} y={24} font-size={FONT_SIZE.label} fill="#8a1c14">
        {lines.map((line, i) => <tspan key={i} x={14} dy={i === 0 ? 0 : 17}>{line}</tspan>)}
      </text>
    </svg>
  );
}

let nextId = 0;

/** `spec` with its own width capped to `maxWidth` (the spec is returned as is when it fits). */
function fitSpec(spec: ChartSpec, maxWidth: number | undefined): ChartSpec {
  if (maxWidth === undefined || typeof spec !== "object" || spec === null) return spec;
  const width = (spec as { width?: unknown }).width;
  return typeof width === "number" && width > maxWidth ? { ...spec, width: maxWidth } : spec;
}

/**
 * Draws any chart spec; the browser passes its container width when the spec has none.
 * Malformed specs and errors while drawing show a {@link ChartError} instead of throwing.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { Chart } from "./chart.tsx";
 * const spec = { kind: "bar" as const, labels: ["left", "right"], values: [0.2, 0.8], width: 900 };
 * // A spec's own width gives way to the column it is drawn in.
 * const svg = render(<Chart spec={spec} width={400} maxWidth={400} />);
 * assert.match(svg, /^<svg[^>]* width="400"/);
 * ```
 */
export function Chart(props: ChartOptions & { spec: ChartSpec }): JSX.Element {
  const generated = useRef<string>();
  generated.current ??= `gbc${(nextId++).toString(36)}`;
  const spec = fitSpec(props.spec, props.maxWidth);
  const width = Math.min(props.width ?? DEFAULT_WIDTH, props.maxWidth ?? Infinity);
  const options = { ...props, width, idPrefix: props.idPrefix ?? generated.current };
  const problem = validateSpec(spec);
  if (problem) {
    return (
      <ChartError message={`Cannot draw chart: ${problem}.`} width={width} theme={props.theme} />
    );
  }
  try {
    switch (spec.kind) {
      case "line":
        return LineChart({ ...options, spec });
      case "scatter":
        return ScatterChart({ ...options, spec });
      case "heatmap":
        return HeatmapChart({ ...options, spec });
      case "images":
        return ImageGrid({ ...options, spec });
      case "bar":
        return BarChart({ ...options, spec });
      case "contour":
        return ContourChart({ ...options, spec });
      case "raster":
        return RasterChart({ ...options, spec });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return (
      <ChartError
        message={`Cannot draw ${NAMES[spec.kind] ?? "chart"}: ${message}`}
        width={width}
        theme={props.theme}
      />
    );
  }
}
