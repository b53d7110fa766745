import { assertEquals, assertThrows } from "./testing/assert.ts";
import {
  arange,
  eye,
  gradcheck,
  linspace,
  randn,
  seed,
  type Tensor,
  tensor,
  zeros,
} from "./mod.ts";

Deno.test("tensor() infers the shape of nested arrays", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assertEquals(x.shape, [2, 3]);
  assertEquals(x.dtype, "float32");
  assertEquals(x.toArray(), [[1, 2, 3], [4, 5, 6]]);
});

Deno.test("tensor() rejects ragged arrays with the depth that differs", () => {
  assertThrows(() => tensor([[1, 2], [3]]), RangeError, "expected length 2 at depth 1");
});

Deno.test("factories fill the expected values", () => {
  assertEquals(arange(4).toArray(), [0, 1, 2, 3]);
  assertEquals(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  assertEquals(eye(2).toArray(), [[1, 0], [0, 1]]);
  assertEquals(zeros([2], { dtype: "float64" }).dtype, "float64");
});

Deno.test("seed() makes randn reproducible", () => {
  seed(7);
  const a = randn([5]).toArray();
  seed(7);
  assertEquals(randn([5]).toArray(), a);
});

Deno.test("add() broadcasts [2, 3] with [3] and [2, 1]", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assertEquals(x.add(tensor([10, 20, 30])).toArray(), [[11, 22, 33], [14, 25, 36]]);
  assertEquals(x.add(tensor([[100], [200]])).toArray(), [[101, 102, 103], [204, 205, 206]]);
});

Deno.test("add() names both shapes when they cannot broadcast", () => {
  assertThrows(
    () => tensor([[1, 2, 3]]).add(tensor([1, 2])),
    RangeError,
    "add: cannot broadcast [1, 3] with [2]",
  );
});

Deno.test("matmul() names both shapes when inner sizes differ", () => {
  assertThrows(
    () => zeros([3, 4]).matmul(zeros([5, 2])),
    RangeError,
    "matmul: cannot multiply [3, 4] by [5, 2] (inner sizes 4 and 5 differ)",
  );
});

Deno.test("backward() on a non-scalar without a gradient says what to do", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assertThrows(() => x.mul(2).backward(), RangeError, "only for scalar outputs");
});

Deno.test("mixing float32 and float64 throws a TypeError naming the op", () => {
  assertThrows(
    () => zeros([2]).mul(zeros([2], { dtype: "float64" })),
    TypeError,
    "mul: dtype mismatch: float32 and float64",
  );
});

Deno.test("gradients accumulate across backward() calls until zeroGrad()", () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  x.mul(x).sum().backward();
  x.mul(x).sum().backward();
  assertEquals(x.grad!.toArray(), [4, 8, 12]);
  x.zeroGrad();
  assertEquals(x.grad, null);
});

Deno.test("gradcheck() passes for composed core ops with broadcasting", () => {
  seed(0);
  const a = randn([2, 3, 4], { dtype: "float64", requiresGrad: true });
  const b = randn([4, 5], { dtype: "float64", requiresGrad: true });
  const f = (a: Tensor, b: Tensor) =>
    a.matmul(b).tanh().add(b.sum(0)).sigmoid().mul(a.sum(-1, true)).relu().pow(2);
  assertEquals(gradcheck(f, [a, b]), true);
});

Deno.test("gradcheck() reports a wrong gradient with the element index", () => {
  const x = tensor([0.5, 1.5], { dtype: "float64", requiresGrad: true });
  // detach() inside the function hides a dependency from autodiff, so gradients disagree.
  assertThrows(
    () => gradcheck((x) => x.mul(x.detach()), [x]),
    Error,
    "gradient of input 0 (shape [2]) at element 0",
  );
});
