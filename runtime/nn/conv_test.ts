import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { seed } from "../random.ts";
import { randn, type Tensor } from "../tensor.ts";
import { SGD } from "../optim/mod.ts";
import { Conv2d, F, Flatten, Linear, MaxPool2d, ReLU, Sequential } from "./mod.ts";

Deno.test("Conv2d has PyTorch's parameter shapes and names", () => {
  const conv = new Conv2d(4, 6, [3, 2], { groups: 2 });
  assertEquals(conv.namedParameters().map(([name, p]) => [name, [...p.shape]]), [
    ["weight", [6, 2, 3, 2]],
    ["bias", [6]],
  ]);
  assertEquals(new Conv2d(1, 8, 5, { bias: false }).parameters().length, 1);
});

Deno.test("Conv2d initialises weight and bias within ±1/√fanIn, like PyTorch", () => {
  seed(0);
  const conv = new Conv2d(3, 64, 5);
  const bound = 1 / Math.sqrt(3 * 5 * 5);
  const w = conv.weight.toFlatArray();
  assert(w.every((v) => Math.abs(v) <= bound));
  // U(-b, b) has standard deviation b/√3.
  const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  assert(Math.abs(std - bound / Math.sqrt(3)) < 0.05 * bound, `weight std ${std}`);
  assert(conv.bias!.toFlatArray().every((v) => Math.abs(v) <= bound));
});

Deno.test("Conv2d.forward() equals F.conv2d with the layer's weights and options", () => {
  const conv = new Conv2d(2, 3, 3, { stride: 2, padding: 1, dilation: [1, 2] });
  const x = randn([2, 2, 9, 9]);
  const y = conv.forward(x);
  const expected = F.conv2d(x, conv.weight, conv.bias, {
    stride: 2,
    padding: 1,
    dilation: [1, 2],
  });
  assertEquals(y.shape, [2, 3, 5, 4]);
  assertEquals(y.toFlatArray(), expected.toFlatArray());
});

Deno.test("Conv2d describes itself like PyTorch", () => {
  assertEquals(
    new Conv2d(1, 8, 5, { padding: 2, bias: false }).toString(),
    "Conv2d(1, 8, kernelSize=(5, 5), stride=(1, 1), padding=(2, 2), bias=false)",
  );
});

Deno.test("Conv2d rejects groups that do not divide the channels", () => {
  assertThrows(() => new Conv2d(3, 4, 3, { groups: 2 }), RangeError, "groups (2) must be");
  assertThrows(() => new Conv2d(0, 4, 3), RangeError, "inChannels must be a positive integer");
});

Deno.test("a small CNN learns to tell vertical from horizontal bars", () => {
  seed(1);
  // 16 images 8x8: a bright vertical or horizontal bar at a varying position, plus noise.
  const x = randn([16, 1, 8, 8]).mul(0.1);
  const labels: number[] = [];
  for (let i = 0; i < 16; i++) {
    const vertical = i % 2 === 0;
    const at = 1 + (i >> 1) % 6;
    for (let k = 0; k < 8; k++) x.data[i * 64 + (vertical ? k * 8 + at : at * 8 + k)]! += 1;
    labels.push(vertical ? 0 : 1);
  }
  const model = new Sequential(
    new Conv2d(1, 4, 3),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(4 * 3 * 3, 2),
  );
  const optimizer = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
  const first = F.crossEntropy(model.forward(x), labels).item();
  let loss = first;
  for (let step = 0; step < 60; step++) {
    optimizer.zeroGrad();
    const l = F.crossEntropy(model.forward(x), labels);
    l.backward();
    optimizer.step();
    loss = l.item();
  }
  assert(loss < 0.1 * first, `loss went from ${first} to ${loss}`);
  const logits = model.forward(x) as Tensor;
  const predicted = Array.from(
    { length: 16 },
    (_, i) => (logits.data[2 * i]! > logits.data[2 * i + 1]! ? 0 : 1),
  );
  assertEquals(predicted, labels);
});
