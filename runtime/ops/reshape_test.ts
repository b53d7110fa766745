import { assertEquals, assertThrows } from "../testing/assert.ts";
import { expand, flatten, repeat, squeeze, tensor, unsqueeze, zeros } from "../mod.ts";
import { check } from "./test_helpers.ts";

Deno.test("reshape, transpose and permute pass gradcheck", () => {
  check((a) => a.reshape(4, -1), [2, 3, 4]);
  check((a) => a.transpose(0, 2), [2, 3, 4]);
  check((a) => a.permute(2, 0, 1), [2, 3, 4]);
  check((a) => a.T, [3, 4]);
});

Deno.test("squeeze, unsqueeze and flatten pass gradcheck and give PyTorch's shapes", () => {
  check((a) => a.squeeze(), [1, 3, 1]);
  check((a) => squeeze(a, [0, 1]), [1, 3, 1]);
  check((a) => a.unsqueeze(-1), [2, 3]);
  check((a) => flatten(a, 1), [2, 3, 4]);
  assertEquals(zeros([1, 3, 1]).squeeze(1).shape, [1, 3, 1]);
  assertEquals(unsqueeze(zeros([2, 3]), 2).shape, [2, 3, 1]);
  assertEquals(flatten(zeros([2, 3, 4]), 0, 1).shape, [6, 4]);
  assertEquals(tensor(5).flatten().shape, [1]);
});

Deno.test("expand and repeat pass gradcheck and sum gradients over copies", () => {
  check((a) => a.expand(2, 3, 4), [3, 1]);
  check((a) => expand(a, [2, -1]), [3]);
  check((a) => a.broadcastTo([4, 2, 3]), [2, 3]);
  check((a) => a.repeat(2, 1, 2), [2, 3]);
  check((a) => repeat(a, [3]), [2]);
  assertEquals(tensor([[1, 2]]).repeat(2, 2).toArray(), [[1, 2, 1, 2], [1, 2, 1, 2]]);
});

Deno.test("shape ops name the op and the shapes on bad input", () => {
  assertThrows(
    () => expand(zeros([2, 3]), [4, 3]),
    RangeError,
    "expand: cannot expand [2, 3] to [4, 3] (size 2 at dimension 0 is not 1)",
  );
  assertThrows(
    () => expand(zeros([2, 3]), [3]),
    RangeError,
    "expand: cannot expand [2, 3] to [3] (the target has fewer dimensions)",
  );
  assertThrows(
    () => repeat(zeros([2, 3]), [2]),
    RangeError,
    "repeat: 1 repeats for a tensor of shape [2, 3]",
  );
  assertThrows(() => unsqueeze(zeros([2]), 3), RangeError, "unsqueeze: axis 3 is out of range");
  assertThrows(
    () => flatten(zeros([2, 3, 4]), 2, 1),
    RangeError,
    "flatten: startDim 2 comes after endDim 1",
  );
  assertThrows(
    () => zeros([2, 3]).reshape(4, 2),
    RangeError,
    "reshape: cannot reshape [2, 3] (6 elements) into [4, 2]",
  );
});
