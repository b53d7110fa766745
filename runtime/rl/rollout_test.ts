import { assertEquals } from "../testing/assert.ts";
import { CartPole } from "./cartpole.ts";
import { GridWorld } from "./grid_world.ts";
import { rollout } from "./rollout.ts";

Deno.test("rollout() records a whole CartPole episode with its frames", () => {
  const episode = rollout(new CartPole(), () => 1, { seed: 0, recordFrames: true });
  const length = episode.actions.length;
  assertEquals(episode.terminated, true);
  assertEquals(episode.observations.length, length + 1);
  assertEquals(episode.frames.length, length + 1);
  assertEquals(episode.episodeReturn, length);
  assertEquals(episode.frames.at(-1)!.terminated, true);
  assertEquals(episode.frames[0]!.x, episode.observations[0]![0]);
  // The same seed replays the same episode.
  assertEquals(rollout(new CartPole(), () => 1, { seed: 0 }).observations, episode.observations);
});

Deno.test("rollout() stops at maxSteps and marks the episode truncated", () => {
  const env = new GridWorld({ layout: ["S..G"] });
  const episode = rollout(env, () => 3, { seed: 0, maxSteps: 5 });
  assertEquals([episode.actions.length, episode.truncated, episode.terminated], [5, true, false]);
  assertEquals(episode.frames, []);
  const reached = rollout(env, () => 1);
  assertEquals([reached.observations, reached.rewards, reached.terminated], [
    [0, 1, 2, 3],
    [0, 0, 1],
    true,
  ]);
});
