import { assert, assertThrows } from "../../tests/assert.ts";
import { gradcheck } from "../gradcheck.ts";
import { affineGrid } from "../ops/grid_sample.ts";
import { Tensor, tensor } from "../tensor.ts";
import { controlPointLattice, ThinPlateSpline } from "./thin_plate_spline.ts";

function maxDifference(a: Tensor, b: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

Deno.test("ThinPlateSpline.grid() reproduces any affine map exactly, as affineGrid does", () => {
  const sources = controlPointLattice(4, 4, 0.9);
  const tps = new ThinPlateSpline(sources);
  const thetas = [[0.8, -0.3, 0.1, 0.25, 0.7, -0.2], [1, 0, 0, 0, 1, 0]];
  const targets = thetas.map(([a, b, c, d, e, f]) =>
    sources.map(([x, y]) => [a! * x! + b! * y! + c!, d! * x! + e! * y! + f!])
  );
  const grid = tps.grid(tensor(targets, { dtype: "float64" }), [2, 1, 5, 7]);
  const reference = affineGrid(tensor(thetas, { dtype: "float64" }).reshape(2, 2, 3), [2, 1, 5, 7]);
  assert(maxDifference(grid, reference) < 1e-9, `differs by ${maxDifference(grid, reference)}`);
});

Deno.test("ThinPlateSpline interpolates: each source control point goes to its target", () => {
  const sources = [[-0.8, -0.6], [0.7, -0.7], [0.1, 0.05], [-0.5, 0.8], [0.9, 0.6]];
  const tps = new ThinPlateSpline(sources);
  const targets = tensor([[[-0.7, -0.5], [0.6, -0.9], [0.3, 0.2], [-0.6, 0.6], [0.8, 0.9]]], {
    dtype: "float64",
  });
  const atSources = tps.weightsAt(sources, "float64").matmul(targets);
  assert(maxDifference(atSources, targets) < 1e-9, "the spline misses a control point");
});

Deno.test("ThinPlateSpline bends: moving one control point warps the grid non-linearly", () => {
  const sources = controlPointLattice(3, 3);
  const tps = new ThinPlateSpline(sources);
  const targets = sources.map(([x, y], k) => (k === 4 ? [0.3, 0.2] : [x!, y!]));
  const grid = tps.grid(tensor([targets], { dtype: "float64" }), [1, 1, 9, 9]);
  const identity = affineGrid(tensor([[[1, 0, 0], [0, 1, 0]]], { dtype: "float64" }), [1, 1, 9, 9]);
  // The centre pixel (4, 4) sits on the moved point; a corner pixel barely moves.
  const centre = grid.data.slice(2 * (4 * 9 + 4), 2 * (4 * 9 + 4) + 2);
  assert(Math.abs(centre[0]! - 0.3) < 1e-9 && Math.abs(centre[1]! - 0.2) < 1e-9);
  const cornerShift = Math.hypot(
    grid.data[0]! - identity.data[0]!,
    grid.data[1]! - identity.data[1]!,
  );
  assert(cornerShift < 0.1, `the corner moved by ${cornerShift}`);
});

Deno.test("ThinPlateSpline.grid() has the gradient of its targets (gradcheck, float64)", () => {
  const sources = controlPointLattice(3, 3, 0.8);
  const tps = new ThinPlateSpline(sources);
  const targets = new Tensor(
    Float64Array.from({ length: 2 * 9 * 2 }, (_, i) => 0.7 * Math.sin(1.3 * i + 0.2)),
    [2, 9, 2],
  ).requiresGrad_();
  const weights = new Tensor(Float64Array.from({ length: 2 * 4 * 5 * 2 }, (_, i) => Math.cos(i)), [
    2,
    4,
    5,
    2,
  ]);
  assert(gradcheck(() => tps.grid(targets, [2, 1, 4, 5]).mul(weights).sum(), [targets]));
});

Deno.test("ThinPlateSpline rejects control points that fix no spline, and mis-shaped targets", () => {
  assertThrows(
    () => new ThinPlateSpline([[0, 0], [1, 1]]),
    RangeError,
    "at least 3 control points",
  );
  assertThrows(
    () => new ThinPlateSpline([[0, 0], [0.5, 0.5], [1, 1]]),
    RangeError,
    "do not fix a spline",
  );
  const tps = new ThinPlateSpline(controlPointLattice(2, 2));
  assertThrows(
    () => tps.grid(tensor([[[0, 0], [1, 0], [0, 1]]]), [1, 1, 3, 3]),
    RangeError,
    "targets must be [N, 4, 2], got [1, 3, 2]",
  );
  assertThrows(() => controlPointLattice(1, 3), RangeError, "at least 2 x 2");
});
