import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { benchCharModel, benchLstmGrowth } from "./lstm.ts";
import type { BenchOptions } from "./section.ts";

const smoke: BenchOptions = { quick: true, warmup: 0, samples: 1, minSampleMs: 0 };

Deno.test("benchLstmGrowth() fits an exponent from the timed lengths", () => {
  const row = benchLstmGrowth(smoke);
  assertEquals(row.kind, "exponent");
  assertEquals(Object.keys(row.details ?? {}), ["ours ms at length 16", "ours ms at length 64"]);
  assert(row.ours !== null && Number.isFinite(row.ours), `exponent ${row.ours}`);
});

Deno.test("benchCharModel() reports a positive training speed in characters per second", () => {
  const row = benchCharModel(smoke);
  assertEquals(row.unit, "chars/s");
  assert(row.ours !== null && row.ours > 0, `chars/s ${row.ours}`);
});
