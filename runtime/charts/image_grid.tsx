/**
 * Image grids: small grayscale images (digits, STN outputs, Hopfield patterns) with captions and
 * optional overlay points such as a spatial transformer's sampling grid.
 *
 * @module
 */
import type { JSX } from "preact";
import type { ImageGridChartSpec } from "./spec.ts";
import { finiteExtent } from "./scale.ts";
import { cssTheme } from "./theme.ts";
import {
  type ChartOptions,
  DEFAULT_WIDTH,
  FONT_SIZE,
  px,
  SvgRoot,
  textWidth,
  titleHeight,
} from "./frame.tsx";
import { grayPngDataUrl } from "./png.ts";

const GAP = 10;
const MARGIN = 12;
const OVERLAY_COLOR = "#f28e2b";

/**
 * Draws an image grid: one `<image class="image">` per picture (an embedded PNG, scaled with
 * pixelated rendering), a caption under each, and overlay points in pixel coordinates, where
 * (0, 0) is the top-left corner of the image and the centre of pixel (i, j) is (i + 0.5, j + 0.5).
 * An overlay with k x k points (row-major) is also drawn as a mesh.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { render } from "preact-render-to-string";
 * import { ImageGrid } from "./image_grid.tsx";
 * const svg = render(
 *   <ImageGrid spec={{ kind: "images", images: [[0, 1, 1, 0]], imageWidth: 2, imageHeight: 2 }} />,
 * );
 * assert.match(svg, /class="gradbook-chart chart-images"/);
 * ```
 */
export function ImageGrid(
  { spec, width: widthProp, theme = cssTheme }: ChartOptions & { spec: ImageGridChartSpec },
): JSX.Element {
  const width = spec.width ?? widthProp ?? DEFAULT_WIDTH;
  const n = spec.images.length;
  const w = spec.imageWidth;
  const h = spec.imageHeight;
  const avail = width - 2 * MARGIN;
  // Without a column count, show each image at about 72 px wide (at least 1 px per pixel).
  const target = Math.max(w, Math.min(72, avail));
  const columns = Math.max(
    1,
    Math.min(n || 1, spec.columns ?? Math.floor((avail + GAP) / (target + GAP))),
  );
  const size = Math.min((avail + GAP) / columns - GAP, spec.columns ? w * 10 : target);
  const scale = size / w;
  const imageH = h * scale;
  const hasCaptions = (spec.captions ?? []).length > 0;
  const captionH = hasCaptions ? 16 : 0;
  const rows = Math.ceil(n / columns);
  const top = titleHeight(spec.title) + (spec.title ? 4 : 2);
  const height = spec.height ?? Math.ceil(top + rows * (imageH + captionH + GAP) - GAP + MARGIN);
  const extent = finiteExtent(spec.images.flat());
  const min = spec.min ?? Math.min(0, extent?.[0] ?? 0);
  const max = spec.max ?? Math.max(1, extent?.[1] ?? 1);
  const gridW = columns * (size + GAP) - GAP;
  const left = (width - gridW) / 2;
  const captionChars = Math.max(3, Math.floor((size + GAP) / (FONT_SIZE.tick * 0.6)));
  return (
    <SvgRoot width={width} height={height} theme={theme} title={spec.title} kind="images">
      {spec.images.map((image, i) => {
        const x = left + (i % columns) * (size + GAP);
        const y = top + Math.floor(i / columns) * (imageH + captionH + GAP);
        const caption = spec.captions?.[i];
        const overlay = spec.overlays?.[i];
        const points = overlay
          ? overlay.x.map((ox, k) => [ox, overlay.y[k] ?? NaN] as const)
            .filter(([ox, oy]) => Number.isFinite(ox) && Number.isFinite(oy))
          : [];
        const side = Math.round(Math.sqrt(points.length));
        const isMesh = side >= 2 && side * side === points.length &&
          (overlay?.x.length ?? 0) === points.length;
        const at = (k: number) => {
          const p = points[k]!;
          return `${px(x + p[0] * scale)},${px(y + p[1] * scale)}`;
        };
        return (
          <g class="image-cell">
            <image
              class="image"
              x={px(x)}
              y={px(y)}
              width={px(size)}
              height={px(imageH)}
              preserveAspectRatio="none"
              style={{ imageRendering: "pixelated" }}
              href={grayPngDataUrl(image, w, h, min, max)}
            />
            <rect
              x={px(x)}
              y={px(y)}
              width={px(size)}
              height={px(imageH)}
              fill="none"
              style={{ stroke: theme.axis }}
              stroke-width={0.5}
            />
            {isMesh
              ? (
                <g
                  class="overlay-mesh"
                  fill="none"
                  stroke={OVERLAY_COLOR}
                  stroke-width={0.8}
                  opacity={0.8}
                >
                  {Array.from(
                    { length: side },
                    (_, r) => (
                      <polyline
                        points={Array.from({ length: side }, (_, c) => at(r * side + c)).join(" ")}
                      />
                    ),
                  )}
                  {Array.from(
                    { length: side },
                    (_, c) => (
                      <polyline
                        points={Array.from({ length: side }, (_, r) => at(r * side + c)).join(" ")}
                      />
                    ),
                  )}
                </g>
              )
              : null}
            {points.length
              ? (
                <g class="overlay" fill={OVERLAY_COLOR}>
                  {points.map(([ox, oy]) => (
                    <circle
                      class="overlay-point"
                      cx={px(x + ox * scale)}
                      cy={px(y + oy * scale)}
                      r={Math.max(1, Math.min(2, size / 40))}
                    />
                  ))}
                </g>
              )
              : null}
            {caption !== undefined
              ? (
                <text
                  class="caption"
                  x={px(x + size / 2)}
                  y={px(y + imageH + 13)}
                  text-anchor="middle"
                  font-size={FONT_SIZE.tick}
                  style={{ fill: theme.fg }}
                >
                  {textWidth(caption, FONT_SIZE.tick) > size + GAP
                    ? caption.slice(0, captionChars - 1) + "…"
                    : caption}
                </text>
              )
              : null}
          </g>
        );
      })}
    </SvgRoot>
  );
}
