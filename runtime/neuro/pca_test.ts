import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { tensor } from "../tensor.ts";
import { covariance, pca, symmetricEigen } from "./pca.ts";

Deno.test("symmetricEigen() finds the closed-form eigenpairs of a 2x2 matrix", () => {
  const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
  assertAlmostEquals(values[0]!, 3, 1e-12);
  assertAlmostEquals(values[1]!, 1, 1e-12);
  assertAlmostEquals(Math.abs(vectors[0]![0]! + vectors[0]![1]!) / 2, Math.SQRT1_2, 1e-12);
});

Deno.test("symmetricEigen() reconstructs a random symmetric matrix as V diag(values) V^T", () => {
  const g = new Generator(3);
  const n = 12;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) a[i]![j] = a[j]![i] = g.normal();
  }
  const { values, vectors } = symmetricEigen(a);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[k]![i]! * values[k]! * vectors[k]![j]!;
      assertAlmostEquals(s, a[i]![j]!, 1e-10);
      let dot = 0;
      for (let k = 0; k < n; k++) dot += vectors[i]![k]! * vectors[j]![k]!;
      assertAlmostEquals(dot, i === j ? 1 : 0, 1e-10);
    }
  }
  for (let k = 1; k < n; k++) assert(values[k]! <= values[k - 1]!);
});

Deno.test("covariance() is the unbiased sample covariance", () => {
  const { mean, covariance: c } = covariance([[1, 2], [3, 6], [5, 7]]);
  assertEquals(mean, [3, 5]);
  assertEquals(c, [[4, 5], [5, 7]]);
  assertThrows(() => covariance([[1, 2]]), RangeError, "needs at least 2 samples, got 1");
});

Deno.test("pca() recovers a planted low-dimensional subspace from a Tensor", () => {
  const g = new Generator(8);
  const rows: number[][] = [];
  const u = [1, 2, 0, -1, 0.5].map((x) => x / Math.sqrt(6.25));
  for (let t = 0; t < 500; t++) {
    const z = 3 * g.normal();
    rows.push(u.map((x) => 7 + z * x + 0.1 * g.normal()));
  }
  const result = pca(tensor(rows, { dtype: "float64" }), 2);
  const cos = result.components[0]!.reduce((s, x, i) => s + x * u[i]!, 0);
  assertAlmostEquals(Math.abs(cos), 1, 1e-3);
  assert(result.explainedVarianceRatio[0]! > 0.99);
  assertAlmostEquals(result.mean[0]!, 7, 0.2);
  const projected = result.project(rows.slice(0, 3));
  assertEquals(projected.length, 3);
  assertEquals(projected[0]!.length, 2);
});
