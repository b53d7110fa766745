import assert from "node:assert/strict";
import { renderChartSvg } from "./render_svg.ts";
import { exampleSpecs } from "./examples.ts";

import { downsample } from "./line_chart.tsx";
import type { ChartSpec } from "./spec.ts";
import { h } from "preact";
import { render } from "preact-render-to-string";
import { Chart, validateSpec } from "./chart.tsx";

/** Checks that `svg` is well-formed XML (balanced tags, escaped text) and returns its tag names. */
function assertWellFormedSvg(svg: string): string[] {
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="\d+(\.\d+)?" height="\d+(\.\d+)?"/,
  );
  assert.doesNotMatch(svg, /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i, "unescaped &");
  const stack: string[] = [];
  const names: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:[^>"]|"[^"]*")*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    if (close) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else if (!selfClose) stack.push(name!);
    if (!close) names.push(name!);
  }
  assert.deepEqual(stack, [], "unclosed tags");
  assert.equal(svg.replace(/<[^>]*>/g, "").includes("<"), false);
  return names;
}

function count(svg: string, pattern: RegExp): number {
  return svg.match(new RegExp(pattern.source, "g"))?.length ?? 0;
}

const examples = exampleSpecs();

Deno.test("renderChartSvg() draws every example kind as well-formed standalone SVG", async () => {
  await Deno.mkdir("tests/output/charts", { recursive: true });
  for (const [kind, spec] of Object.entries(examples)) {
    const svg = renderChartSvg(spec);
    assertWellFormedSvg(svg);
    assert.match(svg, new RegExp(`class="gradbook-chart chart-${kind}"`));
    assert.doesNotMatch(svg, /var\(--/, `${kind}: standalone SVG must not rely on CSS variables`);
    assert.doesNotMatch(svg, /chart-error/, `${kind} rendered an error box`);
    await Deno.writeTextFile(`tests/output/charts/${kind}.svg`, svg);
  }
});

Deno.test("renderChartSvg() draws one series path per line series", () => {
  const svg = renderChartSvg({
    kind: "line",
    series: [{ name: "a", y: [1, 2, 3] }, { name: "b", y: [3, 2, 1] }, {
      name: "c",
      x: [0, 1, 2],
      y: [2, 2, 2],
      dashed: true,
    }],
  });
  assert.equal(count(svg, /<path class="series"/), 3);
  assert.equal(count(svg, /stroke-dasharray="6 4"/), 1);
  assert.match(svg, /width="640" height="360"/);
});

Deno.test("renderChartSvg() draws a series with points: true as dots, not as a line", () => {
  const svg = renderChartSvg({
    kind: "line",
    series: [
      { name: "data", x: [0, 1, 2, 3], y: [1, NaN, 0, 2], points: true },
      { name: "fit", x: [0, 3], y: [1, 2] },
    ],
  });
  assertWellFormedSvg(svg);
  assert.equal(count(svg, /<path class="series"/), 1);
  assert.equal(count(svg, /<circle class="point"/), 3);
});

Deno.test("renderChartSvg() breaks lines at non-finite values instead of crashing", () => {
  const svg = renderChartSvg({
    kind: "line",
    logY: true,
    series: [{ name: "loss", y: [1, NaN, 0.5, Infinity, 0.25, -1, 0, 0.1] }],
  });
  const d = /<path class="series" d="([^"]*)"/.exec(svg)?.[1] ?? "";
  assert.doesNotMatch(d, /NaN|Infinity/);
  assert.equal(count(d, /M/), 4, d);
});

Deno.test("renderChartSvg() draws empty and constant series without crashing", () => {
  for (
    const series of [[], [{ name: "empty", y: [] }], [{ name: "flat", y: [2, 2, 2] }], [{
      name: "nan",
      y: [NaN, NaN],
    }]]
  ) {
    const svg = renderChartSvg({ kind: "line", series });
    assertWellFormedSvg(svg);
    assert.doesNotMatch(svg, /NaN|chart-error/);
  }
});

Deno.test("renderChartSvg() uses the spec's width and height", () => {
  const svg = renderChartSvg({ kind: "bar", labels: ["a"], values: [1], width: 300, height: 200 });
  assert.match(svg, /width="300" height="200"/);
});

Deno.test("renderChartSvg() draws one circle per finite scatter point", () => {
  const x = Array.from({ length: 52 }, (_, i) => i);
  const y = x.map((v) => Math.sin(v));
  y[50] = NaN;
  x[51] = Infinity;
  const labels = x.map((_, i) => i % 3);
  const svg = renderChartSvg({ kind: "scatter", x, y, labels });
  assert.equal(count(svg, /<circle class="point"/), 50);
  assert.equal(count(svg, /class="legend-item"/), 3);
});

Deno.test("renderChartSvg() draws a heatmap cell per entry and a colour bar", () => {
  const svg = renderChartSvg({
    kind: "heatmap",
    values: [[1, 2, 3], [4, NaN, 6]],
    colorScale: "diverging",
    annotate: true,
    rowLabels: ["a", "b"],
    colLabels: ["x", "y", "z"],
  });
  assert.equal(count(svg, /<rect class="cell"/), 6);
  assert.match(svg, /class="color-bar"/);
  assert.match(svg, />−?6</);
});

Deno.test("renderChartSvg() draws one embedded PNG per image with captions and overlays", () => {
  const image = Array.from({ length: 28 * 28 }, (_, i) => (i % 7) / 6);
  const svg = renderChartSvg({
    kind: "images",
    images: [image, image, image, image],
    imageWidth: 28,
    imageHeight: 28,
    captions: ["0", "1", "2", "3"],
    overlays: [{ x: [1, 2, 3, 4], y: [1, 2, 3, 4] }],
  });
  assert.equal(count(svg, /<image class="image"/), 4);
  assert.equal(count(svg, /href="data:image\/png;base64,/), 4);
  assert.equal(count(svg, /class="caption"/), 4);
  assert.equal(count(svg, /class="overlay-point"/), 4);
  assert.equal(count(svg, /class="overlay-mesh"/), 1);
});

Deno.test("renderChartSvg() draws grouped bars and skips non-finite values", () => {
  const svg = renderChartSvg({
    kind: "bar",
    labels: ["a", "b", "c"],
    values: [1, NaN, -2],
    series: [{ name: "second", values: [0.5, 0.5, 0.5] }],
  });
  assert.equal(count(svg, /<rect class="bar"/), 5);
  assert.equal(count(svg, /class="legend-item"/), 2);
});

Deno.test("renderChartSvg() draws contour levels and trajectories with start and end markers", () => {
  const g = Array.from({ length: 21 }, (_, i) => -2 + i / 5);
  const spec: ChartSpec = {
    kind: "contour",
    x: g,
    y: g,
    values: g.map((y) => g.map((x) => (1 - x) ** 2 + 100 * (y - x * x) ** 2)),
    levels: 10,
    logLevels: true,
    paths: [{ name: "sgd", x: [-1, -0.5, 0, NaN], y: [1, 0.5, 0, 1] }, {
      name: "adam",
      x: [1.5, 1.2],
      y: [-1, 0.5],
    }],
    points: [{ x: 1, y: 1, label: "min" }],
  };
  const svg = renderChartSvg(spec);
  assertWellFormedSvg(svg);
  assert.equal(count(svg, /<path class="contour"/), 10);
  assert.equal(count(svg, /<path class="trajectory"/), 2);
  assert.equal(count(svg, /class="start"/), 2);
  assert.equal(count(svg, /class="end"/), 2);
  assert.doesNotMatch(svg, /NaN/);
  const lines = renderChartSvg({ ...spec, filled: false });
  assert.match(lines, /<path class="contour" d="[^"]*" fill="none"/);
});

Deno.test("renderChartSvg() draws one spike train per neuron", () => {
  const svg = renderChartSvg({ kind: "raster", spikes: [[1, 2, NaN], [], [3, 50]], tMax: 10 });
  assert.equal(count(svg, /<path class="spike-train"/), 3);
  assert.equal(count(svg, /M[\d.]+ [\d.]+v/), 3); // 50 lies past tMax
});

Deno.test("renderChartSvg() shows an error box for an unknown kind", () => {
  const svg = renderChartSvg({ kind: "pie" } as unknown as ChartSpec);
  assertWellFormedSvg(svg);
  assert.match(svg, /chart-error/);
  assert.match(svg, /unknown chart kind &quot;pie&quot;|unknown chart kind "pie"/);
});

Deno.test("renderChartSvg() shows an error box for malformed specs", () => {
  const bad: unknown[] = [
    null,
    { kind: "line" },
    { kind: "scatter", x: [1], y: "nope" },
    { kind: "images", images: [[0, 1]], imageWidth: 28, imageHeight: 28 },
    { kind: "contour", x: [0, 1], y: [0, 1], values: [[0, 1]] },
    { kind: "bar", labels: ["a"], values: [1], width: -5 },
  ];
  for (const spec of bad) {
    const svg = renderChartSvg(spec as ChartSpec);
    assertWellFormedSvg(svg);
    assert.match(svg, /chart-error/, JSON.stringify(spec));
  }
});

Deno.test("validateSpec() says what is wrong with the spec", () => {
  assert.equal(validateSpec({ kind: "bar", labels: [], values: [] }), undefined);
  assert.equal(
    validateSpec({ kind: "images", images: [[0, 1]], imageWidth: 28, imageHeight: 28 }),
    "image 0 has 2 values, expected 28 x 28 = 784",
  );
  assert.match(validateSpec(42) ?? "", /must be an object, got number/);
});

Deno.test("downsample() keeps at most the budget and keeps peaks", () => {
  const n = 20000;
  const ys = Array.from({ length: n }, (_, i) => (i === 12345 ? 100 : Math.sin(i / 100)));
  const out = downsample(ys.map((_, i) => i), ys, 1000);
  assert.ok(out.xs.length <= 1000, `kept ${out.xs.length}`);
  assert.ok(out.ys.includes(100));
  assert.ok(out.xs.length > 500);
});

Deno.test("renderChartSvg() thins 5 series x 2000 points to at most 1000 path commands each", () => {
  const series = Array.from({ length: 5 }, (_, s) => ({
    name: `run ${s}`,
    y: Array.from({ length: 2000 }, (_, i) => Math.exp(-i / 500) + 0.05 * Math.sin(i * s)),
  }));
  // Its speed is a bench row (tools/bench/live_chart.ts), not a test: no wall clock here.
  const svg = renderChartSvg({ kind: "line", series });
  const paths = [...svg.matchAll(/class="series" d="([^"]*)"/g)];
  assert.equal(paths.length, 5);
  for (const d of paths) {
    assert.ok(count(d[1]!, /[ML]/) <= 1000);
  }
});

Deno.test("<Chart> themes the browser version with CSS custom properties and fallbacks", () => {
  const html = render(h(Chart, { spec: examples.line!, width: 500 }));
  assert.match(html, /width="500"/);
  assert.match(html, /fill:var\(--chart-fg, #222\)/);
  assert.doesNotMatch(html, /style="fill:#222"/);
});

Deno.test("renderChartSvg() gives each chart its own clip-path id", () => {
  const ids = [1, 2].map(() =>
    /<clipPath id="([^"]+)"/.exec(renderChartSvg(examples.contour!))?.[1]
  );
  assert.ok(ids[0] && ids[1] && ids[0] !== ids[1], `ids ${ids}`);
});

Deno.test("renderChartSvg() leaves out contour levels that have no shape (valid standalone XML)", () => {
  // A spiky grid whose top levels enclose no area (found by fuzzing): an empty level used to
  // render as a bare `d` attribute, which is not valid XML.
  const svg = renderChartSvg({
    "kind": "contour",
    "x": [0, 1, 2, 3],
    "y": [0, 1, 2, 3],
    "values": [[0.06, 143.76, 1.75, 25.31], [1.91, 1.93, 0.72, 3.02], [4.82, 0.44, 3.45, 39.22], [
      0.15,
      0.32,
      1.74,
      2.03,
    ]],
    "levels": 21,
    "logLevels": true,
  });
  assert.doesNotMatch(svg, /<path class="contour" d[ >]/);
});

Deno.test("renderChartSvg() draws a contour colour bar: one band per level gap, log levels as powers of ten above the minimum", () => {
  const g = Array.from({ length: 21 }, (_, i) => -2 + i / 5);
  const values = g.map((y) => g.map((x) => x * x + 3 * y * y - 1));
  const log = renderChartSvg({ kind: "contour", x: g, y: g, values, levels: 10, logLevels: true });
  assertWellFormedSvg(log);
  // The top log level is the maximum itself, so 10 levels bound 10 bands (min .. level 9 = max).
  assert.equal(count(log, /<rect class="color-band"/), 10);
  assert.match(log, /f − min, min = −1</);
  const labels = [...log.matchAll(/<text x="[\d.]+" y="[\d.]+" dy="0.35em">([^<]*)<\/text>/g)]
    .map((m) => m[1]);
  for (const decade of ["0", "0.1", "1", "10"]) assert.ok(labels.includes(decade), `${labels}`);
  const linear = renderChartSvg({ kind: "contour", x: g, y: g, values, levels: 7 });
  assert.equal(count(linear, /<rect class="color-band"/), 8);
  assert.match(linear, /class="color-caption"[^>]*>f</);
  const none = renderChartSvg({ kind: "contour", x: g, y: g, values, colorBar: false });
  assert.doesNotMatch(none, /color-bar/);
});
