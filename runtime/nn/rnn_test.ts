import fixtures from "../testdata/rnn_torch.json" with { type: "json" };
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { crossEntropy } from "../ops/loss.ts";
import { takeRows } from "../ops/recurrent.ts";
import { Adam, clipGradNorm } from "../optim/mod.ts";
import { seed } from "../random.ts";
import { randn, Tensor, tensor, zeros } from "../tensor.ts";
import type { SavedTensor, StateDict } from "./module.ts";
import { Embedding } from "./embedding.ts";
import { Linear } from "./linear.ts";
import { GRU, LSTM, RNN } from "./rnn.ts";
import { GRUCell, LSTMCell, RNNCell } from "./rnn_cell.ts";

/** One case written by tools/fixtures/rnn.py (PyTorch 1.13). */
interface RnnCase {
  name: string;
  module: "RNNCell" | "LSTMCell" | "GRUCell" | "RNN" | "LSTM" | "GRU";
  dtype: "float32" | "float64";
  inputSize: number;
  hiddenSize: number;
  options: { numLayers: number; bias: boolean; batchFirst: boolean; nonlinearity: string };
  stateDict: Record<string, SavedTensor>;
  input: SavedTensor;
  h0?: SavedTensor;
  c0?: SavedTensor;
  lossWeights: Record<string, SavedTensor>;
  expected: {
    output?: SavedTensor;
    hN: SavedTensor;
    cN?: SavedTensor;
    grads: Record<string, SavedTensor>;
  };
}

const cases = fixtures.cases as unknown as RnnCase[];

function load(saved: SavedTensor, requiresGrad = false): Tensor {
  return tensor(saved.data, { dtype: saved.dtype, shape: saved.shape, requiresGrad });
}

/** Relative closeness: |a - e| <= tol * max(1, max |e|) over the whole tensor. */
function assertClose(actual: Tensor | null, expected: SavedTensor, tol: number, what: string) {
  assert(actual !== null, `${what}: no value (expected shape [${expected.shape}])`);
  assertEquals([...actual.shape], expected.shape, `${what}: shape`);
  const scale = Math.max(1, ...expected.data.map(Math.abs));
  for (let i = 0; i < expected.data.length; i++) {
    const diff = Math.abs(actual.data[i]! - expected.data[i]!);
    assert(
      diff <= tol * scale,
      `${what}: element ${i} is ${actual.data[i]}, PyTorch gives ${
        expected.data[i]
      } (difference ${diff})`,
    );
  }
}

type AnyRecurrent = RNNCell | LSTMCell | GRUCell | RNN | LSTM | GRU;

function build(c: RnnCase): AnyRecurrent {
  const o = { dtype: c.dtype, bias: c.options.bias };
  const seq = { ...o, numLayers: c.options.numLayers, batchFirst: c.options.batchFirst };
  const nonlinearity = c.options.nonlinearity as "tanh" | "relu";
  switch (c.module) {
    case "RNNCell":
      return new RNNCell(c.inputSize, c.hiddenSize, { ...o, nonlinearity });
    case "LSTMCell":
      return new LSTMCell(c.inputSize, c.hiddenSize, o);
    case "GRUCell":
      return new GRUCell(c.inputSize, c.hiddenSize, o);
    case "RNN":
      return new RNN(c.inputSize, c.hiddenSize, { ...seq, nonlinearity });
    case "LSTM":
      return new LSTM(c.inputSize, c.hiddenSize, seq);
    case "GRU":
      return new GRU(c.inputSize, c.hiddenSize, seq);
  }
}

/** Runs the module and returns output (sequence layers only), hN and cN (LSTMs only). */
function run(
  m: AnyRecurrent,
  x: Tensor,
  h0: Tensor | null,
  c0: Tensor | null,
): { output: Tensor | null; hN: Tensor; cN: Tensor | null } {
  const hc: [Tensor, Tensor] | null = h0 !== null && c0 !== null ? [h0, c0] : null;
  if (m instanceof LSTMCell) {
    const [hN, cN] = m.forward(x, hc);
    return { output: null, hN, cN };
  }
  if (m instanceof LSTM) {
    const [output, [hN, cN]] = m.forward(x, hc);
    return { output, hN, cN };
  }
  if (m instanceof RNN || m instanceof GRU) {
    const [output, hN] = m.forward(x, h0);
    return { output, hN, cN: null };
  }
  return { output: null, hN: m.forward(x, h0), cN: null };
}

for (const c of cases) {
  Deno.test(`nn.${c.module} matches PyTorch: ${c.name}`, () => {
    const tol = c.dtype === "float64" ? 1e-9 : 1e-4;
    const m = build(c);
    assertEquals(
      Object.keys(m.stateDict()),
      Object.keys(c.stateDict),
      "parameter names and order",
    );
    m.loadStateDict(c.stateDict as StateDict);
    const x = load(c.input, true);
    const h0 = c.h0 ? load(c.h0, true) : null;
    const c0 = c.c0 ? load(c.c0, true) : null;
    const { output, hN, cN } = run(m, x, h0, c0);
    if (c.expected.output) assertClose(output, c.expected.output, tol, "output");
    assertClose(hN, c.expected.hN, tol, "hN");
    if (c.expected.cN) assertClose(cN, c.expected.cN, tol, "cN");

    const outputs: [Tensor | null, string][] = [[output, "output"], [hN, "hN"], [cN, "cN"]];
    let loss: Tensor | null = null;
    for (const [t, key] of outputs) {
      const w = c.lossWeights[key];
      if (t === null || w === undefined) continue;
      const term = t.mul(load(w)).sum();
      loss = loss === null ? term : loss.add(term);
    }
    loss!.backward();
    const { grads } = c.expected;
    assertClose(x.grad, grads.input!, tol, "gradient of the input");
    if (h0 !== null) assertClose(h0.grad, grads.h0!, tol, "gradient of h0");
    if (c0 !== null) assertClose(c0.grad, grads.c0!, tol, "gradient of c0");
    for (const [name, p] of m.namedParameters()) {
      assertClose(p.grad, grads[name]!, tol, `gradient of ${name}`);
    }
  });
}

Deno.test("nn.LSTM names its parameters like PyTorch, layer by layer", () => {
  const lstm = new LSTM(3, 4, { numLayers: 2, bias: false });
  assertEquals(lstm.namedParameters().map(([name, p]) => [name, [...p.shape]]), [
    ["weight_ih_l0", [16, 3]],
    ["weight_hh_l0", [16, 4]],
    ["weight_ih_l1", [16, 4]],
    ["weight_hh_l1", [16, 4]],
  ]);
  assertEquals(lstm.layerWeights(1).weightIh, lstm.parameters()[2]);
  assertThrows(() => lstm.layerWeights(2), RangeError, "layer 2 does not exist (numLayers is 2)");
});

Deno.test("nn.GRUCell draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize))", () => {
  seed(0);
  const cell = new GRUCell(10, 25);
  for (const [name, p] of cell.namedParameters()) {
    const values = Array.from(p.data);
    const bound = 1 / 5;
    assert(values.every((v) => Math.abs(v) <= bound), `${name} has a value outside ±${bound}`);
    assert(Math.max(...values) > 0.9 * bound, `${name} does not fill the range`);
  }
});

Deno.test("nn.LSTM backpropagates through 256 steps without overflowing the stack", () => {
  seed(1);
  const lstm = new LSTM(4, 8, { numLayers: 2 });
  const x = randn([256, 2, 4], { requiresGrad: true });
  const [output] = lstm.forward(x);
  output.sum().backward();
  assert(x.grad !== null && x.grad.data.every(Number.isFinite), "the input gradient is finite");
  // A long chain of cells, one op each, must not overflow either.
  const cell = new LSTMCell(4, 8);
  let state: [Tensor, Tensor] | null = null;
  for (let t = 0; t < 256; t++) state = cell.forward(takeRows(x, t, 1, [2, 4]), state);
  state![0].sum().backward();
  assert(cell.weights.weightHh.grad !== null, "the cell's weight_hh gets a gradient");
});

Deno.test("nn.RNN applies dropout between layers only in training", () => {
  seed(2);
  const rnn = new RNN(3, 16, { numLayers: 2, dropout: 0.5 });
  const x = randn([5, 2, 3]);
  const [a] = rnn.eval().forward(x);
  const [b] = rnn.forward(x);
  assertEquals(Array.from(a.data), Array.from(b.data));
  const [c] = rnn.train().forward(x);
  assert(Array.from(c.data).some((v, i) => v !== a.data[i]), "training output differs");
});

Deno.test("nn.LSTM reports a wrong input width and initial state shape", () => {
  const lstm = new LSTM(3, 4, { numLayers: 2, batchFirst: true });
  assertThrows(
    () => lstm.forward(zeros([2, 5, 6])),
    RangeError,
    "LSTM: input must have shape [batch, steps, 3] (or [steps, 3] unbatched), got [2, 5, 6]",
  );
  assertThrows(
    () => lstm.forward(zeros([2, 5, 3]), [zeros([1, 2, 4]), zeros([2, 2, 4])]),
    RangeError,
    "LSTM: the initial state must have shape [2, 2, 4]",
  );
  assertThrows(
    () => new GRUCell(3, 4).forward(zeros([2, 3]), zeros([3, 4])),
    RangeError,
    "GRUCell: the hidden state must have shape [2, 4] for this input, got [3, 4]",
  );
  assertThrows(() => new RNN(3, 0), RangeError, "RNN: hiddenSize must be an integer of at least 1");
  assertThrows(
    () => new RNNCell(3, 4, { nonlinearity: "gelu" as "relu" }),
    TypeError,
    'RNNCell: unknown nonlinearity "gelu"',
  );
});

Deno.test("nn.GRU prints its configuration", () => {
  assertEquals(
    new GRU(3, 4, { numLayers: 2, batchFirst: true }).toString(),
    "GRU(3, 4, numLayers=2, batchFirst=true)",
  );
  assertEquals(new LSTMCell(3, 4, { bias: false }).toString(), "LSTMCell(3, 4, bias=false)");
});

Deno.test("nn.LSTMCell exposes its parameters under PyTorch's names", () => {
  const cell = new LSTMCell(3, 4);
  assertEquals([...cell.weight_ih.shape], [16, 3]);
  assertEquals([...cell.weight_hh.shape], [16, 4]);
  assertEquals(cell.bias_ih, cell.weights.biasIh);
  const bare = new RNNCell(3, 4, { bias: false });
  assertEquals([bare.bias_ih, bare.bias_hh], [null, null]);
  assertEquals(bare.namedParameters().map(([name]) => name), ["weight_ih", "weight_hh"]);
});

Deno.test("a character-level LSTM learns to continue a repeating text with Adam (seeded)", () => {
  seed(0);
  const text = "hello world. ".repeat(8);
  const vocab = [...new Set(text)];
  const ids = [...text].map((ch) => vocab.indexOf(ch));
  const embed = new Embedding(vocab.length, 8);
  const lstm = new LSTM(8, 32, { batchFirst: true });
  const head = new Linear(32, vocab.length);
  const parameters = [...embed.parameters(), ...lstm.parameters(), ...head.parameters()];
  const optimizer = new Adam(parameters, { lr: 0.02 });
  const steps = 26;
  const inputs = [0, 13, 39].map((s) => ids.slice(s, s + steps));
  const targets = [0, 13, 39].flatMap((s) => ids.slice(s + 1, s + steps + 1));
  let loss = Infinity;
  for (let i = 0; i < 60; i++) {
    optimizer.zeroGrad();
    const [output] = lstm.forward(embed.forward(inputs));
    const l = crossEntropy(head.forward(output.reshape(-1, 32)), targets);
    l.backward();
    clipGradNorm(parameters, 1);
    optimizer.step();
    loss = l.item();
  }
  assert(loss < 0.3, `the loss after 60 steps is ${loss}`);
});
