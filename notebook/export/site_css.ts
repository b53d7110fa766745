/**
 * The static site's stylesheet (no web fonts beyond KaTeX's, no external URLs).
 *
 * @module
 */

/** Contents of `assets/site.css`. */
export const SITE_CSS = `:root {
  --bg: #fbfbfd; --fg: #1c1f2a; --muted: #5b6275; --border: #e2e4eb; --accent: #4f46e5;
  --code-bg: #f4f5f8; --error: #c0262d; --error-soft: #fdeced; --exercise: #eef0ff;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #14161d; --fg: #e3e6ee; --muted: #9aa1b2; --border: #2c303c; --accent: #8b85ff;
    --code-bg: #1d2029; --error: #ff7b7f; --error-soft: #3a1d20; --exercise: #1f2136; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.6 "Charter", "Iowan Old Style", Georgia, "DejaVu Serif", serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
nav.top { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 0;
  font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.9rem; }
a { color: var(--accent); }
h1, h2, h3 { font-family: system-ui, "DejaVu Sans", sans-serif; line-height: 1.25; }
.meta, .minutes, .part-label, .exercise-note, .out-skipped { color: var(--muted);
  font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.9rem; }
pre, code { font-family: "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: 0.85rem; }
pre { background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px;
  padding: 0.75rem 1rem; overflow-x: auto; }
.cell { margin: 1.25rem 0; }
.cell > pre.code { border-left: 3px solid var(--accent); }
.outputs { margin: 0.25rem 0 0 1rem; }
.outputs pre { background: transparent; border: none; padding: 0.25rem 0; }
.outputs .out-stderr, .outputs .out-error { color: var(--error); }
.outputs .out-error { background: var(--error-soft); padding: 0.5rem 0.75rem; }
.out-svg svg { max-width: 100%; height: auto; }
.out-img { max-width: 100%; image-rendering: pixelated; }
.out-html table { border-collapse: collapse; font-family: system-ui, sans-serif; font-size: 0.9rem; }
.out-html th, .out-html td { border: 1px solid var(--border); padding: 0.2rem 0.6rem; text-align: right; }
.exercise { background: var(--exercise); border: 1px solid var(--border); border-radius: 8px;
  padding: 0.5rem 1.25rem 1rem; margin: 2rem 0; }
.points { font-size: 0.8rem; color: var(--muted); font-weight: normal; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 0.9rem; }
.run-failure { color: var(--error); background: var(--error-soft); padding: 0.5rem 0.75rem; }
.pager { display: flex; justify-content: space-between; margin-top: 3rem;
  font-family: system-ui, sans-serif; }
.pager a[rel="next"] { margin-left: auto; }
ol.lessons li { margin: 0.75rem 0; }
ol.lessons p { margin: 0.1rem 0; }
.katex-display { overflow-x: auto; overflow-y: hidden; }
`;
