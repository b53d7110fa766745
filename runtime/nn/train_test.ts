import { assert } from "../testing/assert.ts";
import { noGrad } from "../core/autograd.ts";
import { seed } from "../random.ts";
import { tensor } from "../tensor.ts";
import { Adam } from "../optim/mod.ts";
import { CrossEntropyLoss, Linear, Sequential, Tanh } from "./mod.ts";

Deno.test("an MLP learns XOR with Adam in 300 full-batch steps (seeded)", () => {
  seed(0);
  const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = [0, 1, 1, 0];
  const model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
  const lossFn = new CrossEntropyLoss();
  const opt = new Adam(model.parameters(), { lr: 0.05 });
  let loss = Infinity;
  for (let step = 0; step < 300; step++) {
    opt.zeroGrad();
    const l = lossFn.forward(model.forward(x), y);
    l.backward();
    opt.step();
    loss = l.item();
  }
  const logits = noGrad(() => model.forward(x)).toArray() as number[][];
  const predicted = logits.map(([a, b]) => (b! > a! ? 1 : 0));
  assert(predicted.join() === y.join(), `predicted ${predicted}, expected ${y}`);
  assert(loss < 0.05, `final loss ${loss}`);
});
