import assert from "node:assert/strict";
import { plot } from "./plot.ts";
import { toMimeBundle } from "./mime.ts";
import { CHART_MIME } from "../vocabulary.ts";

Deno.test("plot.line() bundles the chart spec with an SVG fallback", () => {
  const bundle = toMimeBundle(plot.line({ train: [1, 0.5], test: new Float32Array([2, 1]) }, {
    title: "Loss",
  }));
  assert.deepEqual(bundle[CHART_MIME], {
    title: "Loss",
    kind: "line",
    series: [{ name: "train", y: [1, 0.5] }, { name: "test", y: [2, 1] }],
  });
  assert.match(String(bundle["image/svg+xml"]), /^<svg/);
  assert.equal(bundle["text/plain"], "<line chart: Loss>");
});

Deno.test("plot helpers build each chart kind", () => {
  assert.equal(plot.scatter([1], [2], { labels: [0] }).spec.kind, "scatter");
  assert.deepEqual(plot.heatmap([[1, 2], [3, 4]]).spec.values, [[1, 2], [3, 4]]);
  assert.deepEqual(plot.bar(["a", 1], [3, 4]).spec.labels, ["a", "1"]);
  assert.deepEqual(plot.raster([[0.1], []]).spec.spikes, [[0.1], []]);
  const single = plot.image([[0, 1, 0], [1, 0, 1]]).spec;
  assert.deepEqual([single.imageHeight, single.imageWidth, single.images], [2, 3, [[
    0,
    1,
    0,
    1,
    0,
    1,
  ]]]);
  const grid = plot.image([[0, 1, 1, 0], [1, 0, 0, 1]], { imageWidth: 2, imageHeight: 2 }).spec;
  assert.equal(grid.images.length, 2);
  assert.throws(
    () => plot.image([[0, 1, 1]], { imageWidth: 2, imageHeight: 2 }),
    RangeError,
    "plot.image: image 0 has 3 values, expected 2x2",
  );
});

Deno.test("plot.contour() samples a function on a grid", () => {
  const spec = plot.contour((x, y) => x + 10 * y, { x: [0, 1], y: [0, 2], resolution: 3 }).spec;
  assert.deepEqual(spec.x, [0, 0.5, 1]);
  assert.deepEqual(spec.y, [0, 1, 2]);
  assert.deepEqual(spec.values[1], [10, 10.5, 11]);
});
