import assert from "node:assert/strict";
import { measureLiveChart } from "./live_chart.ts";

Deno.test("measureLiveChart() trains with and without a chart and counts coalesced updates", async () => {
  const result = await measureLiveChart({ seconds: 0.3, pairs: 1 });
  assert.ok(result.steps >= 20, `${result.steps} steps`);
  assert.ok(result.plainMs > 0 && result.chartMs > 0, JSON.stringify(result));
  assert.ok(Number.isFinite(result.slowdownPercent), JSON.stringify(result));
  // ~0.3 s of training at ≤ 10 sends a second, plus the update flushed when the cell ends.
  assert.ok(result.updatesSent >= 1 && result.updatesSent <= 12, JSON.stringify(result));
});
