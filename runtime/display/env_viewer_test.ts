import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { CartPole } from "../rl/cartpole.ts";
import { GridWorld } from "../rl/grid_world.ts";
import { rollout } from "../rl/rollout.ts";
import { valueIteration } from "../rl/value_iteration.ts";
import type { CartPoleFrame } from "../rl/cartpole.ts";
import { animateCartPole, drawCartPole, drawGridValues, keyframeIndices } from "./env_viewer.ts";
import { toMimeBundle } from "./mime.ts";

/** A balancing controller's episode: 501 frames (reset + 500 steps). */
function balancedEpisode(): CartPoleFrame[] {
  const policy = (o: number[]) => (o[2]! + 0.5 * o[3]! > 0 ? 1 : 0);
  return rollout(new CartPole(), policy, { seed: 0, recordFrames: true }).frames;
}

function attribute(svg: string, element: string, name: string): string[] {
  const pattern = new RegExp(`<${element}[^>]*\\b${name}="([^"]*)"`, "g");
  return [...svg.matchAll(pattern)].map((m) => m[1]!);
}

Deno.test("animateCartPole() has one keyframe per recorded frame, evenly timed in real time", () => {
  const frames = balancedEpisode();
  assertEquals(frames.length, 501);
  const svg = String(toMimeBundle(animateCartPole(frames))["image/svg+xml"]);
  const [cartTimes, poleTimes] = attribute(svg, "animateTransform", "keyTimes");
  const keyTimes = cartTimes!.split(";").map(Number);
  assertEquals(keyTimes.length, 501);
  assertEquals(poleTimes, cartTimes);
  assertEquals(keyTimes[0], 0);
  assertEquals(keyTimes[250], 0.5);
  assertEquals(keyTimes[500], 1);
  // 500 steps of 0.02 s at the default 50 fps: 10 seconds.
  assertEquals(attribute(svg, "animateTransform", "dur"), ["10s", "10s"]);
  assertEquals(attribute(svg, "animateTransform", "repeatCount"), ["indefinite", "indefinite"]);
});

Deno.test("animateCartPole() maps cart positions to pixels and pole angles to degrees", () => {
  const frames = balancedEpisode();
  const svg = String(toMimeBundle(animateCartPole(frames))["image/svg+xml"]);
  const [cartValues, poleValues] = attribute(svg, "animateTransform", "values");
  const carts = cartValues!.split(";").map((v) => v.split(" ").map(Number));
  const poles = poleValues!.split(";").map((v) => v.split(" ").map(Number));
  assertEquals(carts.length, 501);
  // 560 px span the track [-2.4, 2.4] m: x = 300 + x_m * 560 / 4.8.
  for (const i of [0, 137, 500]) {
    const frame = frames[i]!;
    assert(Math.abs(carts[i]![0]! - (300 + frame.x * 560 / 4.8)) <= 0.005, `cart x at ${i}`);
    assert(Math.abs(poles[i]![0]! - frame.theta * 180 / Math.PI) <= 0.005, `pole angle at ${i}`);
  }
});

Deno.test("animateCartPole() thins long recordings to maxKeyframes and keeps the last frame", () => {
  const frames = balancedEpisode();
  const svg = String(
    toMimeBundle(animateCartPole(frames, { maxKeyframes: 51, loop: false }))["image/svg+xml"],
  );
  const keyTimes = attribute(svg, "animateTransform", "keyTimes")[0]!.split(";").map(Number);
  assertEquals(keyTimes.length, 51);
  assertEquals(keyTimes[50], 1);
  assertEquals(attribute(svg, "animateTransform", "fill"), ["freeze", "freeze"]);
  assertEquals(keyframeIndices(5, 3), [0, 2, 4]);
  assertEquals(keyframeIndices(3, 10), [0, 1, 2]);
});

Deno.test("animateCartPole() shows static first and last frames and says how the episode ended", () => {
  const frames = rollout(new CartPole(), () => 1, { seed: 3, recordFrames: true }).frames;
  const bundle = toMimeBundle(animateCartPole(frames));
  const svg = String(bundle["image/svg+xml"]);
  assertEquals((svg.match(/class="thumbnail"/g) ?? []).length, 2);
  assert(svg.includes(`last frame (step ${frames.length - 1})`), "last-frame label");
  assert(svg.includes("the pole fell or the cart left the track"), "ending in the title");
  assert(String(bundle["text/html"]).includes(svg), "text/html wraps the same SVG");
  assert(!svg.includes("<script"), "no script");
});

Deno.test("animateCartPole() plays a single frame and rejects empty or foreign frames", () => {
  const env = new CartPole();
  env.reset({ seed: 1 });
  const svg = String(toMimeBundle(animateCartPole([env.render()]))["image/svg+xml"]);
  assertEquals(attribute(svg, "animateTransform", "keyTimes"), ["0;1", "0;1"]);
  assertThrows(() => animateCartPole([]), RangeError, "no frames to draw");
  assertThrows(
    () => animateCartPole([{ kind: "gridworld" } as unknown as CartPoleFrame]),
    TypeError,
    "frame 0 is not a CartPole frame",
  );
  assertThrows(() => animateCartPole([env.render()], { fps: 0 }), RangeError, "fps must be");
  assert(String(toMimeBundle(drawCartPole(env.render()))["image/svg+xml"]).includes("step 0"));
});

Deno.test("drawGridValues() colours every open cell and draws one arrow per policy action", () => {
  const env = new GridWorld({ layout: ["S..G", ".#.P", "...."], stepReward: -0.04 });
  const { values, policy } = valueIteration(env.transitionModel(), 0.9);
  const frame = env.renderValues(values, policy);
  const svg = String(toMimeBundle(drawGridValues(frame, { title: "V*" }))["image/svg+xml"]);
  // 12 cells: 1 wall, 2 terminal, 9 with an arrow.
  assertEquals((svg.match(/class="arrow"/g) ?? []).length, 9);
  assertEquals(frame.arrows.length, 9);
  assertEquals((svg.match(/<title>\[/g) ?? []).length, 9);
  assert(svg.includes("#9a9a9a"), "the wall is gray");
  assert(svg.includes(`>${values[0]!.toFixed(2)}<`), "the start cell's value is printed");
  assertEquals(frame.arrows.find((a) => a.row === 0 && a.col === 2)?.action, 1); // right, into G
  assert(/<text[^>]*>G<\/text>/.test(svg) && /<text[^>]*>P<\/text>/.test(svg), "G and P labels");
});
