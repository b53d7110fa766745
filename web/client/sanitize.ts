/**
 * Cell outputs are untrusted markup: a cell (or a shared notebook's saved outputs) may carry
 * `onerror` attributes, `<script>` inside SVG, `javascript:` links or frames. Every HTML and SVG
 * output goes through DOMPurify (a maintained sanitiser) before it reaches the page; the page's
 * Content-Security-Policy (`script-src 'self'`, see `web/server/security.ts`) is the second wall.
 *
 * @module
 */
import DOMPurify from "dompurify";

/** Sanitises an HTML output (Markdown and KaTeX renderings included) for `innerHTML`. */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
    FORBID_TAGS: ["style", "form", "iframe", "frame", "object", "embed", "base", "meta", "link"],
    FORBID_ATTR: ["srcdoc", "formaction", "action", "ping"],
  });
}

/** Sanitises an SVG output (an `image/svg+xml` string) for `innerHTML`. */
export function sanitizeSvg(svg: string): string {
  return DOMPurify.sanitize(svg, {
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS: ["style", "foreignObject"],
  });
}
