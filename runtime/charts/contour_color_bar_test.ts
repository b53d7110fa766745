import assert from "node:assert/strict";
import { contourBarScale } from "./contour_color_bar.tsx";
import { contourLevels } from "./contour_chart.tsx";

Deno.test("contourBarScale() places linear level labels at their value's height on the bar", () => {
  const levels = contourLevels(0, 10, 4); // 2, 4, 6, 8: five equal bands
  const bar = contourBarScale(0, 10, levels)!;
  assert.deepEqual(bar.edges, [0, 2, 4, 6, 8, 10]);
  assert.equal(bar.caption, "f");
  const at = Object.fromEntries(bar.ticks.map((t) => [t.label, t.at]));
  assert.equal(at["0"], 0);
  assert.ok(Math.abs(at["4"]! - 0.4) < 1e-9, `4 at ${at["4"]}`);
  assert.equal(at["10"], 1);
});

Deno.test("contourBarScale() labels log levels by powers of ten above the minimum, each on its level's band edge", () => {
  // Levels at min + 1e-3, 1e-2, ..., 1e1 (= max): five levels, the top one the maximum.
  const min = -2;
  const levels = contourLevels(min, min + 10, 5, true, 4);
  const bar = contourBarScale(min, min + 10, levels, true)!;
  assert.equal(bar.edges.length, 6, "the top level equals the maximum and bounds no band");
  assert.equal(bar.caption, "f − min, min = −2");
  assert.deepEqual(bar.ticks.map((t) => t.label), ["0", "1e-3", "0.01", "0.1", "1", "10"]);
  // Decades sit on the band edges: 1e-3 is the first edge (1/5), 10 the top.
  const heights = bar.ticks.slice(1).map((t) => Number(t.at.toFixed(6)));
  assert.deepEqual(heights, [0.2, 0.4, 0.6, 0.8, 1]);
});

Deno.test("contourBarScale() gives no bar for constant data", () => {
  assert.equal(contourBarScale(3, 3, [3]), null);
});
