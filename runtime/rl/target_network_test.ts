import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { tensor } from "../tensor.ts";
import type { Tensor } from "../tensor.ts";
import { hardUpdate, polyakUpdate, softUpdate, TargetNetwork } from "./target_network.ts";

/** A stand-in for an nn.Module: named tensors, stateDict() as JSON-like copies. */
class FakeModule {
  params: Record<string, Tensor>;
  constructor(values: Record<string, number[]>) {
    this.params = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, tensor(v, { dtype: "float64" })]),
    );
  }
  stateDict(): Record<string, { shape: number[]; data: number[] }> {
    return Object.fromEntries(
      Object.entries(this.params).map((
        [k, t],
      ) => [k, { shape: [...t.shape], data: t.toFlatArray() }]),
    );
  }
  loadStateDict(state: Record<string, { shape: number[]; data: number[] }>): void {
    for (const [k, { data }] of Object.entries(state)) this.params[k]!.data.set(data);
  }
}

Deno.test("hardUpdate() copies the online weights without sharing them", () => {
  const online = new FakeModule({ w: [1, 2], b: [3] });
  const target = new FakeModule({ w: [0, 0], b: [0] });
  hardUpdate(target, online);
  assertEquals(target.stateDict(), online.stateDict());
  online.params.w!.data[0] = 100;
  assertEquals(target.params.w!.toArray(), [1, 2]);
});

Deno.test("softUpdate() blends every weight by tau and keeps shapes exact", () => {
  const online = new FakeModule({ w: [1, 20], b: [3] });
  const target = new FakeModule({ w: [0, 10], b: [3] });
  softUpdate(target, online, 0.1);
  const w = target.params.w!.toFlatArray();
  assertAlmostEquals(w[0]!, 0.1, 1e-15);
  assertAlmostEquals(w[1]!, 11, 1e-14);
  assertEquals(target.params.b!.toArray(), [3]);
  assertEquals(target.stateDict().w!.shape, [2]);
  // tau = 1 is a hard copy; tau = 0 changes nothing.
  softUpdate(target, online, 0);
  assertAlmostEquals(target.params.w!.toFlatArray()[1]!, 11, 1e-14);
  softUpdate(target, online, 1);
  assertEquals(target.params.w!.toArray(), [1, 20]);
  assertThrows(() => softUpdate(target, online, 2), RangeError, "tau must be in [0, 1], got 2");
});

Deno.test("softUpdate() works on state dicts of live tensors and names a mismatch", () => {
  const makeNet = (values: number[]) => {
    const params = { w: tensor(values, { dtype: "float64" }) };
    return {
      params,
      stateDict: () => params,
      loadStateDict: (s: { w: Tensor }) => params.w.data.set(s.w.data),
    };
  };
  const target = makeNet([0, 0]);
  softUpdate(target, makeNet([2, 4]), 0.5);
  assertEquals(target.params.w.toArray(), [1, 2]);
  const a = { stateDict: () => ({ w: [1, 2] }), loadStateDict: () => {} };
  const b = { stateDict: () => ({ w: [1, 2, 3] }), loadStateDict: () => {} };
  assertThrows(() => softUpdate(a, b, 0.5), RangeError, "state.w has 2 values in the target but 3");
});

Deno.test("polyakUpdate() averages parameter tensors in place", () => {
  const target = [tensor([0, 0]), tensor([[4]])];
  const online = [tensor([1, 2]), tensor([[8]])];
  polyakUpdate(target, online, 0.25);
  assertEquals(target[0]!.toArray(), [0.25, 0.5]);
  assertEquals(target[1]!.toArray(), [[5]]);
  assertThrows(() => polyakUpdate(target, online.slice(1), 0.5), RangeError, "2 target parameters");
  assertThrows(
    () => polyakUpdate([tensor([1])], [tensor([1, 2])], 0.5),
    RangeError,
    "parameter 0 has 1 values in the target but 2 online",
  );
});

Deno.test("TargetNetwork copies at construction and then every updateEvery steps", () => {
  const online = new FakeModule({ w: [1] });
  const target = new FakeModule({ w: [0] });
  const sync = new TargetNetwork(target, online, { updateEvery: 3 });
  assertEquals(target.params.w!.toArray(), [1]);
  online.params.w!.data[0] = 2;
  assertEquals([sync.update(), sync.update()], [false, false]);
  assertEquals(target.params.w!.toArray(), [1]);
  assertEquals(sync.update(), true);
  assertEquals(target.params.w!.toArray(), [2]);
  const soft = new TargetNetwork(target, online, { tau: 0.5 });
  online.params.w!.data[0] = 4;
  soft.update();
  assertEquals(target.params.w!.toArray(), [3]);
  assertThrows(() => new TargetNetwork(target, online, { updateEvery: 0 }), RangeError, "got 0");
});
