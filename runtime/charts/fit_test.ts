/**
 * Charts fit their column and keep their labels inside the picture: a spec's own width gives way
 * to a narrower container, marker and rotated labels stay inside the SVG (and its clip paths),
 * and heatmaps label every row they have room for, saying so when they thin labels.
 */
import assert from "node:assert/strict";
import { h } from "preact";
import { render } from "preact-render-to-string";
import { Chart } from "./chart.tsx";
import { FONT_SIZE, textWidth } from "./frame.tsx";
import type { ChartSpec } from "./spec.ts";

function draw(spec: ChartSpec, width?: number, maxWidth?: number): string {
  return render(h(Chart, { spec, width, maxWidth }));
}

function svgSize(svg: string): { width: number; height: number } {
  const m = svg.match(/^<svg[^>]* width="([\d.]+)" height="([\d.]+)"/);
  assert.ok(m, "the SVG root has a width and a height");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The `<text>` elements of `svg` whose content is `label`, with their attributes. */
function textsNamed(svg: string, label: string): string[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].filter((m) => m[2] === label)
    .map((m) => m[1]!);
}

const lesson4Heatmap: ChartSpec = {
  kind: "heatmap",
  title: "Forget gate f_t while reading the sentence (top row: the word-boundary unit)",
  values: Array.from({ length: 12 }, (_, r) => Array.from({ length: 38 }, (_, c) => (r + c) % 7)),
  rowLabels: Array.from({ length: 12 }, (_, r) => `unit ${r * 5}`),
  colLabels: [..."never mind how long precisely - having"],
  min: 0,
  max: 6,
  height: 300,
  width: 900,
};

Deno.test("Chart gives a spec's own width way to a narrower container (maxWidth)", () => {
  assert.equal(svgSize(draw(lesson4Heatmap, 600, 600)).width, 600);
  // ... and keeps it where the container is wider.
  assert.equal(svgSize(draw(lesson4Heatmap, 1000, 1000)).width, 900);
});

Deno.test("LineChart keeps a marker label at the right edge inside the plot", () => {
  const returns = Array.from({ length: 400 }, (_, i) => Math.min(500, i * 1.5));
  const svg = draw(
    {
      kind: "line",
      title: "REINFORCE on CartPole-v1 (seed 0)",
      xLabel: "episode",
      series: [{ name: "episode return", y: returns }],
      markers: [{ x: 399, label: "solved" }],
    },
    640,
  );
  const [attrs] = textsNamed(svg, "solved");
  assert.ok(attrs, "the marker label is drawn");
  const x = Number(attrs.match(/ x="([\d.-]+)"/)![1]);
  const anchor = attrs.match(/text-anchor="(\w+)"/)?.[1] ?? "start";
  const w = textWidth("solved", FONT_SIZE.tick);
  const [left, right] = anchor === "end" ? [x - w, x] : [x, x + w];
  const clip = svg.match(/<clipPath[^>]*><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/);
  assert.ok(clip);
  const clipRight = Number(clip[1]) + Number(clip[2]);
  assert.ok(
    left >= 0 && right <= clipRight,
    `label spans ${left}..${right}, plot ends ${clipRight}`,
  );
});

Deno.test("BarChart makes room for its leftmost rotated label", () => {
  const labels = [
    "gen-inverted-dropout",
    "rnn-clip-by-norm",
    "rl-reinforce-loss",
    "opt-momentum",
    "st-affine-grid",
    "neuro-hopfield-recall",
    "tour-gradient",
    "rnn-perplexity",
  ];
  const svg = draw(
    {
      kind: "bar",
      title: "Mean score per exercise (% of its points)",
      labels,
      values: labels.map((_, i) => 10 * i),
      yLabel: "% of points",
      height: 360,
    },
    640,
  );
  const { height } = svgSize(svg);
  for (const label of labels) {
    const [attrs] = textsNamed(svg, label);
    assert.ok(attrs, `${label} is drawn`);
    const m = attrs.match(/translate\(([\d.-]+),([\d.-]+)\) rotate\(-40\)/);
    assert.ok(m, `${label} is rotated`);
    const w = textWidth(label, FONT_SIZE.tick);
    const leftmost = Number(m[1]) - w * Math.cos(Math.PI * 40 / 180) - 4;
    const lowest = Number(m[2]) + w * Math.sin(Math.PI * 40 / 180) + FONT_SIZE.tick;
    assert.ok(leftmost >= 0, `${label} starts at x = ${leftmost.toFixed(1)}`);
    assert.ok(lowest <= height, `${label} ends at y = ${lowest.toFixed(1)} of ${height}`);
  }
});

Deno.test("HeatmapChart labels every row of a short, wide heatmap (lesson 4's gate traces)", () => {
  const rows = 8;
  const svg = draw(
    {
      kind: "heatmap",
      title: "Input gate i_t (sequence A)",
      values: Array.from({ length: rows }, (_, r) => Array.from({ length: 101 }, (_, c) => r * c)),
      rowLabels: Array.from({ length: rows }, (_, r) => `unit ${r}`),
      colLabels: Array.from({ length: 101 }, (_, t) => (t % 20 === 0 ? String(t) : "")),
      xLabel: "time step",
      height: 220,
    },
    560,
  );
  for (let r = 0; r < rows; r++) assert.equal(textsNamed(svg, `unit ${r}`).length, 1, `unit ${r}`);
  const colLabels = svg.match(/<g class="col-labels"[^>]*>(.*?)<\/g>/)?.[1] ?? "";
  for (const t of [0, 20, 40, 60, 80, 100]) {
    assert.equal(textsNamed(colLabels, String(t)).length, 1, `column label ${t}`);
  }
  assert.doesNotMatch(svg, /class="label-note"/);
});

Deno.test("HeatmapChart says so, in a note that fits, when it thins its row labels", () => {
  const rows = 60;
  const spec = {
    kind: "heatmap" as const,
    values: Array.from({ length: rows }, (_, r) => Array.from({ length: 10 }, (_, c) => r + c)),
    rowLabels: Array.from({ length: rows }, (_, r) => `row ${r}`),
    height: 300,
  };
  const svg = draw(spec, 560);
  const drawn = Array.from({ length: rows }, (_, r) => textsNamed(svg, `row ${r}`).length)
    .reduce((a, b) => a + b, 0);
  assert.ok(drawn < rows && drawn >= rows / 4, `${drawn} of ${rows} row labels drawn`);
  const note = svg.match(/<text class="label-note"[^>]*>([^<]*)<\/text>/);
  assert.ok(note, "a visible note says labels were thinned");
  assert.match(note[1]!, /row labels/);
  assert.ok(textWidth(note[1]!, FONT_SIZE.tick) <= 560 - 8, `the note fits: "${note[1]}"`);
  for (const width of [420, 260]) {
    const narrow = draw({ ...spec, colLabels: spec.values[0]!.map((_, c) => `step ${c}`) }, width);
    const text = narrow.match(/<text class="label-note"[^>]*>([^<]*)<\/text>/)?.[1] ?? "";
    assert.ok(text !== "", `a note at ${width} px`);
    assert.ok(textWidth(text, FONT_SIZE.tick) <= width - 8, `the note fits ${width} px: "${text}"`);
  }
});

Deno.test("A long title shrinks (then ends in an ellipsis) to fit a narrow chart", () => {
  for (const width of [560, 300]) {
    const svg = draw(lesson4Heatmap, width, width);
    const m = svg.match(
      /<text class="title"[^>]* font-size="([\d.]+)"[^>]*>(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/,
    );
    assert.ok(m, "the title is drawn");
    const drawn = textWidth(m[2]!, Number(m[1]));
    assert.ok(drawn <= width - 8, `title ${drawn.toFixed(0)} px wide in a ${width} px chart`);
  }
});
