import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { MountainCar } from "./mountain_car.ts";

Deno.test("MountainCar.step() follows Gymnasium MountainCar-v0's equations", () => {
  const env = new MountainCar();
  env.reset({ options: { state: [-0.5, 0.01] } });
  const { observation, reward, terminated } = env.step(2);
  const velocity = 0.01 + 0.001 - 0.0025 * Math.cos(-1.5);
  assertAlmostEquals(observation[1]!, velocity, 1e-17);
  assertAlmostEquals(observation[0]!, -0.5 + velocity, 1e-17);
  assertEquals([reward, terminated], [-1, false]);
});

Deno.test("MountainCar clips speed and stops at the left wall", () => {
  const env = new MountainCar();
  env.reset({ options: { state: [-0.6, 0.0699] } }); // gravity pushes right here
  assertEquals(env.step(2).observation[1], 0.07);
  env.reset({ options: { state: [-1.19, -0.05] } });
  assertEquals(env.step(0).observation, [-1.2, 0]);
});

Deno.test("MountainCar terminates at the flag and truncates after 200 steps", () => {
  const env = new MountainCar();
  env.reset({ options: { state: [0.49, 0.02] } });
  assertEquals(env.step(1).terminated, true);
  assertThrows(() => env.step(1), Error, "call reset() before stepping again");
  env.reset({ seed: 0 });
  let last = env.step(1);
  for (let t = 1; t < 200; t++) last = env.step(1);
  assertEquals([last.truncated, last.terminated], [true, false]);
  // Pushing along the velocity (rocking) reaches the flag within the limit.
  let { observation } = env.reset({ seed: 1 });
  assert(observation[0]! >= -0.6 && observation[0]! <= -0.4 && observation[1] === 0);
  for (;;) {
    const step = env.step(observation[1]! < 0 ? 0 : 2);
    observation = step.observation;
    if (step.terminated || step.truncated) {
      assertEquals(step.terminated, true);
      break;
    }
  }
  assertEquals(env.render().kind, "mountaincar");
  assertThrows(() => env.step(3), Error);
});
