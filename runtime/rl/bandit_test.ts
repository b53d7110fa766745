import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { MultiArmedBandit } from "./bandit.ts";

Deno.test("MultiArmedBandit pays rewards around each arm's mean", () => {
  const bandit = new MultiArmedBandit({ means: [0, 1, -2], maxEpisodeSteps: 100_000 });
  bandit.reset({ seed: 0 });
  assertEquals(bandit.optimalArm, 1);
  for (const arm of [0, 1, 2]) {
    let sum = 0;
    for (let i = 0; i < 3000; i++) sum += bandit.step(arm).reward;
    assertAlmostEquals(sum / 3000, bandit.means[arm]!, 0.08);
  }
  assertEquals(bandit.render().pulls, [3000, 3000, 3000]);
});

Deno.test("MultiArmedBandit draws seeded arm means and truncates", () => {
  const a = new MultiArmedBandit();
  a.reset({ seed: 4 });
  const b = new MultiArmedBandit();
  b.reset({ seed: 4 });
  assertEquals(a.means, b.means);
  assertEquals(a.means.length, 10);
  a.reset();
  assert(a.means.join() !== b.means.join(), "a reset without a seed draws new means");
  const short = new MultiArmedBandit({ arms: 2, maxEpisodeSteps: 2 });
  assertThrows(() => short.step(0), Error, "call reset() first");
  short.reset({ seed: 0 });
  assertEquals(short.step(0).truncated, false);
  assertEquals(short.step(1).truncated, true);
  assertThrows(() => short.step(0), Error, "ended after 2 pulls");
  assertThrows(() => new MultiArmedBandit({ arms: 2, means: [1] }), RangeError, "1 means given");
});
