import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { noGrad } from "../core/autograd.ts";
import { gradcheck } from "../gradcheck.ts";
import { seed } from "../random.ts";
import { randn, type Tensor, zeros } from "../tensor.ts";
import { gruCellStep, gruLayer } from "./gru_layer.ts";
import { lstmCellStep, lstmLayer } from "./lstm_layer.ts";
import { stackStates, takeRows } from "./recurrent.ts";
import { rnnCellStep, rnnLayer } from "./rnn_layer.ts";
import { setWorkStealing, workerJobsRun } from "../kernels/thread_pool.ts";
import { setThreads } from "../kernels/threads.ts";
import { threadsReady } from "../kernels/wasm_gemm.ts";

const f64 = { dtype: "float64", requiresGrad: true } as const;

/** Random float64 leaves: input, state(s) and the four parameters for `gates` gates. */
function leaves(gates: number, steps: number, states: number) {
  seed(7);
  const [batch, inputSize, hidden] = [2, 3, 4];
  const x = randn(steps === 0 ? [batch, inputSize] : [steps, batch, inputSize], f64);
  const s = Array.from({ length: states }, () => randn([batch, hidden], f64));
  const w = [
    randn([gates * hidden, inputSize], f64),
    randn([gates * hidden, hidden], f64),
    randn([gates * hidden], f64),
    randn([gates * hidden], f64),
  ];
  return [x, ...s, ...w];
}

Deno.test("lstmCellStep() passes gradcheck for input, both states and all weights", () => {
  gradcheck((x, h, c, a, b, d, e) => {
    const [h1, c1] = lstmCellStep(x, h, c, a, b, d, e);
    return h1.mul(2).add(c1);
  }, leaves(4, 0, 2));
});

Deno.test("gruCellStep() passes gradcheck for input, state and all weights", () => {
  gradcheck((x, h, a, b, d, e) => gruCellStep(x, h, a, b, d, e), leaves(3, 0, 1));
});

Deno.test("rnnCellStep() passes gradcheck with tanh and with relu", () => {
  gradcheck((x, h, a, b, d, e) => rnnCellStep(x, h, a, b, d, e, "tanh"), leaves(1, 0, 1));
  gradcheck((x, h, a, b, d, e) => rnnCellStep(x, h, a, b, d, e, "relu"), leaves(1, 0, 1));
});

Deno.test("a 2-layer LSTM over 4 steps passes gradcheck, outputs and final states together", () => {
  seed(3);
  const w2 = [randn([16, 4], f64), randn([16, 4], f64), randn([16], f64), randn([16], f64)];
  gradcheck((x, h, c, a, b, d, e, a2, b2, d2, e2) => {
    const [out1, h1, c1] = lstmLayer(x, h, c, a, b, d, e);
    const [out2, h2, c2] = lstmLayer(out1, h1, c1, a2, b2, d2, e2);
    return stackStates([out2.sum(0), h2, c2.mul(0.5)]);
  }, [...leaves(4, 4, 2), ...w2]);
});

Deno.test("gruLayer() and rnnLayer() over 4 steps pass gradcheck", () => {
  gradcheck((x, h, a, b, d, e) => {
    const [out, hN] = gruLayer(x, h, a, b, d, e);
    return out.sum(0).add(hN);
  }, leaves(3, 4, 1));
  gradcheck((x, h, a, b, d, e) => rnnLayer(x, h, a, b, d, e)[0], leaves(1, 4, 1));
});

Deno.test("lstmLayer() without biases or initial states matches it with zeros", () => {
  const [x, , , a, b] = leaves(4, 3, 2) as Tensor[];
  const zero = zeros([2, 4], { dtype: "float64" });
  const bias = zeros([16], { dtype: "float64" });
  const [out1] = noGrad(() => lstmLayer(x!, null, null, a!, b!, null, null));
  const [out2] = noGrad(() => lstmLayer(x!, zero, zero, a!, b!, bias, bias));
  assertEquals(Array.from(out1.data), Array.from(out2.data));
});

Deno.test("lstmLayer() records one graph node whatever the sequence length", () => {
  const [x, , , a, b, d, e] = leaves(4, 50, 2) as Tensor[];
  const [output] = lstmLayer(x!, null, null, a!, b!, d!, e!);
  assertEquals(output.gradFn?.op, "lstm.output");
  assertEquals(output.gradFn?.inputs[0]?.gradFn?.op, "lstm");
  assertEquals(output.gradFn?.inputs[0]?.gradFn?.inputs.length, 5); // x, weights, biases
});

Deno.test("the recurrent ops report the shape that does not fit", () => {
  const [x, h, c, a, b] = leaves(4, 3, 2) as Tensor[];
  assertThrows(
    () => lstmLayer(x!, h!, c!, b!, b!, null, null),
    RangeError,
    "lstm: weight_ih must have shape [4·hiddenSize, 3], got [16, 4]",
  );
  assertThrows(
    () => lstmLayer(x!, zeros([3, 4], { dtype: "float64" }), c!, a!, b!, null, null),
    RangeError,
    "lstm: the initial state must have shape [2, 4], got [3, 4]",
  );
  assertThrows(
    () => lstmCellStep(x!, h!, c!, a!, b!, null, null),
    RangeError,
    "lstmCellStep: input must have shape [batch, inputSize], got [3, 2, 3]",
  );
  assertThrows(
    () => rnnLayer(zeros([0, 2, 3]), null, zeros([4, 3]), zeros([4, 4]), null, null),
    RangeError,
    "rnn: the input sequence is empty (shape [0, 2, 3])",
  );
  assertThrows(
    () => gruLayer(x!, null, zeros([12, 3]), zeros([12, 4]), null, null),
    TypeError,
    "gru: dtype mismatch: the input is float64 but a weight or state is float32",
  );
});

Deno.test("takeRows() copies a block of rows and routes its gradient back", () => {
  const x = randn([4, 3], f64);
  const rows = takeRows(x, 1, 2, [6]);
  assertEquals(Array.from(rows.data), Array.from(x.data.slice(3, 9)));
  rows.sum().backward();
  assertEquals(Array.from(x.grad!.data), [0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
  assert(gradcheck((t) => takeRows(t, 2, 1, [3]), [randn([4, 3], f64)]));
});

Deno.test("lstmLayer() runs the recurrence of a batch of 16 on the pool's threads at the default split threshold", async () => {
  // Each product of the recurrence (16×128×512) is too small to split; the rows are not.
  const previousThreads = setThreads(2);
  const previousStealing = setWorkStealing(false); // the worker must take a block
  try {
    assertEquals(await threadsReady(), 2);
    seed(3);
    const [x, wIh, wHh] = [randn([32, 16, 4]), randn([512, 4]), randn([512, 128])];
    const before = workerJobsRun();
    const [output] = noGrad(() => lstmLayer(x, null, null, wIh, wHh, null, null));
    assertEquals(output.shape, [32, 16, 128]);
    assert(workerJobsRun() > before, "no block of the recurrence ran on a worker");
  } finally {
    setThreads(previousThreads);
    setWorkStealing(previousStealing);
  }
});
