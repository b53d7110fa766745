import { assertEquals, assertThrows } from "../testing/assert.ts";
import { gather, indexSelect, narrow, oneHot, slice, tensor, zeros } from "../mod.ts";
import { check, leaf } from "./test_helpers.ts";

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: "float64" });

Deno.test("slice and narrow pass gradcheck with steps and negative bounds", () => {
  check((a) => a.slice(1, 1, 4, 2), [3, 5]);
  check((a) => slice(a, 0, -2), [3, 5]);
  check((a) => a.slice(2, 0, 100, 3), [2, 3, 5]);
  check((a) => narrow(a, 1, 1, 2), [3, 5]);
});

Deno.test("slice() follows Python's slicing rules", () => {
  const x = tensor([0, 1, 2, 3, 4]);
  assertEquals(x.slice(0, -3, -1).toArray(), [2, 3]);
  assertEquals(x.slice(0, 3, 1).shape, [0]);
  assertEquals(x.slice(0, 0, undefined, 2).toArray(), [0, 2, 4]);
});

Deno.test("indexSelect and gather pass gradcheck, accumulating repeated indices", () => {
  check((a) => a.indexSelect(0, [2, 0, 2]), [3, 4]);
  check((a) => indexSelect(a, 1, f64([3, 1])), [3, 4]);
  check((a) => a.gather(1, f64([[0, 3], [1, 1], [2, 0]])), [3, 4]);
  check((a) => gather(a, 0, f64([[2, 0, 1], [0, 0, 2]])), [3, 4]);
  check((a) => gather(a, 2, tensor([[[1, 1]], [[0, 2]]], { dtype: "float64" })), [2, 3, 3]);
  const table = leaf([[1, 2], [3, 4]]);
  table.indexSelect(0, [1, 1, 0]).sum().backward();
  assertEquals(table.grad!.toArray(), [[1, 1], [2, 2]]);
});

Deno.test("oneHot() encodes class indices and infers the class count", () => {
  assertEquals(oneHot([0, 2], 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
  assertEquals(oneHot(tensor([[1], [0]])).shape, [2, 1, 2]);
});

Deno.test("indexing ops name the op, the index and the shapes on bad input", () => {
  assertThrows(
    () => gather(zeros([2, 2]), 0, zeros([2, 3])),
    RangeError,
    "gather: index shape [2, 3] does not fit input shape [2, 2] (size 3 > 2 at dimension 1, " +
      "which is not axis 0)",
  );
  assertThrows(
    () => gather(zeros([2, 2]), 1, zeros([3, 1])),
    RangeError,
    "gather: index shape [3, 1] does not fit input shape [2, 2]",
  );
  assertThrows(
    () => gather(zeros([2, 2]), 1, zeros([2])),
    RangeError,
    "gather: index shape [2] has 1 dimensions but input shape [2, 2] has 2",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => gather(zeros([2, 2]), 1, [[0], [1]] as any),
    TypeError,
    "gather: index must be a Tensor of integers, got an array",
  );
  assertThrows(
    () => indexSelect(zeros([3, 2]), 0, [0, 3]),
    RangeError,
    "indexSelect: index 3 is out of range for size 3",
  );
  assertThrows(
    () => indexSelect(zeros([3, 2]), 0, [0.5]),
    TypeError,
    "indexSelect: index must be integers, got 0.5 at position 0",
  );
  assertThrows(
    () => narrow(zeros([4]), 0, 2, 3),
    RangeError,
    "narrow: start 2 and length 3 do not fit axis 0 of size 4",
  );
  assertThrows(
    () => slice(zeros([4]), 0, 0, 4, 0),
    RangeError,
    "slice: step must be a positive integer, got 0",
  );
  assertThrows(
    () => oneHot([1, 5], 3),
    RangeError,
    "oneHot: class index 5 is out of range for size 3",
  );
});
