/**
 * The two differentiable halves of a spatial transformer (Jaderberg et al., 2015): the grid
 * generator `affineGrid` and the sampler `gridSample`, with PyTorch's exact conventions
 * (`F.affine_grid`, `F.grid_sample`): NCHW images, grids `[N, H, W, 2]` holding (x, y) in
 * normalised coordinates, where −1 and +1 are the left/top and right/bottom edges of the image
 * (`alignCorners: false`, the default) or the centres of the corner pixels (`alignCorners: true`).
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { formatShape } from "../core/shape.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";

/** Options of {@link affineGrid}. */
export interface AffineGridOptions {
  /** Whether ±1 are the centres of the corner pixels (true) or the image edges (default false). */
  alignCorners?: boolean;
}

/** Options of {@link gridSample}. */
export interface GridSampleOptions {
  /** Interpolation: "bilinear" (default, differentiable in the grid) or "nearest". */
  mode?: "bilinear" | "nearest";
  /** Values outside the image: "zeros" (default) or "border" (the nearest edge pixel). */
  paddingMode?: "zeros" | "border";
  /** Whether ±1 are the centres of the corner pixels (true) or the image edges (default false). */
  alignCorners?: boolean;
}

/**
 * The normalised coordinate of pixel `i` of `steps` (PyTorch's `linspace_from_neg_one`): −1…1
 * over pixel centres with `alignCorners`, else the centres of `steps` equal cells of [−1, 1].
 */
function baseCoordinate(i: number, steps: number, alignCorners: boolean): number {
  if (steps <= 1) return 0;
  const v = -1 + (2 * i) / (steps - 1);
  return alignCorners ? v : v * (steps - 1) / steps;
}

/**
 * Generates the sampling grid of a batch of 2-D affine maps: output pixel (i, j) samples the
 * input at $\theta_n\,[x_j, y_i, 1]^\top$, with $x_j, y_i$ the pixel's own normalised coordinates.
 *
 * - theta: `[N, 2, 3]`
 * - size: `[N, C, H, W]`, the output image size (C is ignored)
 * - Output: grid `[N, H, W, 2]` of (x, y), for {@link gridSample}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { affineGrid, tensor } from "gradbook";
 * const identity = tensor([[[1, 0, 0], [0, 1, 0]]]);
 * const grid = affineGrid(identity, [1, 1, 2, 2]);
 * assert.deepEqual(grid.toArray(), [[[[-0.5, -0.5], [0.5, -0.5]], [[-0.5, 0.5], [0.5, 0.5]]]]);
 * ```
 */
export function affineGrid(
  theta: Tensor,
  size: readonly number[],
  options: AffineGridOptions = {},
): Tensor {
  const alignCorners = options.alignCorners ?? false;
  if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
    throw new RangeError(
      `affineGrid: theta must be [N, 2, 3] for 2-D images, got ${formatShape(theta.shape)}`,
    );
  }
  if (size.length !== 4 || size.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(
      `affineGrid: size must be [N, C, H, W] of positive integers, got ${formatShape(size)}`,
    );
  }
  const [n, , h, w] = size as [number, number, number, number];
  if (theta.shape[0] !== n) {
    throw new RangeError(
      `affineGrid: theta has ${theta.shape[0]} maps but size ${formatShape(size)} asks for ${n}`,
    );
  }
  const xs = new Float64Array(w);
  const ys = new Float64Array(h);
  for (let j = 0; j < w; j++) xs[j] = baseCoordinate(j, w, alignCorners);
  for (let i = 0; i < h; i++) ys[i] = baseCoordinate(i, h, alignCorners);
  const t = theta.data;
  const out = allocate(theta.dtype, n * h * w * 2);
  let q = 0;
  for (let b = 0; b < n; b++) {
    const [t00, t01, t02, t10, t11, t12] = [
      t[b * 6]!,
      t[b * 6 + 1]!,
      t[b * 6 + 2]!,
      t[b * 6 + 3]!,
      t[b * 6 + 4]!,
      t[b * 6 + 5]!,
    ];
    for (let i = 0; i < h; i++) {
      const y = ys[i]!;
      for (let j = 0; j < w; j++, q += 2) {
        const x = xs[j]!;
        out[q] = x * t00 + y * t01 + t02;
        out[q + 1] = x * t10 + y * t11 + t12;
      }
    }
  }
  const result = new Tensor(out, [n, h, w, 2]);
  return recordOp(result, "affineGrid", [theta], (gradOutput) => {
    const dg = gradOutput.data;
    const dt = allocate(theta.dtype, n * 6);
    let q = 0;
    for (let b = 0; b < n; b++) {
      let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0;
      for (let i = 0; i < h; i++) {
        const y = ys[i]!;
        for (let j = 0; j < w; j++, q += 2) {
          const x = xs[j]!;
          const gx = dg[q]!;
          const gy = dg[q + 1]!;
          s00 += gx * x;
          s01 += gx * y;
          s02 += gx;
          s10 += gy * x;
          s11 += gy * y;
          s12 += gy;
        }
      }
      dt.set([s00, s01, s02, s10, s11, s12], b * 6);
    }
    return [new Tensor(dt, theta.shape)];
  });
}

/** Sizes and settings of one `gridSample` call. */
interface SampleGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  ho: number;
  wo: number;
  alignCorners: boolean;
  border: boolean;
}

/**
 * Maps normalised coordinate `coord` to pixel units for an axis of `size` pixels, applying the
 * padding mode (PyTorch's `grid_sampler_compute_source_index_set_grad`). Writes d(pixel)/d(coord)
 * to `slope[index]`: the unnormalisation factor, or 0 where "border" clamps (edges included).
 */
function sourceIndex(
  coord: number,
  size: number,
  g: SampleGeometry,
  slope: Float64Array,
  index: number,
): number {
  let pixel: number;
  let d: number;
  if (g.alignCorners) {
    pixel = ((coord + 1) / 2) * (size - 1);
    d = (size - 1) / 2;
  } else {
    pixel = ((coord + 1) * size - 1) / 2;
    d = size / 2;
  }
  if (g.border) {
    if (pixel <= 0) {
      pixel = 0;
      d = 0;
    } else if (pixel >= size - 1) {
      pixel = size - 1;
      d = 0;
    }
  }
  slope[index] = d;
  return pixel;
}

/** Rounds half to even, like C's `nearbyint` under the default rounding mode (PyTorch's nearest). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const slopes = new Float64Array(2);

/**
 * Samples `input` at the points of `grid` (normalised (x, y) coordinates, see
 * {@link affineGrid}), by bilinear interpolation of the four nearest pixels or by taking the
 * nearest pixel. Differentiable with respect to the input, and to the grid in bilinear mode:
 * $\partial\,\text{out}/\partial x$ is piecewise constant in the sample position, with kinks
 * where a sample crosses a pixel centre.
 *
 * - Input: `[N, C, H, W]`
 * - grid: `[N, Ho, Wo, 2]`
 * - Output: `[N, C, Ho, Wo]`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { affineGrid, gridSample, tensor } from "gradbook";
 * const image = tensor([[[[1, 2], [3, 4]]]]);
 * assert.deepEqual(image.shape, [1, 1, 2, 2]);
 * // θ scales the grid by 2 (zoom out): samples fall half a pixel outside the image and mix in zeros.
 * const theta = tensor([[[2, 0, 0], [0, 2, 0]]]);
 * const out = gridSample(image, affineGrid(theta, [1, 1, 2, 2]));
 * assert.deepEqual(out.toArray(), [[[[0.25, 0.5], [0.75, 1]]]]);
 * ```
 */
export function gridSample(
  input: Tensor,
  grid: Tensor,
  options: GridSampleOptions = {},
): Tensor {
  const mode = options.mode ?? "bilinear";
  const paddingMode = options.paddingMode ?? "zeros";
  if (mode !== "bilinear" && mode !== "nearest") {
    throw new TypeError(`gridSample: unknown mode "${mode}" (use "bilinear" or "nearest")`);
  }
  if (paddingMode !== "zeros" && paddingMode !== "border") {
    throw new TypeError(
      `gridSample: unknown paddingMode "${paddingMode}" (use "zeros" or "border")`,
    );
  }
  if (input.ndim !== 4) {
    throw new RangeError(`gridSample: input must be [N, C, H, W], got ${formatShape(input.shape)}`);
  }
  if (grid.ndim !== 4 || grid.shape[3] !== 2 || grid.shape[0] !== input.shape[0]) {
    throw new RangeError(
      `gridSample: grid must be [N, Ho, Wo, 2] with N = ${input.shape[0]}, got ${
        formatShape(grid.shape)
      }`,
    );
  }
  if (grid.dtype !== input.dtype) {
    throw new TypeError(
      `gridSample: dtype mismatch: input is ${input.dtype}, grid ${grid.dtype}`,
    );
  }
  const [n, c, h, w] = input.shape as [number, number, number, number];
  const g: SampleGeometry = {
    n,
    c,
    h,
    w,
    ho: grid.shape[1]!,
    wo: grid.shape[2]!,
    alignCorners: options.alignCorners ?? false,
    border: paddingMode === "border",
  };
  const out = allocate(input.dtype, n * c * g.ho * g.wo);
  if (mode === "bilinear") bilinear(input.data, grid.data, g, out, null, null, null);
  else nearest(input.data, grid.data, g, out, null, null);
  const result = new Tensor(out, [n, c, g.ho, g.wo]);
  return recordOp(result, "gridSample", [input, grid], (gradOutput) => {
    const dx = input.requiresGrad ? allocate(input.dtype, input.size) : null;
    // Nearest sampling is piecewise constant in the grid: its gradient there is zero.
    const dgrid = grid.requiresGrad ? allocate(grid.dtype, grid.size) : null;
    if (mode === "bilinear") bilinear(input.data, grid.data, g, null, gradOutput.data, dx, dgrid);
    else nearest(input.data, grid.data, g, null, gradOutput.data, dx);
    return [
      dx === null ? null : new Tensor(dx, input.shape),
      dgrid === null ? null : new Tensor(dgrid, grid.shape),
    ];
  });
}

/**
 * Bilinear sampling. Forward when `out` is given; otherwise backward from `dy`, accumulating
 * into `dx` and writing `dgrid` (either may be null).
 */
function bilinear(
  x: TensorData,
  grid: TensorData,
  g: SampleGeometry,
  out: TensorData | null,
  dy: TensorData | null,
  dx: TensorData | null,
  dgrid: TensorData | null,
): void {
  const { n, c, h, w, ho, wo } = g;
  const l = ho * wo;
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < l; p++) {
      const q = (b * l + p) * 2;
      const ix = sourceIndex(grid[q]!, w, g, slopes, 0);
      const iy = sourceIndex(grid[q + 1]!, h, g, slopes, 1);
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const x1 = x0 + 1;
      const y1 = y0 + 1;
      // Distances to the far corner give each corner's weight: nw = (x1 − ix)(y1 − iy), ...
      const east = ix - x0;
      const west = x1 - ix;
      const south = iy - y0;
      const north = y1 - iy;
      const inX0 = x0 >= 0 && x0 < w;
      const inX1 = x1 >= 0 && x1 < w;
      const inY0 = y0 >= 0 && y0 < h;
      const inY1 = y1 >= 0 && y1 < h;
      const nwOk = inX0 && inY0, neOk = inX1 && inY0, swOk = inX0 && inY1, seOk = inX1 && inY1;
      const nw = y0 * w + x0, ne = nw + 1, sw = nw + w, se = sw + 1;
      let gix = 0;
      let giy = 0;
      for (let ch = 0; ch < c; ch++) {
        const base = (b * c + ch) * plane;
        const o = (b * c + ch) * l + p;
        if (out !== null) {
          let v = 0;
          if (nwOk) v += x[base + nw]! * west * north;
          if (neOk) v += x[base + ne]! * east * north;
          if (swOk) v += x[base + sw]! * west * south;
          if (seOk) v += x[base + se]! * east * south;
          out[o] = v;
          continue;
        }
        const go = dy![o]!;
        if (nwOk) {
          const v = x[base + nw]!;
          gix -= v * north * go;
          giy -= v * west * go;
          if (dx !== null) dx[base + nw]! += west * north * go;
        }
        if (neOk) {
          const v = x[base + ne]!;
          gix += v * north * go;
          giy -= v * east * go;
          if (dx !== null) dx[base + ne]! += east * north * go;
        }
        if (swOk) {
          const v = x[base + sw]!;
          gix -= v * south * go;
          giy += v * west * go;
          if (dx !== null) dx[base + sw]! += west * south * go;
        }
        if (seOk) {
          const v = x[base + se]!;
          gix += v * south * go;
          giy += v * east * go;
          if (dx !== null) dx[base + se]! += east * south * go;
        }
      }
      if (dgrid !== null) {
        dgrid[q] = gix * slopes[0]!;
        dgrid[q + 1] = giy * slopes[1]!;
      }
    }
  }
}

/** Nearest-pixel sampling: forward into `out`, or backward from `dy` into `dx`. */
function nearest(
  x: TensorData,
  grid: TensorData,
  g: SampleGeometry,
  out: TensorData | null,
  dy: TensorData | null,
  dx: TensorData | null,
): void {
  const { n, c, h, w, ho, wo } = g;
  const l = ho * wo;
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < l; p++) {
      const q = (b * l + p) * 2;
      const ix = roundHalfEven(sourceIndex(grid[q]!, w, g, slopes, 0));
      const iy = roundHalfEven(sourceIndex(grid[q + 1]!, h, g, slopes, 1));
      const inside = ix >= 0 && ix < w && iy >= 0 && iy < h;
      const offset = iy * w + ix;
      for (let ch = 0; ch < c; ch++) {
        const base = (b * c + ch) * plane;
        const o = (b * c + ch) * l + p;
        if (out !== null) out[o] = inside ? x[base + offset]! : 0;
        else if (inside && dx !== null) dx[base + offset]! += dy![o]!;
      }
    }
  }
}
