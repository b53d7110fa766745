import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import fixtures from "../testdata/optim_torch.json" with { type: "json" };
import { gradcheck } from "../gradcheck.ts";
import { Generator } from "../random.ts";
import { type NestedArray, ones, randn, type Tensor, tensor } from "../tensor.ts";
import {
  BatchNorm1d,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  Dropout,
  Embedding,
  F,
  Flatten,
  GELU,
  LeakyReLU,
  Linear,
  MSELoss,
  NLLLoss,
  ReLU,
  Sequential,
  Softmax,
  type StateDict,
  Tanh,
} from "./mod.ts";

const f64 = { dtype: "float64" } as const;

function flat(x: NestedArray): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

function assertClose(
  actual: Tensor | NestedArray,
  expected: NestedArray,
  rtol: number,
  what: string,
) {
  const a = flat(actual instanceof Object && "data" in actual ? actual.toArray() : actual);
  const e = flat(expected);
  assertEquals(a.length, e.length, `${what}: number of values`);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= rtol * Math.abs(e[i]!) + 1e-12)) {
      throw new Error(`${what}[${i}]: got ${a[i]}, PyTorch gives ${e[i]}`);
    }
  }
}

function toState(values: Record<string, NestedArray>): StateDict {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      const t = tensor(v, f64);
      return [k, { shape: [...t.shape], dtype: t.dtype, data: t.toFlatArray() }];
    }),
  );
}

Deno.test("Sequential(Linear, Tanh, Linear) matches PyTorch's forward and backward", () => {
  const f = fixtures.sequential;
  const model = new Sequential(new Linear(3, 4, f64), new Tanh(), new Linear(4, 2, f64));
  model.loadStateDict(toState(f.state));
  const x = tensor(f.input, { ...f64, requiresGrad: true });
  const y = model.forward(x);
  assertClose(y, f.output, 1e-9, "output");
  y.backward(tensor(f.upstream, f64));
  assertClose(x.grad!, f.inputGrad, 1e-9, "input grad");
  for (const [name, p] of model.namedParameters()) {
    assertClose(p.grad!, (f.grads as Record<string, NestedArray>)[name]!, 1e-9, `${name} grad`);
  }
});

Deno.test("Sequential matches PyTorch in float32 within 1e-4", () => {
  const f = fixtures.sequential;
  const model = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2));
  const state = toState(f.state);
  for (const s of Object.values(state)) s.dtype = "float32";
  model.loadStateDict(state);
  assertClose(model.forward(tensor(f.input)), f.output, 1e-4, "float32 output");
});

for (const key of ["2d", "3d"] as const) {
  Deno.test(`BatchNorm1d (${key} input) matches PyTorch in train and eval mode`, () => {
    const f = fixtures.batchnorm[key];
    const bn = new BatchNorm1d(3, f64);
    bn.weight!.data.set(f.weight);
    bn.bias!.data.set(f.bias);
    const x1 = tensor(f.x1, { ...f64, requiresGrad: true });
    const y1 = bn.forward(x1);
    assertClose(y1, f.trainOutput, 1e-9, "train output");
    y1.backward(tensor(f.upstream, f64));
    assertClose(x1.grad!, f.grads.input, 1e-9, "input grad");
    assertClose(bn.weight!.grad!, f.grads.weight, 1e-9, "weight grad");
    assertClose(bn.bias!.grad!, f.grads.bias, 1e-9, "bias grad");
    assertClose(
      [bn.runningMean!.toArray(), bn.runningVar!.toArray()],
      f.runningAfter1,
      1e-9,
      "running stats after 1",
    );
    bn.forward(tensor(f.x2, f64));
    assertClose(
      [bn.runningMean!.toArray(), bn.runningVar!.toArray()],
      f.runningAfter2,
      1e-9,
      "running stats after 2",
    );
    assertEquals(bn.numBatchesTracked!.item(), f.numBatchesTracked);
    bn.eval();
    assertClose(bn.forward(tensor(f.x3, f64)), f.evalOutput, 1e-9, "eval output");
    assertClose(bn.runningMean!, f.runningAfter2[0]!, 1e-9, "running mean is not updated in eval");
  });
}

Deno.test("Embedding matches PyTorch and scatters gradients into repeated rows", () => {
  const f = fixtures.embedding;
  const emb = new Embedding(5, 3, { paddingIdx: f.paddingIdx, dtype: "float64" });
  emb.weight.data.set(f.weight.flat());
  const y = emb.forward(f.indices);
  assertEquals(y.shape, [2, 3, 3]);
  assertClose(y, f.output, 1e-12, "output");
  y.backward(tensor(f.upstream, f64));
  assertClose(
    emb.weight.grad!,
    f.weightGrad,
    1e-12,
    "weight grad (row 2 used 3 times, row 4 padding)",
  );
});

Deno.test("Embedding rejects an index outside the table with its position", () => {
  assertThrows(
    () => new Embedding(4, 2).forward([1, 4]),
    RangeError,
    "index 4 at position 1 is out of range for size 4",
  );
});

Deno.test("Dropout keeps values scaled by 1/(1-p) in train mode, like PyTorch, and passes through in eval", () => {
  const f = fixtures.dropout;
  const drop = new Dropout(f.p, { generator: new Generator(0) });
  const y = drop.forward(ones([f.n], f64));
  const values = y.toFlatArray();
  const kept = new Set(values.filter((v) => v !== 0));
  assertEquals([...kept], f.keptValuesDistinct);
  const zeroFraction = values.filter((v) => v === 0).length / f.n;
  assert(
    Math.abs(zeroFraction - f.p) < 0.015,
    `zero fraction ${zeroFraction}, expected about ${f.p}`,
  );
  drop.eval();
  const x = randn([10]);
  assert(drop.forward(x) === x, "eval mode returns the input itself");
});

Deno.test("Dropout with the same seeded generator draws the same mask", () => {
  const a = new Dropout(0.5, { generator: new Generator(3) }).forward(ones([50]));
  const b = new Dropout(0.5, { generator: new Generator(3) }).forward(ones([50]));
  assertEquals(a.toArray(), b.toArray());
  assertThrows(() => new Dropout(1.5), RangeError, "between 0 and 1, got 1.5");
});

Deno.test("gradcheck passes for Linear with and without bias", () => {
  const layer = new Linear(4, 3, f64);
  const x = randn([5, 4], { ...f64, requiresGrad: true });
  assert(gradcheck((x, w, b) => F.linear(x, w, b), [x, layer.weight, layer.bias!]));
  const noBias = new Linear(4, 2, { bias: false, dtype: "float64" });
  assertEquals(noBias.bias, null);
  assert(gradcheck((x) => noBias.forward(x), [x]));
});

Deno.test("gradcheck passes for BatchNorm1d in train mode ([N, C] and [N, C, L])", () => {
  for (const shape of [[6, 3], [4, 3, 2]]) {
    const bn = new BatchNorm1d(3, f64);
    bn.weight!.data.set([1.5, -0.5, 2]);
    const x = randn(shape, { ...f64, requiresGrad: true });
    assert(
      gradcheck((x, w, b) => F.batchNorm(x, { weight: w, bias: b }), [x, bn.weight!, bn.bias!]),
    );
  }
});

Deno.test("gradcheck passes for Embedding, softmax, logSoftmax, GELU and leaky ReLU", () => {
  const w = randn([6, 3], { ...f64, requiresGrad: true });
  assert(gradcheck((w) => F.embedding([[0, 5], [5, 2]], w), [w]));
  const x = randn([3, 4], { ...f64, requiresGrad: true });
  assert(gradcheck((x) => F.softmax(x, 0), [x]));
  assert(gradcheck((x) => F.logSoftmax(x), [x]));
  assert(gradcheck((x) => F.gelu(x), [x]));
  assert(gradcheck((x) => F.leakyRelu(x, 0.2), [x]));
  assert(gradcheck((x) => F.crossEntropy(x, [0, 3, 1]), [x]));
  const t = tensor([[0, 1, 0.5, 1], [1, 0, 0, 0.25], [0, 0, 1, 1]], f64);
  assert(gradcheck((x) => F.binaryCrossEntropyWithLogits(x, t), [x]));
  assert(gradcheck((x) => F.mseLoss(x, t, { reduction: "sum" }), [x]));
});

Deno.test("activation layers compute their functions", () => {
  const x = tensor([-2, 0, 3], f64);
  assertEquals(new ReLU().forward(x).toArray(), [0, 0, 3]);
  assertEquals(new LeakyReLU(0.5).forward(x).toArray(), [-1, 0, 3]);
  assertClose(new GELU().forward(x), [-0.04550026389635842, 0, 2.99595030590511], 1e-12, "gelu");
  assertClose(
    new Softmax().forward(tensor([[1, 2, 3]], f64)),
    [[0.09003057317038046, 0.24472847105479764, 0.6652409557748219]],
    1e-12,
    "softmax",
  );
  assertEquals(new Flatten().forward(randn([2, 3, 4])).shape, [2, 12]);
});

Deno.test("loss modules pass their options to the functional losses", () => {
  const logits = tensor([[0, 0], [5, 5], [1, -1]], f64);
  assertClose(
    new CrossEntropyLoss().forward(logits, [1, 0, 0]),
    [
      F.crossEntropy(logits, [1, 0, 0]).item(),
    ],
    1e-12,
    "cross-entropy",
  );
  const smoothed = new CrossEntropyLoss({ labelSmoothing: 0.1, reduction: "sum" });
  assertClose(
    smoothed.forward(logits, [1, 0, 0]),
    [
      F.crossEntropy(logits, [1, 0, 0], { labelSmoothing: 0.1, reduction: "sum" }).item(),
    ],
    1e-12,
    "smoothed cross-entropy",
  );
  assertEquals(new NLLLoss({ reduction: "none" }).forward(logits, [0, 1, 1]).toArray(), [
    -0,
    -5,
    1,
  ]);
  assertEquals(new MSELoss().forward(tensor([1, 2]), tensor([1, 4])).item(), 2);
  assertClose(
    new BCEWithLogitsLoss().forward(tensor([0], f64), tensor([1], f64)),
    [Math.LN2],
    1e-12,
    "bce",
  );
  assertThrows(
    () => new CrossEntropyLoss().forward(tensor([[0, 0]]), [2]),
    RangeError,
    "out of range",
  );
});

Deno.test("Linear uses PyTorch's default init bound 1/sqrt(inFeatures) and names its shapes in errors", () => {
  const layer = new Linear(16, 200);
  const bound = 1 / 4;
  const w = layer.weight.toFlatArray();
  assertEquals(layer.weight.shape, [200, 16]);
  assert(w.every((v) => Math.abs(v) <= bound));
  assert(Math.max(...w) > 0.9 * bound && Math.min(...w) < -0.9 * bound);
  assert(layer.bias!.toFlatArray().every((v) => Math.abs(v) <= bound));
  assertThrows(
    () => layer.forward(randn([2, 15])),
    RangeError,
    "linear: input [2, 15] does not end in inFeatures = 16",
  );
});
