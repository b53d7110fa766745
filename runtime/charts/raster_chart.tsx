/**
 * Spike rasters: one row of tick marks per neuron, time on the x axis.
 *
 * @module
 */
import type { JSX } from "preact";
import type { RasterChartSpec } from "./spec.ts";
import { finiteExtent, linearScale } from "./scale.ts";
import { categoricalColor, cssTheme } from "./theme.ts";
import {
  Axes,
  AxisLabels,
  type ChartOptions,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  layoutPlot,
  px,
  SvgRoot,
} from "./frame.tsx";
import { formatTick, niceTicks } from "./ticks.ts";

/**
 * Draws a spike raster: one `<path class="spike-train">` per neuron (neuron 0 at the bottom).
 * Spike times that are not finite or lie outside `[0, tMax]` are skipped.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { RasterChart } from "./raster_chart.tsx";
 * const svg = render(<RasterChart spec={{ kind: "raster", spikes: [[1, 5, 9], [2, 3]], tMax: 10 }} />);
 * assert.equal(svg.match(/<path class="spike-train"/g)?.length, 2);
 * ```
 */
export function RasterChart(
  { spec, width: widthProp, theme = cssTheme }: ChartOptions & { spec: RasterChartSpec },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const neurons = spec.spikes.length;
  const tExtent = finiteExtent(spec.spikes.flat());
  const tMax = spec.tMax !== undefined && spec.tMax > 0 ? spec.tMax : (tExtent?.[1] ?? 1) || 1;
  const yDomain: [number, number] = [-0.5, Math.max(1, neurons) - 0.5];
  const yTicks = niceTicks(0, Math.max(0, neurons - 1), Math.min(neurons, 6)).filter((t) =>
    Number.isInteger(t)
  );
  const plot = layoutPlot({
    width,
    height,
    title: spec.title,
    xLabel: spec.xLabel ?? "time",
    yLabel: spec.yLabel ?? "neuron",
    yTickLabels: yTicks.map(formatTick),
  });
  const x = linearScale([0, tMax], [plot.left, plot.left + plot.width]);
  const y = linearScale(yDomain, [plot.top + plot.height, plot.top]);
  const row = plot.height / Math.max(1, neurons);
  const tick = Math.max(1, Math.min(row * 0.8, 14));
  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="raster">
      <Axes
        plot={plot}
        x={x}
        y={y}
        theme={theme}
        yTicks={yTicks}
        xTicks={x.ticks(Math.max(2, Math.round(plot.width / 90)))}
      />
      <AxisLabels
        plot={plot}
        xLabel={spec.xLabel ?? "time"}
        yLabel={spec.yLabel ?? "neuron"}
        theme={theme}
      />
      <g class="spikes" stroke={categoricalColor(0)} stroke-width={row < 3 ? 1 : 1.5}>
        {spec.spikes.map((times, i) => {
          const top = px(y.map(i) - tick / 2);
          const d = times.filter((t) => Number.isFinite(t) && t >= 0 && t <= tMax)
            .map((t) => `M${px(x.map(t))} ${top}v${px(tick)}`).join("");
          return <path key={i} class="spike-train" d={d} />;
        })}
      </g>
    </SvgRoot>
  );
}
