/**
 * maxPool2d and avgPool2d against PyTorch 1.13 (runtime/testdata/vision_torch.json, written by
 * tools/fixtures/vision.py), gradcheck, tie-breaking and errors. Fixture tolerance:
 * |ours − torch| ≤ 1e-9·(1 + |torch|) in float64.
 */
import fixtures from "../testdata/vision_torch.json" with { type: "json" };
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { gradcheck } from "../gradcheck.ts";
import { seed } from "../random.ts";
import { randn, Tensor, tensor } from "../tensor.ts";
import type { Size2d } from "./conv.ts";
import { avgPool2d, type AvgPool2dOptions, maxPool2d } from "./pool.ts";

interface Saved {
  shape: number[];
  data: number[];
}

function assertMatches(actual: Tensor | null, expected: Saved, what: string) {
  assert(actual !== null, `${what}: no gradient was computed`);
  assertEquals([...actual.shape], expected.shape, `${what}: shape`);
  expected.data.forEach((e, i) => {
    const a = actual.data[i]!;
    assert(Math.abs(a - e) <= 1e-9 * (1 + Math.abs(e)), `${what}[${i}]: ours ${a}, torch ${e}`);
  });
}

for (const c of fixtures.pool) {
  const name = c.kind === "max" ? "maxPool2d" : "avgPool2d";
  Deno.test(`${name}() matches PyTorch for ${c.name}`, () => {
    const input = tensor(c.input.data, {
      dtype: "float64",
      shape: c.input.shape,
      requiresGrad: true,
    });
    const pool = c.kind === "max" ? maxPool2d : avgPool2d;
    const out = pool(input, c.kernelSize as Size2d, c.options as AvgPool2dOptions);
    assertMatches(out, c.out, "output");
    out.mul(tensor(c.w.data, { dtype: "float64", shape: c.w.shape })).sum().backward();
    assertMatches(input.grad, c.grad_input, "input gradient");
  });
}

function leaf(shape: number[]): Tensor {
  seed(11);
  return randn(shape, { dtype: "float64", requiresGrad: true });
}

Deno.test("maxPool2d() passes gradcheck with overlapping padded windows", () => {
  assert(gradcheck((x) => maxPool2d(x, 3, { stride: 2, padding: 1 }), [leaf([2, 2, 6, 7])]));
});

Deno.test("avgPool2d() passes gradcheck with and without countIncludePad", () => {
  const x = leaf([2, 2, 5, 6]);
  assert(gradcheck((x) => avgPool2d(x, [3, 2], { stride: [2, 1], padding: 1 }), [x]));
  assert(gradcheck((x) => avgPool2d(x, 3, { padding: 1, countIncludePad: false }), [x]));
});

Deno.test("maxPool2d() routes a tie's gradient to the first maximum only", () => {
  const x = tensor([[[[1, 3], [3, 0]]]], { requiresGrad: true });
  maxPool2d(x, 2).sum().backward();
  assertEquals(x.grad!.toArray(), [[[[0, 1], [0, 0]]]]);
});

Deno.test("maxPool2d() takes the stride positionally or in options, and [C, H, W] inputs", () => {
  const x = randn([3, 6, 6]);
  const a = maxPool2d(x, 3, 2, 1);
  const b = maxPool2d(x, 3, { stride: 2, padding: 1 });
  assertEquals(a.shape, [3, 3, 3]);
  assertEquals(a.toArray(), b.toArray());
  assertEquals(avgPool2d(x, 2).shape, [3, 3, 3]);
});

Deno.test("pooling rejects padding over half the kernel and windows larger than the input", () => {
  assertThrows(
    () => maxPool2d(randn([1, 1, 4, 4]), 2, 1, 2),
    RangeError,
    "maxPool2d: padding 2x2 must be at most half the kernel size 2x2",
  );
  assertThrows(
    () => avgPool2d(randn([1, 1, 2, 2]), 3),
    RangeError,
    "avgPool2d: the kernel 3x3 is larger than the padded input 2x2 of [1, 1, 2, 2]",
  );
  assertThrows(() => maxPool2d(randn([4, 4]), 2), RangeError, "input must be [N, C, H, W]");
});
