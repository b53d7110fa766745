import assert from "node:assert/strict";
import { formatTick, formatValue, logTicks, niceDomain, niceTicks } from "./ticks.ts";
import { finiteExtent, linearScale, logScale, safeDomain } from "./scale.ts";

Deno.test("niceTicks() splits [0, 0.93] into steps of 0.2", () => {
  assert.deepEqual(niceTicks(0, 0.93), [0, 0.2, 0.4, 0.6, 0.8]);
});

Deno.test("niceTicks() gives clean decimals without floating-point noise", () => {
  assert.deepEqual(niceTicks(0.1, 0.35, 5), [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  assert.deepEqual(niceTicks(-1, 1, 4), [-1, -0.5, 0, 0.5, 1]);
});

Deno.test("niceTicks() survives degenerate domains", () => {
  assert.deepEqual(niceTicks(3, 3), [3]);
  assert.deepEqual(niceTicks(NaN, 1), []);
  assert.deepEqual(niceTicks(0, Infinity), []);
  assert.deepEqual(niceTicks(1, 0, 2), [0, 0.5, 1]);
});

Deno.test("niceDomain() widens to round numbers", () => {
  assert.deepEqual(niceDomain(0.03, 0.93), [0, 1]);
  assert.deepEqual(niceDomain(3, 97), [0, 100]);
});

Deno.test("logTicks() gives one tick per decade", () => {
  assert.deepEqual(logTicks(1e-3, 10), [0.001, 0.01, 0.1, 1, 10]);
});

Deno.test("logTicks() thins out decades on very wide domains", () => {
  const ticks = logTicks(1e-12, 1e12, 8);
  assert.ok(ticks.length <= 9 && ticks.length >= 4, `got ${ticks}`);
  assert.equal(ticks[0], 1e-12);
});

Deno.test("logTicks() uses 1-2-5 multiples inside a single decade", () => {
  assert.deepEqual(logTicks(0.15, 0.9), [0.2, 0.5]);
  assert.deepEqual(logTicks(0, 10), []);
});

Deno.test("formatTick() writes compact labels", () => {
  assert.equal(formatTick(0.001), "1e-3");
  assert.equal(formatTick(0.0025), "2.5e-3");
  assert.equal(formatTick(0.25), "0.25");
  assert.equal(formatTick(0.1 + 0.2), "0.3");
  assert.equal(formatTick(12000), "12k");
  assert.equal(formatTick(1500000), "1.5M");
  assert.equal(formatTick(-40), "−40");
  assert.equal(formatTick(0), "0");
  assert.equal(formatTick(Infinity), "∞");
});

Deno.test("formatValue() keeps about three significant digits", () => {
  assert.equal(formatValue(0.123456), "0.123");
  assert.equal(formatValue(1234.5), "1230");
  assert.equal(formatValue(0.00012345), "1.23e-4");
});

Deno.test("finiteExtent() skips NaN and infinities", () => {
  assert.deepEqual(finiteExtent([3, NaN, -1, Infinity, -Infinity]), [-1, 3]);
  assert.equal(finiteExtent([NaN]), undefined);
  assert.deepEqual(finiteExtent([-1, 0, 0.5, 2], true), [0.5, 2]);
});

Deno.test("safeDomain() widens empty and single-value extents", () => {
  assert.deepEqual(safeDomain(undefined), [0, 1]);
  assert.deepEqual(safeDomain([0, 0]), [-1, 1]);
  assert.deepEqual(safeDomain([5, 5]), [4.5, 5.5]);
});

Deno.test("linearScale() maps the domain onto the range, reversed for y", () => {
  const y = linearScale([0, 10], [300, 0]);
  assert.equal(y.map(0), 300);
  assert.equal(y.map(5), 150);
  assert.equal(y.map(10), 0);
  assert.deepEqual(linearScale([0.03, 0.93], [0, 1], true).domain, [0, 1]);
});

Deno.test("logScale() maps decades evenly and drops non-positive values", () => {
  const y = logScale([1e-3, 10], [400, 0]);
  assert.equal(y.map(1e-3), 400);
  assert.ok(Math.abs(y.map(0.1) - 200) < 1e-9);
  assert.ok(Number.isNaN(y.map(0)));
  assert.ok(Number.isNaN(y.map(-1)));
  assert.deepEqual(logScale([2e-3, 7], [0, 1], true).domain, [1e-3, 10]);
  assert.deepEqual(logScale(undefined, [0, 1]).domain, [1, 10]);
  assert.deepEqual(logScale([4, 4], [0, 1]).domain, [2, 8]);
});
