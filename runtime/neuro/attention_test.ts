import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { gradcheck } from "../gradcheck.ts";
import { Generator } from "../random.ts";
import { Tensor, tensor } from "../tensor.ts";
import { scaledDotProductAttention } from "./attention.ts";

function expectAllClose(actual: number[], expected: number[], tolerance: number): void {
  assertEquals(actual.length, expected.length);
  for (const [i, x] of expected.entries()) {
    assertAlmostEquals(actual[i]!, x, tolerance, `index ${i}`);
  }
}

const f64 = { dtype: "float64" as const, requiresGrad: true };
const q = () => tensor([[[0.3, -1.2, 0.5], [1.0, 0.2, -0.4]]], f64);
const k = () => tensor([[[0.1, 0.7, -0.3], [-0.5, 0.2, 0.9], [1.1, -0.6, 0.4]]], f64);
const v = () => tensor([[[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]]], f64);

Deno.test("scaledDotProductAttention() matches PyTorch 1.13 values and gradients", () => {
  // Fixture: torch.softmax(q @ k.transpose(-2, -1) / 3 ** 0.5, -1) @ v in float64, then
  // (o * [[1, -2], [0.5, 3]]).sum().backward().
  const [qt, kt, vt] = [q(), k(), v()];
  const { output, weights } = scaledDotProductAttention(qt, kt, vt);
  expectAllClose(weights.toFlatArray(), [
    0.15663959578467232,
    0.28226458417371797,
    0.5610958200416096,
    0.355851501371543,
    0.1800510092031086,
    0.46409748942534834,
  ], 1e-12);
  expectAllClose(output.toFlatArray(), [
    0.04270375762343723,
    0.06164440962707696,
    0.31502973899603887,
    0.47686026474689647,
  ], 1e-12);
  output.mul(tensor([[[1, -2], [0.5, 3]]], { dtype: "float64" })).sum().backward();
  expectAllClose(qt.grad!.toFlatArray(), [
    0.7644975223501043,
    -0.5934647249911544,
    0.028414728470346956,
    -0.9113410399576859,
    1.2629948894552112,
    -0.7369758301317517,
  ], 1e-12);
  expectAllClose(kt.grad!.toFlatArray(), [
    0.9299494754144217,
    0.5186550380932455,
    -0.5356721621232481,
    -0.15497355760110454,
    0.36313137294901043,
    -0.13194563439679902,
    -0.7749759178133173,
    -0.8817864110422561,
    0.6676177965200472,
  ], 1e-12);
  expectAllClose(vt.grad!.toFlatArray(), [
    0.3345653464704438,
    0.7542753125452843,
    0.37229008877527225,
    -0.02437614073811012,
    0.7931445647542839,
    0.27010082819282566,
  ], 1e-12);
});

Deno.test("scaledDotProductAttention() passes gradcheck for queries, keys, values", () => {
  const g = new Generator(7);
  const r = (shape: number[]) =>
    new Tensor(
      Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => g.normal()),
      shape,
      true,
    );
  gradcheck((a, b, c) => scaledDotProductAttention(a, b, c).output, [
    r([2, 3, 4]),
    r([2, 5, 4]),
    r([2, 5, 2]),
  ]);
});

Deno.test("scaledDotProductAttention() gives masked keys zero weight", () => {
  const mask = tensor([[0, 1, 0], [0, 0, 1]], { dtype: "float64" });
  const { weights } = scaledDotProductAttention(q(), k(), v(), { mask });
  const w = weights.toFlatArray();
  assertEquals([w[1], w[5]], [0, 0]);
  expectAllClose([w[0]! + w[2]!, w[3]! + w[4]!], [1, 1], 1e-12);
  gradcheck((a) => scaledDotProductAttention(a, k(), v(), { mask }).output, [q()]);
});

Deno.test("scaledDotProductAttention() rejects mismatched feature sizes", () => {
  assertThrows(
    () => scaledDotProductAttention(tensor([[1, 2]]), tensor([[1, 2, 3]]), tensor([[1]])),
    RangeError,
    "have different feature sizes",
  );
});
