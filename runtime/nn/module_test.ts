import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { seed } from "../random.ts";
import { randn, type Tensor, zeros } from "../tensor.ts";
import {
  BatchNorm1d,
  Dropout,
  Linear,
  Module,
  ModuleList,
  Parameter,
  ReLU,
  Sequential,
} from "./mod.ts";

class TwoLayer extends Module {
  hidden = new Linear(2, 3);
  norm = new BatchNorm1d(3);
  blocks = [new Linear(3, 3), new Linear(3, 3, { bias: false })];
  scale = new Parameter(zeros([1]));
  cache: Tensor | null = null; // a plain tensor property is not a parameter
  forward(x: Tensor): Tensor {
    let h = this.norm.forward(this.hidden.forward(x)).relu();
    for (const b of this.blocks) h = b.forward(h);
    return h.add(this.scale);
  }
}

Deno.test("namedParameters() lists parameters with dotted names in assignment order", () => {
  const model = new TwoLayer();
  model.cache = randn([2]);
  assertEquals(model.namedParameters().map(([n]) => n), [
    "scale",
    "hidden.weight",
    "hidden.bias",
    "norm.weight",
    "norm.bias",
    "blocks.0.weight",
    "blocks.0.bias",
    "blocks.1.weight",
  ]);
  assertEquals(model.parameters().length, 8);
  assertEquals(model.namedBuffers().map(([n]) => n), [
    "norm.running_mean",
    "norm.running_var",
    "norm.num_batches_tracked",
  ]);
  assertEquals(model.children().length, 4);
});

Deno.test("Sequential names its children 0, 1, 2 and chains them", () => {
  const model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
  assertEquals(model.namedParameters().map(([n]) => n), [
    "0.weight",
    "0.bias",
    "2.weight",
    "2.bias",
  ]);
  assertEquals(model.length, 3);
  assert(model.at(-1) instanceof Linear);
  assertEquals(model.forward(randn([5, 2])).shape, [5, 1]);
  assertEquals(model.call(randn([5, 2])).shape, [5, 1]);
  assertEquals([...model].length, 3);
  assertThrows(() => model.at(3), RangeError, "index 3 is out of range for 3 modules");
});

Deno.test("a shared parameter is listed once", () => {
  class Tied extends Module {
    a = new Linear(3, 3);
    b = new Linear(3, 3);
    constructor() {
      super();
      this.b.weight = this.a.weight;
    }
    forward(x: Tensor): Tensor {
      return this.b.forward(this.a.forward(x));
    }
  }
  assertEquals(new Tied().namedParameters().map(([n]) => n), ["a.weight", "a.bias", "b.bias"]);
});

Deno.test("train() and eval() set training on every submodule", () => {
  const model = new Sequential(new Linear(2, 2), new Dropout(0.5), new ModuleList([new ReLU()]));
  model.eval();
  assert(model.modules().every((m) => !m.training));
  assertEquals(model.modules().length, 5);
  model.train();
  assert(model.modules().every((m) => m.training));
});

Deno.test("zeroGrad() clears every parameter's gradient", () => {
  const model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
  model.forward(randn([4, 2])).sum().backward();
  assert(model.parameters().every((p) => p.grad !== null));
  model.zeroGrad();
  assert(model.parameters().every((p) => p.grad === null));
});

Deno.test("stateDict() round-trips through JSON, including BatchNorm buffers", () => {
  seed(1);
  const a = new TwoLayer();
  a.forward(randn([8, 2])); // moves the running stats
  const json = JSON.stringify(a.stateDict());
  const b = new TwoLayer();
  const weightBefore = b.hidden.weight;
  const result = b.loadStateDict(JSON.parse(json));
  assertEquals(result, { missingKeys: [], unexpectedKeys: [] });
  assert(b.hidden.weight === weightBefore, "loading copies values in place");
  assertEquals(b.stateDict(), a.stateDict());
  assertEquals(b.norm.numBatchesTracked!.item(), 1);
  a.eval();
  b.eval();
  const x = randn([3, 2]);
  assertEquals(b.forward(x).toArray(), a.forward(x).toArray());
});

Deno.test("loadStateDict() names missing and unexpected keys, and shape mismatches", () => {
  const model = new Sequential(new Linear(2, 3));
  const state = model.stateDict();
  const { "0.bias": _bias, ...missing } = state;
  assertThrows(() => model.loadStateDict(missing), Error, "missing keys: 0.bias");
  assertThrows(
    () => model.loadStateDict({ ...state, "1.weight": state["0.weight"]! }),
    Error,
    "unexpected keys: 1.weight",
  );
  assertEquals(model.loadStateDict(missing, { strict: false }).missingKeys, ["0.bias"]);
  const wrong = {
    ...state,
    "0.weight": { shape: [3, 3], dtype: "float32" as const, data: new Array(9).fill(0) },
  };
  assertThrows(
    () => model.loadStateDict(wrong),
    RangeError,
    'shape mismatch for "0.weight": the state dict has [3, 3] (9 values), the model has [3, 2]',
  );
});

Deno.test("toString() prints the module tree like PyTorch", () => {
  const text = new Sequential(new Linear(2, 3), new ReLU()).toString();
  assertStringIncludes(
    text,
    "Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)",
  );
});

Deno.test("apply() visits submodules before their parent", () => {
  const seen: string[] = [];
  new Sequential(new Linear(1, 1), new ReLU()).apply((m) => seen.push(m.constructor.name));
  assertEquals(seen, ["ReLU", "Linear", "Sequential"]);
});

Deno.test("BatchNorm1d's state-dict keys are PyTorch's, in PyTorch's order", () => {
  // torch.nn.BatchNorm1d(3).state_dict().keys()
  assertEquals(Object.keys(new BatchNorm1d(3).stateDict()), [
    "weight",
    "bias",
    "running_mean",
    "running_var",
    "num_batches_tracked",
  ]);
});
