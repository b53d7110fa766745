/**
 * A Preact hook for responsive charts: measures the width of a container element.
 *
 * @module
 */
import type { RefObject } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/**
 * Returns a ref to attach to a container and its current content width in pixels (`fallback`
 * until measured, or where `ResizeObserver` is missing). Updates when the container resizes.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { Chart } from "./chart.tsx";
 * import { useContainerWidth } from "./use_container_width.ts";
 * import type { ChartSpec } from "./spec.ts";
 * function Output({ spec }: { spec: ChartSpec }) {
 *   const [ref, width] = useContainerWidth<HTMLDivElement>(480);
 *   return <div ref={ref}><Chart spec={spec} width={width} maxWidth={width} /></div>;
 * }
 * // No layout on the server: the chart is drawn at the fallback width until measured.
 * const html = render(<Output spec={{ kind: "line", series: [{ name: "loss", y: [1, 0.5] }] }} />);
 * assert.match(html, /<svg[^>]* width="480"/);
 * ```
 */
export function useContainerWidth<T extends Element = HTMLDivElement>(
  fallback = 640,
): [RefObject<T>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const w = Math.floor(element.getBoundingClientRect().width);
      // NOTE: a hidden or detached container measures 0; keep the last useful width
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
