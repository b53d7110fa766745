import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { logSoftmax, logsumexp, softmax, tensor, zeros } from "../mod.ts";
import { check } from "./test_helpers.ts";

Deno.test("softmax and logSoftmax pass gradcheck along first, middle and last axes", () => {
  check((a) => a.softmax(), [3, 5]);
  check((a) => softmax(a, 0), [3, 5]);
  check((a) => a.softmax(1), [2, 3, 4]);
  check((a) => a.logSoftmax(), [3, 5]);
  check((a) => logSoftmax(a, 1), [2, 3, 4]);
  check((a) => a.logSoftmax(0), [2, 3, 4]);
});

Deno.test("logsumexp passes gradcheck over one axis, several axes and all", () => {
  check((a) => a.logsumexp(1), [3, 4]);
  check((a) => a.logsumexp([0, 2], true), [2, 3, 4]);
  check((a) => logsumexp(a), [3, 4]);
});

Deno.test("softmax, logSoftmax and logsumexp stay finite for logits near 1000", () => {
  const x = tensor([[1000, 1001, 999]], { dtype: "float64" });
  const p = softmax(x).toFlatArray();
  assertAlmostEquals(p.reduce((s, v) => s + v, 0), 1, 1e-15);
  assertEquals(p.every(Number.isFinite), true);
  assertAlmostEquals(logSoftmax(x).data[1]!, -0.40760596444438, 1e-12);
  assertAlmostEquals(x.logsumexp().item(), 1001.40760596444438, 1e-10);
  assertAlmostEquals(
    tensor([-1000, -1000], { dtype: "float64" }).logsumexp().item(),
    -1000 + Math.LN2,
    1e-12,
  );
});

Deno.test("softmax rows sum to one along the chosen axis", () => {
  const p = tensor([[1, 2], [3, 4]]).softmax(0);
  assertAlmostEquals(p.sum(0).data[0]!, 1, 1e-6);
  assertAlmostEquals(p.sum(0).data[1]!, 1, 1e-6);
});

Deno.test("softmax names the op when the axis is out of range", () => {
  assertThrows(
    () => softmax(zeros([2, 3]), 2),
    RangeError,
    "softmax: axis 2 is out of range for a tensor of rank 2",
  );
  assertThrows(() => logSoftmax(zeros([2]), -2), RangeError, "logSoftmax: axis -2 is out of range");
});
