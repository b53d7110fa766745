/**
 * Compares every op with PyTorch 1.13: forward values and gradients of `(out * w).sum()` stored
 * in runtime/testdata/ops_torch.json by tools/fixtures/ops.py (no Python needed here).
 * Tolerance: |ours - torch| <= tol * (1 + |torch|), tol = 1e-9 in float64 and 1e-4 in float32.
 */
import fixtures from "../testdata/ops_torch.json" with { type: "json" };
import { assert } from "../testing/assert.ts";
import {
  binaryCrossEntropyWithLogits,
  cat,
  crossEntropy,
  type DType,
  gather,
  mseLoss,
  nllLoss,
  oneHot,
  stack,
  type Tensor,
  tensor,
  where,
} from "../mod.ts";

interface Encoded {
  shape: number[];
  data: (number | string)[];
}
interface Case {
  name: string;
  dtype: DType;
  inputs: (Encoded & { grad: boolean })[];
  output: Encoded;
  weight?: Encoded;
  grads?: (Encoded | null)[];
}

type Op = (...inputs: Tensor[]) => Tensor;
const flat = (t: Tensor) => t.toFlatArray();

/** The TypeScript side of every fixture case, keyed by the case name in ops.py. */
const OPS: Record<string, Op> = {
  add_broadcast_row: (a, b) => a.add(b!),
  add_broadcast_column: (a, b) => a.add(b!),
  add_scalar: (a) => a.add(2.5),
  sub_broadcast: (a, b) => a.sub(b!),
  mul_broadcast_outer: (a, b) => a.mul(b!),
  div_broadcast: (a, b) => a.div(b!),
  pow_broadcast: (a, b) => a.pow(b!),
  pow_scalar: (a) => a.pow(3),
  neg: (a) => a.neg(),
  exp: (a) => a.exp(),
  log: (a) => a.log(),
  sqrt: (a) => a.sqrt(),
  abs: (a) => a.abs(),
  tanh: (a) => a.tanh(),
  sigmoid: (a) => a.sigmoid(),
  relu: (a) => a.relu(),
  square: (a) => a.square(),
  reciprocal: (a) => a.reciprocal(),
  log1p: (a) => a.log1p(),
  erf: (a) => a.erf(),
  clamp_both: (a) => a.clamp(-0.5, 0.5),
  clamp_min: (a) => a.clamp(0.1),
  clamp_max: (a) => a.clamp(undefined, -0.1),
  maximum_broadcast: (a, b) => a.maximum(b!),
  minimum_broadcast: (a, b) => a.minimum(b!),
  leaky_relu: (a) => a.leakyRelu(0.1),
  leaky_relu_default: (a) => a.leakyRelu(),
  gelu_exact: (a) => a.gelu(),
  gelu_tanh: (a) => a.gelu({ approximate: "tanh" }),
  softplus: (a) => a.softplus(),
  softplus_beta_threshold: (a) => a.softplus({ beta: 2, threshold: 1 }),
  gt_broadcast: (a, b) => a.gt(b!),
  lt_broadcast: (a, b) => a.lt(b!),
  ge_broadcast: (a, b) => a.ge(b!),
  le_broadcast: (a, b) => a.le(b!),
  eq_broadcast: (a, b) => a.eq(b!),
  ne_broadcast: (a, b) => a.ne(b!),
  gt_scalar: (a) => a.gt(0),
  where_broadcast: (c, a, b) => where(c!, a!, b!),
  where_mixed: (c, a, b) => a!.where(c!, b!),
  masked_fill_broadcast: (a, m) => a.maskedFill(m!, -1.5),
  sum_all: (a) => a.sum(),
  sum_axis1: (a) => a.sum(1),
  sum_axes_keepdim: (a) => a.sum([0, 2], true),
  mean_all: (a) => a.mean(),
  mean_last: (a) => a.mean(-1),
  max_all: (a) => a.max(),
  max_axis1: (a) => a.max(1),
  max_axis0_keepdim: (a) => a.max(0, true),
  max_axes: (a) => a.max([0, 2]),
  min_all: (a) => a.min(),
  min_axis_last: (a) => a.min(-1),
  argmax_all: (a) => a.argmax(),
  argmax_axis1: (a) => a.argmax(1),
  argmax_axis0_keepdim: (a) => a.argmax(0, true),
  argmin_axis1: (a) => a.argmin(1),
  var_all: (a) => a.var(),
  var_axis1: (a) => a.var(1),
  var_axis1_biased_keepdim: (a) => a.var(1, { unbiased: false, keepdim: true }),
  var_axes: (a) => a.var([0, 2]),
  std_all: (a) => a.std(),
  std_axis0: (a) => a.std(0),
  std_axis1_biased: (a) => a.std(1, { correction: 0 }),
  norm_all: (a) => a.norm(),
  norm_p2_axis1: (a) => a.norm(2, 1),
  norm_p1_axis0_keepdim: (a) => a.norm(1, 0, true),
  norm_p3_last: (a) => a.norm(3, -1),
  norm_inf_axis1: (a) => a.norm(Infinity, 1),
  logsumexp_axis1: (a) => a.logsumexp(1),
  logsumexp_axes_keepdim: (a) => a.logsumexp([0, 1], true),
  logsumexp_large: (a) => a.logsumexp(1),
  softmax_last: (a) => a.softmax(-1),
  softmax_middle: (a) => a.softmax(1),
  softmax_large: (a) => a.softmax(),
  log_softmax_last: (a) => a.logSoftmax(-1),
  log_softmax_middle: (a) => a.logSoftmax(1),
  log_softmax_large: (a) => a.logSoftmax(),
  matmul_2d: (a, b) => a.matmul(b!),
  matmul_batched_broadcast: (a, b) => a.matmul(b!),
  matmul_vector_matrix: (a, b) => a.matmul(b!),
  matmul_matrix_vector: (a, b) => a.matmul(b!),
  transpose: (a) => a.transpose(0, 2),
  permute: (a) => a.permute(2, 0, 1),
  reshape: (a) => a.reshape(4, -1),
  squeeze_all: (a) => a.squeeze(),
  squeeze_axis: (a) => a.squeeze(2),
  unsqueeze: (a) => a.unsqueeze(1),
  flatten_from1: (a) => a.flatten(1),
  expand: (a) => a.expand(2, 3, 4),
  repeat: (a) => a.repeat(2, 1, 2),
  slice_step: (a) => a.slice(1, 1, 4, 2),
  slice_negative_start: (a) => a.slice(0, -2),
  narrow: (a) => a.narrow(1, 1, 2),
  index_select_axis0_repeats: (a, i) => a.indexSelect(0, i!),
  index_select_axis1: (a, i) => a.index(1, flat(i!)),
  gather_axis1: (a, i) => a.gather(1, i!),
  gather_axis0_smaller: (a, i) => gather(a, 0, i!),
  cat_axis1: (a, b) => cat([a, b!], 1),
  cat_axis0_three: (a, b, c) => cat([a, b!, c!]),
  stack_axis0: (a, b) => stack([a, b!]),
  stack_axis_last: (a, b) => stack([a, b!], -1),
  one_hot: (i) => oneHot(i, 5, { dtype: i.dtype }),
  cross_entropy_mean: (x, t) => crossEntropy(x, t!),
  cross_entropy_sum: (x, t) => crossEntropy(x, t!, { reduction: "sum" }),
  cross_entropy_none: (x, t) => crossEntropy(x, t!, { reduction: "none" }),
  cross_entropy_label_smoothing: (x, t) => crossEntropy(x, t!, { labelSmoothing: 0.1 }),
  cross_entropy_ignore_index: (x, t) =>
    crossEntropy(x, t!, { ignoreIndex: -100, labelSmoothing: 0.2 }),
  cross_entropy_large_logits: (x, t) => crossEntropy(x, t!),
  cross_entropy_list_targets: (x, t) => crossEntropy(x, flat(t!)),
  nll_loss_mean: (x, t) => nllLoss(x, t!),
  nll_loss_sum: (x, t) => nllLoss(x, t!, { reduction: "sum" }),
  nll_loss_none: (x, t) => nllLoss(x, flat(t!), { reduction: "none" }),
  mse_loss_mean: (a, b) => mseLoss(a, b!),
  mse_loss_sum: (a, b) => mseLoss(a, b!, { reduction: "sum" }),
  mse_loss_none: (a, b) => mseLoss(a, b!, { reduction: "none" }),
  bce_with_logits_mean: (x, y) => binaryCrossEntropyWithLogits(x, y!),
  bce_with_logits_sum: (x, y) => binaryCrossEntropyWithLogits(x, y!, { reduction: "sum" }),
  bce_with_logits_none: (x, y) => binaryCrossEntropyWithLogits(x, y!, { reduction: "none" }),
  bce_with_logits_extreme: (x, y) => binaryCrossEntropyWithLogits(x, y!, { reduction: "none" }),
};

const cases = (fixtures as unknown as { cases: Case[] }).cases;

function decode(e: Encoded, dtype: DType, requiresGrad = false): Tensor {
  return tensor(e.data.map(Number), { dtype, shape: e.shape, requiresGrad });
}

function assertClose(actual: Tensor, expected: Encoded, tol: number, what: string): void {
  assert(
    actual.shape.join() === expected.shape.join(),
    `${what}: shape [${actual.shape}] but torch gives [${expected.shape}]`,
  );
  const want = expected.data.map(Number);
  for (let i = 0; i < want.length; i++) {
    const a = actual.data[i]!;
    const b = want[i]!;
    const ok = Number.isFinite(b) ? Math.abs(a - b) <= tol * (1 + Math.abs(b)) : Object.is(a, b);
    assert(ok, `${what}: element ${i} is ${a} but torch gives ${b}`);
  }
}

Deno.test("every fixture case has a TypeScript op and every op has a fixture", () => {
  const names = new Set(cases.map((c) => c.name));
  const missing = [...names].filter((n) => !(n in OPS));
  const unused = Object.keys(OPS).filter((n) => !names.has(n));
  assert(missing.length === 0, `cases without an op: ${missing.join(", ")}`);
  assert(unused.length === 0, `ops without a case (re-run tools/fixtures/ops.py): ${unused}`);
});

for (const c of cases) {
  Deno.test(`${c.name} (${c.dtype}) matches PyTorch in value and gradient`, () => {
    const tol = c.dtype === "float64" ? 1e-9 : 1e-4;
    const inputs = c.inputs.map((e) => decode(e, c.dtype, e.grad));
    const out = OPS[c.name]!(...inputs);
    assertClose(out, c.output, tol, `${c.name} output`);
    if (c.weight === undefined || c.grads === undefined) return;
    out.mul(decode(c.weight, c.dtype)).sum().backward();
    c.grads.forEach((g, i) => {
      if (g === null) return;
      const grad = inputs[i]!.grad;
      assert(grad !== null, `${c.name}: input ${i} got no gradient`);
      assertClose(grad, g, tol, `${c.name} gradient of input ${i}`);
    });
  });
}
