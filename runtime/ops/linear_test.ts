import { assertEquals, assertThrows } from "../testing/assert.ts";
import { gradcheck, randn, seed, type Tensor, tensor, zeros } from "../mod.ts";
import { linear } from "./linear.ts";

function reference(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const y = x.matmul(w.transpose(0, 1));
  return b === null ? y : y.add(b);
}

Deno.test("linear() equals x·Wᵀ + b for 2-D and batched inputs", () => {
  seed(1);
  for (const shape of [[5, 3], [2, 4, 3], [3]]) {
    const x = randn(shape, { dtype: "float64" });
    const w = randn([7, 3], { dtype: "float64" });
    const b = randn([7], { dtype: "float64" });
    const got = linear(x, w, b).toFlatArray();
    const want = reference(x, w, b).toFlatArray();
    got.forEach((v, i) => assertEquals(Math.abs(v - want[i]!) < 1e-12, true));
    assertEquals(linear(x, w, null).shape, [...shape.slice(0, -1), 7]);
  }
});

Deno.test("linear() passes gradcheck for input, weight and bias", () => {
  seed(2);
  const x = randn([4, 3], { dtype: "float64", requiresGrad: true });
  const w = randn([5, 3], { dtype: "float64", requiresGrad: true });
  const b = randn([5], { dtype: "float64", requiresGrad: true });
  assertEquals(gradcheck((x, w, b) => linear(x, w, b).tanh(), [x, w, b]), true);
  assertEquals(gradcheck((x, w) => linear(x, w, null).tanh(), [x, w]), true);
});

Deno.test("linear() names the shapes when inFeatures do not match", () => {
  assertThrows(
    () => linear(zeros([2, 4]), zeros([3, 5])),
    RangeError,
    "linear: input [2, 4] does not end in inFeatures = 5 (weight is [3, 5])",
  );
  assertThrows(() => linear(zeros([2, 5]), zeros([3, 5]), tensor([1, 2])), RangeError, "bias [2]");
});
