/**
 * conv2d against PyTorch 1.13 (runtime/testdata/vision_torch.json, written by
 * tools/fixtures/vision.py), gradcheck, and its shape errors. Fixture tolerance:
 * |ours − torch| ≤ tol·(1 + |torch|), tol = 1e-9 in float64 and 1e-4 in float32.
 */
import fixtures from "../testdata/vision_torch.json" with { type: "json" };
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { gradcheck } from "../gradcheck.ts";
import { seed } from "../random.ts";
import { type DType, randn, Tensor, tensor } from "../tensor.ts";
import { conv2d, type Conv2dOptions } from "./conv.ts";

interface Saved {
  shape: number[];
  data: number[];
}

function load(saved: Saved, dtype: DType, requiresGrad = false): Tensor {
  return tensor(saved.data, { dtype, shape: saved.shape, requiresGrad });
}

function assertMatches(actual: Tensor | null, expected: Saved, dtype: DType, what: string) {
  assert(actual !== null, `${what}: no gradient was computed`);
  assertEquals([...actual.shape], expected.shape, `${what}: shape`);
  const tol = dtype === "float64" ? 1e-9 : 1e-4;
  expected.data.forEach((e, i) => {
    const a = actual.data[i]!;
    assert(Math.abs(a - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: ours ${a}, torch ${e}`);
  });
}

for (const c of fixtures.conv2d) {
  const dtype = c.dtype as DType;
  Deno.test(`conv2d() matches PyTorch for ${c.name} (${dtype})`, () => {
    const input = load(c.input, dtype, true);
    const weight = load(c.weight, dtype, true);
    const bias = "bias" in c ? load(c.bias as Saved, dtype, true) : null;
    const out = conv2d(input, weight, bias, c.options as Conv2dOptions);
    assertMatches(out, c.out, dtype, "output");
    out.mul(load(c.w, dtype)).sum().backward();
    assertMatches(input.grad, c.grad_input, dtype, "input gradient");
    assertMatches(weight.grad, c.grad_weight, dtype, "weight gradient");
    if (bias !== null) assertMatches(bias.grad, c.grad_bias as Saved, dtype, "bias gradient");
  });
}

function leaves(...shapes: number[][]): Tensor[] {
  seed(3);
  return shapes.map((s) => randn(s, { dtype: "float64", requiresGrad: true }));
}

Deno.test("conv2d() passes gradcheck with stride, padding, dilation and bias", () => {
  const [x, w, b] = leaves([2, 2, 6, 5], [3, 2, 3, 2], [3]);
  const options = { stride: [2, 1], padding: [1, 2], dilation: [1, 2] } as const;
  assert(gradcheck((x, w, b) => conv2d(x, w, b, options), [x!, w!, b!]));
});

Deno.test("conv2d() passes gradcheck with groups and no bias", () => {
  const [x, w] = leaves([1, 4, 5, 5], [6, 2, 2, 2]);
  assert(gradcheck((x, w) => conv2d(x, w, null, { groups: 2, padding: 1 }), [x!, w!]));
});

Deno.test("conv2d() computes only the gradients that are required", () => {
  const [w] = leaves([2, 1, 3, 3]);
  const x = randn([2, 1, 5, 5], { dtype: "float64" });
  conv2d(x, w!).sum().backward();
  assertEquals(x.grad, null);
  assertEquals(w!.grad!.shape, [2, 1, 3, 3]);
});

Deno.test("conv2d() convolves one unbatched [C, H, W] image", () => {
  const x = tensor([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]);
  const w = tensor([[[[1, 0], [0, -1]]]]);
  const y = conv2d(x, w, tensor([10]));
  assertEquals(y.shape, [1, 2, 2]);
  assertEquals(y.toArray(), [[[6, 6], [6, 6]]]);
});

Deno.test("conv2d() rejects a weight whose channels do not match the input", () => {
  assertThrows(
    () => conv2d(randn([1, 3, 5, 5]), randn([4, 2, 3, 3])),
    RangeError,
    "conv2d: input [1, 3, 5, 5] has 3 channels but weight [4, 2, 3, 3] expects 2",
  );
});

Deno.test("conv2d() rejects a kernel larger than the padded input", () => {
  assertThrows(
    () => conv2d(randn([1, 1, 3, 3]), randn([1, 1, 5, 5])),
    RangeError,
    "larger than the padded input 3x3",
  );
  assertThrows(
    () => conv2d(randn([1, 1, 3, 3]), randn([1, 1, 2, 2]), null, { stride: 0 }),
    RangeError,
    "stride must be an integer ≥ 1",
  );
});

Deno.test("conv2d() rejects a bias of the wrong length and mixed dtypes", () => {
  assertThrows(
    () => conv2d(randn([1, 1, 3, 3]), randn([2, 1, 2, 2]), randn([3])),
    RangeError,
    "bias must be [2]",
  );
  assertThrows(
    () => conv2d(randn([1, 1, 3, 3]), randn([2, 1, 2, 2], { dtype: "float64" })),
    TypeError,
    "dtype mismatch",
  );
});
