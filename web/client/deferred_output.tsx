/**
 * Rich outputs (charts, tables, SVG, HTML) are drawn when they come near the screen: a lesson
 * page opened with every output saved draws the first screen's outputs at once and the rest as
 * the learner scrolls, so it paints and answers quickly. Until then an output is an empty box of
 * about its final height, so the page does not jump. Once drawn, an output stays drawn (live
 * updates of a chart on screen redraw at once).
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { CHART_MIME, type MimeBundle, TABLE_MIME } from "../../runtime/vocabulary.ts";
import { whenNearScreen } from "./near_screen.ts";

/**
 * About how tall a MIME bundle will be drawn, in CSS pixels (the placeholder's height): a
 * chart's own height (360 by default), a table's rows (at most its scroll box), an SVG's height.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimatedHeight } from "./deferred_output.tsx";
 * assert.equal(estimatedHeight({ "application/vnd.gradbook.chart+json": { kind: "line", height: 200 } }), 200);
 * assert.equal(estimatedHeight({ "text/plain": "1" }), 24);
 * ```
 */
export function estimatedHeight(data: MimeBundle): number {
  const chart = data[CHART_MIME] as { height?: unknown } | undefined;
  if (typeof chart === "object" && chart !== null) {
    return typeof chart.height === "number" ? chart.height : 360;
  }
  const table = data[TABLE_MIME] as { rows?: unknown[] } | undefined;
  if (table !== undefined && Array.isArray(table.rows)) {
    return Math.min(448, 34 + 29 * table.rows.length);
  }
  const svg = data["image/svg+xml"];
  if (typeof svg === "string") {
    const height = Number(svg.match(/<svg[^>]*\sheight="([\d.]+)"/)?.[1]);
    return Number.isFinite(height) && height > 0 ? height : 200;
  }
  return typeof data["text/html"] === "string" ? 80 : 24;
}

/** Draws `children` once its box comes near the screen (`near_screen.ts`). */
export function DeferredOutput(
  { height, children }: { height: number; children: ComponentChildren },
) {
  const ref = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  useLayoutEffect(() => {
    if (shown || ref.current === null) return;
    return whenNearScreen(ref.current, () => setShown(true));
  }, [shown]);
  if (shown) return <>{children}</>;
  return <div ref={ref} class="out-deferred" style={{ height: `${height}px` }} aria-busy="true" />;
}
