import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import fixtures from "../testdata/optim_torch.json" with { type: "json" };
import { setInterruptFlag } from "../core/interrupt.ts";
import { type DType, Tensor, tensor, zeros } from "../tensor.ts";
import {
  Adagrad,
  Adam,
  AdamW,
  clipGradNorm,
  clipGradValue,
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  type LRScheduler,
  type Optimizer,
  RMSprop,
  SGD,
  StepLR,
} from "./mod.ts";

/** |actual - expected| <= rtol * |expected| + atol, element by element, with a useful message. */
function assertClose(actual: number[], expected: number[], rtol: number, what: string): void {
  assertEquals(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= rtol * Math.abs(e) + 1e-12)) {
      throw new Error(`${what}[${i}]: got ${a}, PyTorch gives ${e} (rtol ${rtol})`);
    }
  }
}

// deno-lint-ignore no-explicit-any
type AnyOptimizer = Optimizer<any>;
// deno-lint-ignore no-explicit-any
const makers: Record<string, (params: Tensor[], options: any) => AnyOptimizer> = {
  SGD: (p, o) => new SGD(p, o),
  Adagrad: (p, o) => new Adagrad(p, o),
  RMSprop: (p, o) => new RMSprop(p, o),
  Adam: (p, o) => new Adam(p, o),
  AdamW: (p, o) => new AdamW(p, o),
};

function rosenbrock(p: Tensor): Tensor {
  const x = p.reshape(2).mul(tensor([1, 0], { dtype: p.dtype })).sum();
  const y = p.reshape(2).mul(tensor([0, 1], { dtype: p.dtype })).sum();
  return x.neg().add(1).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
}

function runTrajectory(
  name: string,
  options: Record<string, unknown>,
  dtype: DType,
  steps = 25,
): { points: number[][]; losses: number[] } {
  const p = tensor(fixtures.start, { dtype, requiresGrad: true });
  const opt = makers[name]!([p], options);
  const points: number[][] = [];
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = rosenbrock(p);
    loss.backward();
    opt.step();
    losses.push(loss.item());
    points.push(p.toFlatArray());
  }
  return { points, losses };
}

for (const c of fixtures.optimizers) {
  Deno.test(`${c.optimizer} (${c.name}) follows PyTorch's 25-step Rosenbrock trajectory in float64`, () => {
    const { points, losses } = runTrajectory(c.optimizer, c.options, "float64");
    assertClose(points.flat(), c.points.flat(), 1e-9, `${c.name} points`);
    assertClose(losses, c.losses, 1e-9, `${c.name} losses`);
  });
}

Deno.test("every optimizer follows PyTorch's Rosenbrock trajectory in float32 within 1e-4", () => {
  for (const c of fixtures.optimizers) {
    const { points } = runTrajectory(c.optimizer, c.options, "float32");
    assertClose(points.flat(), c.points.flat(), 1e-4, `${c.name} float32 points`);
  }
});

Deno.test("SGD param groups use their own lr and the defaults for the rest", () => {
  const f = fixtures.paramGroups;
  const x = tensor([-1.5], { dtype: "float64", requiresGrad: true });
  const y = tensor([2], { dtype: "float64", requiresGrad: true });
  const opt = new SGD([{ params: [x] }, { params: [y], lr: f.groupLrs[1]! }], f.defaults);
  assertEquals(opt.lrs, f.groupLrs);
  assertEquals(opt.paramGroups[1]!.momentum, 0.9);
  const points: number[][] = [];
  for (let i = 0; i < 25; i++) {
    opt.zeroGrad();
    x.neg().add(1).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100)).sum().backward();
    opt.step();
    points.push([x.item(), y.item()]);
  }
  assertClose(points.flat(), f.points.flat(), 1e-9, "grouped points");
});

function makeScheduler(
  name: string,
  opt: AnyOptimizer,
  options: Record<string, unknown>,
): LRScheduler {
  switch (name) {
    case "StepLR":
      return new StepLR(opt, options as { stepSize: number; gamma: number });
    case "CosineAnnealingLR":
      return new CosineAnnealingLR(opt, options as { tMax: number; etaMin: number });
    case "ExponentialLR":
      return new ExponentialLR(opt, options as { gamma: number });
    case "LambdaLR":
      return new LambdaLR(opt, { lrLambda: (epoch) => 1 / (epoch + 1) });
  }
  throw new Error(`unknown scheduler ${name}`);
}

for (const s of fixtures.schedulers) {
  Deno.test(`${s.name} sets the group lr to PyTorch's sequence over 25 epochs`, () => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.5 });
    const sched = makeScheduler(s.name, opt, s.options);
    const lrs = [opt.paramGroups[0]!.lr];
    for (let i = 0; i < 25; i++) {
      opt.step();
      sched.step();
      lrs.push(opt.paramGroups[0]!.lr);
    }
    assertClose(lrs, s.lrs, 1e-12, `${s.name} lrs`);
    assertEquals(sched.getLastLr(), [lrs[25]!]);
  });
}

function withGrads(grads: (number[] | number[][])[]): Tensor[] {
  return grads.map((g) => {
    const p = zeros(tensor(g).shape, { dtype: "float64", requiresGrad: true });
    p.grad = tensor(g, { dtype: "float64" });
    return p;
  });
}

Deno.test("clipGradNorm() returns PyTorch's total norm and scales gradients like it", () => {
  for (const c of fixtures.clipping.norm) {
    const params = withGrads(c.grads);
    const normType = c.normType === "inf" ? Infinity : Number(c.normType);
    const total = clipGradNorm(params, c.maxNorm, { normType });
    assertClose([total], [c.totalNorm], 1e-12, `total norm (p=${c.normType})`);
    assertClose(
      params.flatMap((p) => p.grad!.toFlatArray()),
      c.clipped.flat(2),
      1e-12,
      `clipped grads (maxNorm ${c.maxNorm}, p=${c.normType})`,
    );
  }
});

Deno.test("clipGradValue() clamps every gradient element like PyTorch", () => {
  const c = fixtures.clipping.value;
  const params = withGrads(c.grads);
  clipGradValue(params, c.clipValue);
  assertEquals(params.flatMap((p) => p.grad!.toFlatArray()), c.clipped.flat(2));
});

Deno.test("an optimizer restored from stateDict() continues the same trajectory", () => {
  const direct = runTrajectory("Adam", { lr: 0.05, amsgrad: true }, "float64", 20).points;
  const p = tensor(fixtures.start, { dtype: "float64", requiresGrad: true });
  let opt = new Adam([p], { lr: 0.05, amsgrad: true });
  const points: number[][] = [];
  for (let i = 0; i < 20; i++) {
    if (i === 10) {
      const saved = JSON.parse(JSON.stringify(opt.stateDict()));
      opt = new Adam([p], { lr: 1 }); // hyperparameters come back from the state dict
      opt.loadStateDict(saved);
    }
    opt.zeroGrad();
    rosenbrock(p).backward();
    opt.step();
    points.push(p.toFlatArray());
  }
  assertEquals(points, direct);
  assertEquals(opt.paramGroups[0]!.lr, 0.05);
});

Deno.test("optimizers reject bad hyperparameters with the name and value", () => {
  const p = () => [zeros([1], { requiresGrad: true })];
  assertThrows(() => new SGD(p(), { lr: -1 }), RangeError, "SGD: invalid lr -1");
  assertThrows(() => new SGD(p(), { lr: 0.1, nesterov: true }), RangeError, "Nesterov momentum");
  assertThrows(() => new Adam(p(), { betas: [1, 0.9] }), RangeError, "invalid betas[0] 1");
  assertThrows(() => new RMSprop([], { lr: 0.1 }), RangeError, "empty parameter list");
  const leaf = zeros([1], { requiresGrad: true });
  assertThrows(() => new SGD([leaf.mul(2)], { lr: 0.1 }), Error, "non-leaf tensor (made by mul)");
  assertThrows(() => new SGD([leaf, leaf], { lr: 0.1 }).addParamGroup({ params: [leaf] }), Error);
});

Deno.test("optimizer.step() skips parameters without a gradient and stops on interrupt", () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3], { requiresGrad: true });
  const opt = new SGD([a, b], { lr: 0.5 });
  a.sum().backward();
  opt.step();
  assertEquals(a.toArray(), [0.5, 1.5]);
  assertEquals(b.toArray(), [3]);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  setInterruptFlag(flag);
  try {
    Atomics.store(flag, 0, 1);
    assertThrows(() => opt.step(), Error, "Interrupted");
    assertEquals(a.toArray(), [0.5, 1.5]);
  } finally {
    setInterruptFlag(null);
  }
});

Deno.test("step(closure) evaluates the closure and returns its loss", () => {
  const w = tensor([2], { requiresGrad: true });
  const opt = new SGD([w], { lr: 0.25 });
  const loss = opt.step(() => {
    opt.zeroGrad();
    const l = w.mul(w).sum();
    l.backward();
    return l;
  });
  assertEquals(loss, 4);
  assertEquals(w.toArray(), [1]);
  assert(opt.stepCount === 1);
});
