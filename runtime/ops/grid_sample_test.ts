/**
 * affineGrid and gridSample against PyTorch 1.13 (runtime/testdata/vision_torch.json, written by
 * tools/fixtures/vision.py), gradcheck for the input, the grid and theta, and errors. Fixture
 * tolerance: |ours − torch| ≤ tol·(1 + |torch|), tol = 1e-9 in float64 and 1e-4 in float32.
 */
import fixtures from "../testdata/vision_torch.json" with { type: "json" };
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { gradcheck } from "../gradcheck.ts";
import { Generator } from "../random.ts";
import { type DType, randn, Tensor, tensor } from "../tensor.ts";
import { affineGrid, gridSample, type GridSampleOptions } from "./grid_sample.ts";

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

for (const c of fixtures.affineGrid) {
  Deno.test(`affineGrid() matches PyTorch for ${c.name}`, () => {
    const theta = load(c.theta, "float64", true);
    const grid = affineGrid(theta, c.size, { alignCorners: c.alignCorners });
    assertMatches(grid, c.out, "float64", "grid");
    grid.mul(load(c.w, "float64")).sum().backward();
    assertMatches(theta.grad, c.grad_theta, "float64", "theta gradient");
  });
}

for (const c of fixtures.gridSample) {
  const dtype = ("dtype" in c ? c.dtype : "float64") as DType;
  Deno.test(`gridSample() matches PyTorch for ${c.name}`, () => {
    const input = load(c.input, dtype, true);
    const grid = load(c.grid, dtype, true);
    const out = gridSample(input, grid, c as GridSampleOptions);
    assertMatches(out, c.out, dtype, "output");
    out.mul(load(c.w, dtype)).sum().backward();
    assertMatches(input.grad, c.grad_input, dtype, "input gradient");
    if ("grad_grid" in c) assertMatches(grid.grad, c.grad_grid as Saved, dtype, "grid gradient");
    else assertEquals(grid.grad!.toFlatArray().every((v) => v === 0), true);
  });
}

/**
 * A grid whose samples sit at least 0.2 pixels away from every pixel centre (the kinks of
 * bilinear sampling, and of "border" clamping at the edge centres), some outside the image.
 */
function gridOffKinks(n: number, ho: number, wo: number, h: number, w: number, align: boolean) {
  const g = new Generator(5);
  const data = new Float64Array(n * ho * wo * 2);
  for (let i = 0; i < data.length; i++) {
    const size = i % 2 === 0 ? w : h;
    const pixel = g.randint(-1, size + 1) + 0.2 + 0.6 * g.random();
    data[i] = align ? (2 * pixel) / (size - 1) - 1 : (2 * pixel + 1) / size - 1;
  }
  return new Tensor(data, [n, ho, wo, 2], true);
}

for (const paddingMode of ["zeros", "border"] as const) {
  for (const alignCorners of [false, true]) {
    Deno.test(
      `gridSample() passes gradcheck in the input and the grid (bilinear, ${paddingMode}, ` +
        `alignCorners ${alignCorners})`,
      () => {
        const input = randn([2, 2, 4, 5], { dtype: "float64", requiresGrad: true });
        const grid = gridOffKinks(2, 3, 4, 4, 5, alignCorners);
        const options = { paddingMode, alignCorners };
        assert(gradcheck((x, g) => gridSample(x, g, options), [input, grid]));
      },
    );
  }
}

Deno.test("gridSample() in nearest mode passes gradcheck in the input", () => {
  const input = randn([1, 2, 4, 5], { dtype: "float64", requiresGrad: true });
  const grid = gridOffKinks(1, 3, 3, 4, 5, false).detach();
  assert(gradcheck((x) => gridSample(x, grid, { mode: "nearest" }), [input]));
});

for (const alignCorners of [false, true]) {
  Deno.test(`affineGrid() passes gradcheck in theta (alignCorners ${alignCorners})`, () => {
    const theta = randn([2, 2, 3], { dtype: "float64", requiresGrad: true });
    assert(gradcheck((t) => affineGrid(t, [2, 3, 4, 5], { alignCorners }), [theta]));
  });
}

Deno.test("affineGrid() then gridSample() passes gradcheck in theta", () => {
  // Chosen so that every sample lies at least 0.04 pixels from a pixel centre (a kink).
  const theta = tensor(
    [[[0.847, -0.082, -0.061], [-0.004, 0.721, 0.057]], [[0.83, -0.101, 0.053], [
      0.033,
      0.948,
      -0.035,
    ]]],
    { dtype: "float64", requiresGrad: true },
  );
  const input = randn([2, 1, 6, 6], { dtype: "float64" });
  assert(gradcheck((t) => gridSample(input, affineGrid(t, [2, 1, 5, 5])), [theta]));
});

Deno.test("gridSample() of the identity affine grid returns the input", () => {
  const input = randn([2, 3, 5, 7], { dtype: "float64" });
  const identity = tensor([[[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]]], { dtype: "float64" });
  for (const alignCorners of [false, true]) {
    const grid = affineGrid(identity, [2, 3, 5, 7], { alignCorners });
    const out = gridSample(input, grid, { alignCorners }).toFlatArray();
    input.toFlatArray().forEach((v, i) => assert(Math.abs(out[i]! - v) < 1e-12, `element ${i}`));
  }
});

Deno.test("gridSample() rejects a grid of the wrong shape and unknown modes", () => {
  const x = randn([2, 1, 4, 4]);
  assertThrows(
    () => gridSample(x, randn([2, 3, 3, 3])),
    RangeError,
    "gridSample: grid must be [N, Ho, Wo, 2] with N = 2, got [2, 3, 3, 3]",
  );
  const grid = randn([2, 3, 3, 2]);
  const bicubic = { mode: "bicubic" } as unknown as GridSampleOptions;
  assertThrows(() => gridSample(x, grid, bicubic), TypeError, 'unknown mode "bicubic"');
  const reflection = { paddingMode: "reflection" } as unknown as GridSampleOptions;
  assertThrows(() => gridSample(x, grid, reflection), TypeError, "unknown paddingMode");
});

Deno.test("affineGrid() rejects theta that is not [N, 2, 3] or a size with another N", () => {
  assertThrows(
    () => affineGrid(randn([1, 3, 3]), [1, 1, 4, 4]),
    RangeError,
    "theta must be [N, 2, 3]",
  );
  assertThrows(
    () => affineGrid(randn([2, 2, 3]), [1, 1, 4, 4]),
    RangeError,
    "theta has 2 maps but size [1, 1, 4, 4] asks for 1",
  );
});
