import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { seed } from "../random.ts";
import { CartPole, CARTPOLE_CONSTANTS } from "./cartpole.ts";

interface FixtureStep {
  action: number;
  observation: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}
interface Fixture {
  trajectories: { name: string; start: number[]; steps: FixtureStep[] }[];
}

const fixture: Fixture = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/cartpole_trajectories.json", import.meta.url)),
);

/**
 * CartPole's equations of motion written out independently of cartpole.ts, in the textbook
 * arrangement (Florian, 2007, eqs. 23-24 with friction 0, Gymnasium's signs), Euler-integrated.
 */
function referenceStep(s: number[], action: number): number[] {
  const [x, v, th, w] = s as [number, number, number, number];
  const g = 9.8, mc = 1.0, mp = 0.1, l = 0.5, dt = 0.02;
  const F = action === 1 ? 10 : -10;
  const thetaAcc = (g * Math.sin(th) + Math.cos(th) * ((-F - mp * l * w * w * Math.sin(th)) /
        (mc + mp))) /
    (l * (4 / 3 - (mp * Math.cos(th) ** 2) / (mc + mp)));
  const xAcc = (F + mp * l * (w * w * Math.sin(th) - thetaAcc * Math.cos(th))) / (mc + mp);
  return [x + dt * v, v + dt * xAcc, th + dt * w, w + dt * thetaAcc];
}

Deno.test("CartPole's constants are Gymnasium CartPole-v1's", () => {
  assertEquals(CARTPOLE_CONSTANTS.gravity, 9.8);
  assertEquals(CARTPOLE_CONSTANTS.massCart, 1.0);
  assertEquals(CARTPOLE_CONSTANTS.massPole, 0.1);
  assertEquals(CARTPOLE_CONSTANTS.length, 0.5);
  assertEquals(CARTPOLE_CONSTANTS.forceMag, 10);
  assertEquals(CARTPOLE_CONSTANTS.tau, 0.02);
  assertAlmostEquals(CARTPOLE_CONSTANTS.thetaThresholdRadians, (12 * Math.PI) / 180, 1e-15);
  assertEquals(CARTPOLE_CONSTANTS.xThreshold, 2.4);
  assertEquals(CARTPOLE_CONSTANTS.maxEpisodeSteps, 500);
  const env = new CartPole();
  assertEquals(env.actionSpace, { kind: "discrete", n: 2 });
  assertEquals(env.observationSpace.kind, "box");
});

/**
 * The fixture's feedback controllers (tools/fixtures/cartpole.py). Long trajectories are re-run
 * closed-loop: replaying 500 recorded actions open-loop would amplify rounding differences
 * exponentially (the upright pole is unstable), so the test picks each action from its own
 * state and checks it is the fixture's action.
 */
const controllers: Record<string, (s: readonly number[]) => number> = {
  "balance to the time limit": ([x, xDot, theta, thetaDot]) =>
    theta! + 0.25 * thetaDot! + 0.01 * x! + 0.05 * xDot! > 0 ? 1 : 0,
  "cart leaves the track": ([, , theta, thetaDot]) => theta! + 0.3 * thetaDot! > 0.05 ? 1 : 0,
};

Deno.test("CartPole.step() replays the Python fixture trajectories of Gymnasium's equations", () => {
  assertEquals(fixture.trajectories.length, 5);
  for (const trajectory of fixture.trajectories) {
    const env = new CartPole();
    let { observation } = env.reset({ options: { state: trajectory.start } });
    assertEquals(observation, trajectory.start);
    const controller = controllers[trajectory.name];
    trajectory.steps.forEach((expected, i) => {
      if (controller) assertEquals(controller(observation), expected.action, `step ${i + 1}`);
      const got = env.step(expected.action);
      observation = got.observation;
      expected.observation.forEach((value, k) => {
        assertAlmostEquals(
          got.observation[k]!,
          value,
          1e-12 * Math.max(1, Math.abs(value)),
          `${trajectory.name}, step ${i + 1}, component ${k}: ${got.observation[k]} vs ${value}`,
        );
      });
      assertEquals(got.reward, expected.reward);
      assertEquals(
        [got.terminated, got.truncated],
        [expected.terminated, expected.truncated],
        `${trajectory.name}, step ${i + 1}`,
      );
    });
  }
  // The fixture covers every way an episode ends.
  const endings = fixture.trajectories.map((t) => {
    const last = t.steps.at(-1)!;
    const [x, , theta] = last.observation as [number, number, number];
    return last.truncated
      ? "truncated"
      : Math.abs(x) > 2.4
      ? "x"
      : Math.abs(theta) > 0
      ? "theta"
      : "";
  });
  assertEquals(new Set(endings), new Set(["truncated", "x", "theta"]));
});

Deno.test("CartPole.step() agrees with the textbook equations of motion under random actions", () => {
  const env = new CartPole();
  let { observation } = env.reset({ seed: 7 });
  let reference = [...observation];
  const actions = [1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0];
  for (const action of actions) {
    const step = env.step(action);
    observation = step.observation;
    reference = referenceStep(reference, action);
    reference.forEach((value, k) => assertAlmostEquals(observation[k]!, value, 1e-12));
    if (step.terminated) break;
  }
});

Deno.test("CartPole.reset() draws a seeded start in [-0.05, 0.05]^4", () => {
  const env = new CartPole();
  const a = env.reset({ seed: 3 }).observation;
  const b = env.reset().observation;
  const c = env.reset({ seed: 3 }).observation;
  assertEquals(c, a);
  assert(b.some((value, i) => value !== a[i]), "a reset without a seed continues the sequence");
  for (let s = 0; s < 50; s++) {
    for (const value of env.reset({ seed: s }).observation) assert(Math.abs(value) <= 0.05);
  }
  seed(11);
  const first = new CartPole().reset().observation;
  seed(11);
  assertEquals(new CartPole().reset().observation, first);
});

Deno.test("CartPole.step() gives reward 1 on the terminating step at the angle threshold", () => {
  const env = new CartPole();
  const limit = CARTPOLE_CONSTANTS.thetaThresholdRadians;
  // theta moves by tau * thetaDot = 0.002 this step: from just below the threshold to past it.
  env.reset({ options: { state: [0, 0, limit - 0.001, 0.1] } });
  const step = env.step(1);
  assert(step.observation[2]! > limit);
  assertEquals([step.reward, step.terminated, step.truncated], [1, true, false]);
  assertThrows(() => env.step(0), Error, "the episode already ended (terminated after 1 steps)");
  env.reset({ options: { state: [0, 0, limit - 0.003, 0.1] } });
  assertEquals(env.step(1).terminated, false);
});

Deno.test("CartPole.step() terminates when the cart passes x = ±2.4", () => {
  const env = new CartPole();
  env.reset({ options: { state: [-2.399, -0.1, 0, 0] } });
  assertEquals(env.step(0).terminated, true);
  env.reset({ options: { state: [2.399, -0.1, 0, 0] } });
  assertEquals(env.step(0).terminated, false);
});

Deno.test("CartPole truncates at maxEpisodeSteps and refuses further steps", () => {
  const env = new CartPole({ maxEpisodeSteps: 3 });
  env.reset({ seed: 0 });
  assertEquals(env.step(0).truncated, false);
  assertEquals(env.step(1).truncated, false);
  const last = env.step(0);
  assertEquals([last.truncated, last.terminated, last.reward], [true, false, 1]);
  assertEquals(env.stepCount, 3);
  assertThrows(() => env.step(1), Error, "truncated after 3 steps");
  env.reset();
  assertEquals(env.stepCount, 0);
  env.step(1);
});

Deno.test("CartPole reports misuse with the action and the state", () => {
  const env = new CartPole();
  assertThrows(() => env.step(0), Error, "call reset() first");
  assertThrows(() => env.render(), Error, "call reset() first");
  env.reset({ seed: 0 });
  assertThrows(() => env.step(2), RangeError, "action must be an integer in [0, 2), got 2");
  assertThrows(() => env.step(0.5), RangeError, "got 0.5");
  assertThrows(() => env.reset({ options: { state: [0, 0] } }), RangeError, "4 finite numbers");
  assertThrows(() => new CartPole({ maxEpisodeSteps: 0 }), RangeError, "at least 1");
});

Deno.test("CartPole.render() describes the frame in world units", () => {
  const env = new CartPole();
  env.reset({ options: { state: [0.5, 0, -0.1, 0] } });
  const frame = env.render();
  assertEquals(frame.kind, "cartpole");
  assertEquals([frame.x, frame.theta, frame.poleLength, frame.xThreshold], [0.5, -0.1, 1, 2.4]);
  assertAlmostEquals(frame.cartWidth, 0.4, 1e-12);
  assertAlmostEquals(frame.cartHeight, 0.24, 1e-12);
  assertEquals([frame.stepCount, frame.terminated, frame.truncated], [0, false, false]);
});
