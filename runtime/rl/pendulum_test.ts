import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../../tests/assert.ts";
import { angleNormalize, Pendulum, PENDULUM_CONSTANTS } from "./pendulum.ts";

Deno.test("PENDULUM_CONSTANTS are Gymnasium Pendulum-v1's", () => {
  assertEquals(PENDULUM_CONSTANTS, {
    maxSpeed: 8,
    maxTorque: 2,
    dt: 0.05,
    g: 10,
    m: 1,
    l: 1,
    maxEpisodeSteps: 200,
  });
});

Deno.test("Pendulum.step() matches one step computed by hand", () => {
  const env = new Pendulum();
  env.reset({ options: { state: [1, 0.5] } });
  const { observation, reward, terminated, truncated } = env.step([1.5]);
  // cost = theta^2 + 0.1 thetaDot^2 + 0.001 u^2 = 1 + 0.025 + 0.00225, from the state before.
  assertAlmostEquals(reward, -1.02725, 1e-15);
  // thetaDot' = 0.5 + (3 * 10 / 2 * sin(1) + 3 * 1.5) * 0.05 = 0.5 + (12.6220647721 + 4.5) * 0.05
  const thetaDot = 1.3561032386;
  assertAlmostEquals(observation[2]!, thetaDot, 1e-10);
  // theta' = 1 + 0.05 * thetaDot' = 1.0678051619; the observation is [cos, sin, thetaDot].
  assertAlmostEquals(observation[0]!, Math.cos(1.0678051619), 1e-10);
  assertAlmostEquals(observation[1]!, Math.sin(1.0678051619), 1e-10);
  assertAlmostEquals(observation[0]!, 0.4820484, 1e-7);
  assertAlmostEquals(observation[1]!, 0.8761446, 1e-7);
  assertEquals([terminated, truncated], [false, false]);
  assertAlmostEquals(env.render().theta, 1.0678051619, 1e-10);
});

Deno.test("Pendulum clips the torque (also in the cost) and the speed", () => {
  const env = new Pendulum();
  env.reset({ options: { state: [Math.PI / 2, 7.9] } });
  const step = env.step([5]); // clipped to 2
  // 7.9 + (15 * 1 + 3 * 2) * 0.05 = 8.95, clipped to 8; theta' = pi/2 + 8 * 0.05.
  assertEquals(step.observation[2], 8);
  assertAlmostEquals(step.observation[1]!, Math.sin(Math.PI / 2 + 0.4), 1e-15);
  // cost = (pi/2)^2 + 0.1 * 7.9^2 + 0.001 * 2^2 (the clipped torque)
  assertAlmostEquals(step.reward, -((Math.PI / 2) ** 2 + 6.241 + 0.004), 1e-12);
  assertEquals(env.render().lastTorque, 2);
  env.reset({ options: { state: [-Math.PI / 2, -7.9] } });
  assertEquals(env.step([-5]).observation[2], -8);
});

Deno.test("the angle in the reward is wrapped into [-pi, pi) as Gymnasium's angle_normalize", () => {
  // Python: ((x + pi) % (2 pi)) - pi with a floored modulo.
  assertAlmostEquals(angleNormalize(4), 4 - 2 * Math.PI, 1e-15);
  assertAlmostEquals(angleNormalize(-4), 2 * Math.PI - 4, 1e-15);
  assertAlmostEquals(angleNormalize(7), 7 - 2 * Math.PI, 1e-15);
  assertAlmostEquals(angleNormalize(-7), 2 * Math.PI - 7, 1e-15);
  assertEquals(angleNormalize(0), 0);
  assertEquals(angleNormalize(Math.PI), -Math.PI); // the interval is half-open
  const env = new Pendulum();
  env.reset({ options: { state: [4, 0] } });
  assertAlmostEquals(env.step([0]).reward, -((4 - 2 * Math.PI) ** 2), 1e-12);
});

Deno.test("Pendulum episodes never terminate and are truncated after 200 steps", () => {
  const env = new Pendulum();
  const { observation } = env.reset({ seed: 3 });
  const theta = Math.atan2(observation[1]!, observation[0]!);
  assert(Math.abs(theta) <= Math.PI && Math.abs(observation[2]!) <= 1);
  let total = 0;
  for (let t = 1; t <= 200; t++) {
    const step = env.step([0]);
    total += step.reward;
    assertEquals(step.terminated, false);
    assertEquals(step.truncated, t === 200);
    assert(step.reward <= 0 && step.reward >= -16.2736045);
  }
  assert(total < 0);
  assertThrows(() => env.step([0]), Error, "call reset() before stepping again");
  env.reset();
  assertThrows(() => env.step([Number.NaN]), RangeError, "finite torque");
  assertThrows(() => env.step([1, 2]), RangeError, "action must be [torque]");
});

Deno.test("Pendulum.reset({ seed }) is reproducible and covers the start distribution", () => {
  const a = new Pendulum().reset({ seed: 7 }).observation;
  const b = new Pendulum().reset({ seed: 7 }).observation;
  assertEquals(a, b);
  const env = new Pendulum();
  env.reset({ seed: 0 });
  let minTheta = Infinity, maxTheta = -Infinity, maxSpeed = 0;
  for (let i = 0; i < 2000; i++) {
    const o = env.reset().observation;
    const theta = Math.atan2(o[1]!, o[0]!);
    minTheta = Math.min(minTheta, theta);
    maxTheta = Math.max(maxTheta, theta);
    maxSpeed = Math.max(maxSpeed, Math.abs(o[2]!));
  }
  assert(minTheta < -3 && maxTheta > 3 && maxSpeed > 0.99 && maxSpeed <= 1);
  assertThrows(() => new Pendulum().step([0]), Error, "call reset() first");
  assertThrows(
    () => new Pendulum().reset({ options: { state: [1] } }),
    RangeError,
    "[theta, thetaDot]",
  );
});
