import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  mseLoss,
  nllLoss,
  tensor,
  zeros,
} from "../mod.ts";
import { check, inputs } from "./test_helpers.ts";

const targets = [1, 0, 4, 2];

Deno.test("crossEntropy passes gradcheck for every reduction, label smoothing and ignoreIndex", () => {
  check((x) => crossEntropy(x, targets), [4, 5]);
  check((x) => crossEntropy(x, targets, { reduction: "sum" }), [4, 5]);
  check((x) => crossEntropy(x, targets, { reduction: "none" }), [4, 5]);
  check((x) => crossEntropy(x, tensor(targets), { labelSmoothing: 0.1 }), [4, 5]);
  check((x) => crossEntropy(x, [1, -100, 4, 2], { labelSmoothing: 0.2 }), [4, 5]);
  check((x) => crossEntropy(x, [1, 7, 4, 2], { ignoreIndex: 7, reduction: "none" }), [4, 5]);
});

Deno.test("crossEntropy equals nllLoss of logSoftmax", () => {
  const [x] = inputs([4, 5]);
  assertAlmostEquals(
    crossEntropy(x!, targets).item(),
    nllLoss(x!.logSoftmax(1), targets).item(),
    1e-14,
  );
});

Deno.test("crossEntropy stays finite for logits of 1e4", () => {
  const x = tensor([[1e4, 0], [0, 1e4]], { requiresGrad: true });
  const loss = crossEntropy(x, [1, 1]);
  loss.backward();
  assertAlmostEquals(loss.item(), 5000, 1e-3);
  assertEquals(x.grad!.toFlatArray(), [0.5, -0.5, 0, 0]);
});

Deno.test("nllLoss, mseLoss and binaryCrossEntropyWithLogits pass gradcheck for every reduction", () => {
  for (const reduction of ["mean", "sum", "none"] as const) {
    check((x) => nllLoss(x, targets, { reduction }), [4, 5]);
    check((a, b) => mseLoss(a, b!, { reduction }), [3, 4], [3, 4]);
    check((x, y) => binaryCrossEntropyWithLogits(x, y!.sigmoid(), { reduction }), [3, 4], [3, 4]);
  }
});

Deno.test("binaryCrossEntropyWithLogits is stable for logits of ±100", () => {
  const loss = binaryCrossEntropyWithLogits(
    tensor([-100, 100], { dtype: "float64" }),
    tensor([1, 0], { dtype: "float64" }),
    { reduction: "none" },
  );
  assertEquals(loss.toFlatArray(), [100, 100]);
});

Deno.test("losses name the op and both shapes on mismatch, and kinds with a TypeError", () => {
  assertThrows(
    () => crossEntropy(zeros([2, 5]), [1, 2, 3]),
    RangeError,
    "crossEntropy: targets of shape [3] do not match logits of shape [2, 5] (expected [2] class indices)",
  );
  assertThrows(
    () => crossEntropy(zeros([2, 3, 4]), [1, 2]),
    RangeError,
    "crossEntropy: expected logits of shape [N, C], got [2, 3, 4]",
  );
  assertThrows(
    () => crossEntropy(zeros([2, 5]), [1, 5]),
    RangeError,
    "crossEntropy: target 5 is out of range for size 5",
  );
  assertThrows(
    () => crossEntropy(zeros([1, 5]), [1.5]),
    TypeError,
    "crossEntropy: target must be integers, got 1.5",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => crossEntropy(zeros([1, 5]), [1], { reduction: "avg" as any }),
    TypeError,
    'crossEntropy: reduction must be "mean", "sum" or "none", got "avg"',
  );
  assertThrows(
    () => mseLoss(zeros([3]), zeros([3, 1])),
    RangeError,
    "mseLoss: input shape [3] and target shape [3, 1] differ",
  );
  assertThrows(
    () => binaryCrossEntropyWithLogits(zeros([2]), zeros([2], { dtype: "float64" })),
    TypeError,
    "binaryCrossEntropyWithLogits: dtype mismatch: input is float32, target is float64",
  );
  assertThrows(
    () => nllLoss(zeros([2, 3]), tensor([[0, 1]])),
    RangeError,
    "nllLoss: targets of shape [1, 2] do not match logProbs of shape [2, 3]",
  );
});
