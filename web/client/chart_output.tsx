/**
 * A chart output: the live Preact chart (`runtime/charts/chart.tsx`) sized to the output area (a
 * spec's own `width` gives way to a narrower column); it redraws when a display update replaces
 * the spec or the column resizes. The static `image/svg+xml` rendering that
 * arrives in the same bundle is used only when the spec is not an object.
 *
 * @module
 */
import { sanitizeSvg } from "./sanitize.ts";
import { Chart } from "../../runtime/charts/chart.tsx";
import type { ChartSpec } from "../../runtime/charts/spec.ts";
import { useContainerWidth } from "../../runtime/charts/use_container_width.ts";

/** Props of {@link ChartOutput}. */
export interface ChartOutputProps {
  spec: unknown;
  fallbackSvg?: string;
}

/** Widest a chart is drawn, in pixels, however wide the output area. */
const MAX_WIDTH = 760;

/** Draws a chart spec (or its SVG fallback). */
export function ChartOutput({ spec, fallbackSvg }: ChartOutputProps) {
  const [ref, width] = useContainerWidth<HTMLDivElement>(640);
  if (typeof spec !== "object" || spec === null) {
    if (fallbackSvg === undefined) return <pre class="out-text muted">[chart without a spec]</pre>;
    return (
      <div
        class="out-svg out-chart"
        dangerouslySetInnerHTML={{ __html: sanitizeSvg(fallbackSvg) }}
      />
    );
  }
  const typed = spec as ChartSpec;
  return (
    <div class="out-chart" ref={ref}>
      <Chart spec={typed} width={Math.min(MAX_WIDTH, Math.max(280, width))} maxWidth={width} />
    </div>
  );
}
