import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { ReplayBuffer } from "./replay_buffer.ts";

function transition(i: number) {
  return {
    observation: [i, -i],
    action: i % 3,
    reward: i / 10,
    nextObservation: [i + 1, -i - 1],
    terminated: i % 4 === 0,
  };
}

Deno.test("ReplayBuffer wraps around, overwriting the oldest transitions", () => {
  const buffer = new ReplayBuffer({ capacity: 3, observationSize: 2, seed: 0 });
  assertEquals(buffer.size, 0);
  for (let i = 1; i <= 5; i++) buffer.push(transition(i));
  assertEquals(buffer.size, 3);
  // Slots hold 4, 5, 3: pushes 4 and 5 overwrote 1 and 2.
  assertEquals(buffer.get(0), { ...transition(4), action: [1] });
  assertEquals(buffer.get(1), { ...transition(5), action: [2] });
  assertEquals(buffer.get(2), { ...transition(3), action: [0] });
  const seen = new Set<number>();
  for (let k = 0; k < 50; k++) for (const o of buffer.sample(2).observations) seen.add(o);
  assertEquals([...seen].filter((o) => o > 0).sort(), [3, 4, 5]);
  buffer.clear();
  assertEquals(buffer.size, 0);
});

Deno.test("ReplayBuffer.sample() returns distinct, aligned rows reproducibly under a seed", () => {
  const fill = (seed: number) => {
    const buffer = new ReplayBuffer({ capacity: 100, observationSize: 2, seed });
    for (let i = 0; i < 100; i++) buffer.push(transition(i));
    return buffer;
  };
  const a = fill(1).sample(32);
  const b = fill(1).sample(32);
  assertEquals(a, b);
  assert(fill(2).sample(32).indices.join() !== a.indices.join(), "another seed, another batch");
  assertEquals(new Set(a.indices).size, 32);
  a.indices.forEach((slot, row) => {
    const t = transition(slot);
    assertEquals([...a.observations.subarray(2 * row, 2 * row + 2)], t.observation);
    assertEquals([...a.nextObservations.subarray(2 * row, 2 * row + 2)], t.nextObservation);
    assertEquals([a.actions[row], a.rewards[row], a.terminated[row]], [
      t.action,
      t.reward,
      t.terminated ? 1 : 0,
    ]);
  });
  // Sampling the whole buffer returns every slot once.
  assertEquals(fill(3).sample(100).indices.sort((x, y) => x - y), [...Array(100).keys()]);
});

Deno.test("ReplayBuffer.sample() draws every slot about equally often", () => {
  const buffer = new ReplayBuffer({
    capacity: 10,
    observationSize: 1,
    generator: new Generator(4),
  });
  for (let i = 0; i < 10; i++) {
    buffer.push({
      observation: [i],
      action: 0,
      reward: 0,
      nextObservation: [i],
      terminated: false,
    });
  }
  const counts = new Array(10).fill(0);
  for (let k = 0; k < 3000; k++) for (const i of buffer.sample(3).indices) counts[i]++;
  // Expected 900 each; 5 standard deviations is about 125.
  for (const c of counts) assert(Math.abs(c - 900) < 125, `counts ${counts}`);
});

Deno.test("ReplayBuffer stores vector actions and rejects wrong sizes", () => {
  const buffer = new ReplayBuffer({ capacity: 2, observationSize: 1, actionSize: 2, seed: 0 });
  buffer.push({
    observation: [0],
    action: [0.5, -1],
    reward: 1,
    nextObservation: [1],
    terminated: true,
  });
  assertEquals([...buffer.sample(1).actions], [0.5, -1]);
  assertThrows(
    () => buffer.push({ ...transition(1) }),
    RangeError,
    "observations must have 1 numbers, got 2 and 2",
  );
  assertThrows(
    () =>
      buffer.push({
        observation: [0],
        action: 1,
        reward: 0,
        nextObservation: [0],
        terminated: false,
      }),
    RangeError,
    "action must have 2 numbers, got 1",
  );
  assertThrows(() => buffer.sample(2), RangeError, "batchSize must be an integer in [1, 1]");
  assertThrows(() => buffer.get(1), RangeError, "index 1 is outside the 1 stored");
  assertThrows(
    () => new ReplayBuffer({ capacity: 0, observationSize: 1 }),
    RangeError,
    "capacity must be a positive integer, got 0",
  );
});
