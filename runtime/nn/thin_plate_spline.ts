/**
 * The thin-plate-spline (TPS) grid generator of a spatial transformer (Jaderberg et al. 2015,
 * Sec. 3.2; the spline is Bookstein 1989, "Principal warps", IEEE TPAMI 11(6)): a non-rigid
 * warp fixed by where K control points go.
 *
 * Source control points $p_k$ sit in the output image (normalised coordinates, −1…1 from edge to
 * edge, as in `affineGrid`); a localization network predicts their targets $c_k$ in the input.
 * The spline is the smoothest map with $f(p_k) = c_k$:
 *
 * $$
 * f(p) = a_0 + a_1 x + a_2 y + \sum_k w_k\, U(\lVert p - p_k \rVert), \qquad U(r) = r^2 \log r^2,
 * $$
 *
 * with $(w, a)$ solving $\begin{bmatrix} K & P \\ P^\top & 0 \end{bmatrix}
 * \begin{bmatrix} w \\ a \end{bmatrix} = \begin{bmatrix} c \\ 0 \end{bmatrix}$, where
 * $K_{jk} = U(\lVert p_j - p_k \rVert)$ and row $k$ of $P$ is $[1, x_k, y_k]$. The solution is
 * linear in $c$, so for a fixed output size the whole grid is one constant matrix $M$
 * `[H·W, K]` times the targets: the gradient with respect to the targets is a matrix product
 * too, and autodiff gets it from `matmul`.
 *
 * @module
 */
import { Tensor } from "../tensor.ts";
import { formatShape } from "../core/shape.ts";

/** The radial basis of the thin-plate spline, $U(r) = r^2 \log r^2$ of the squared distance. */
function radialBasis(squaredDistance: number): number {
  return squaredDistance === 0 ? 0 : squaredDistance * Math.log(squaredDistance);
}

/** Inverts a square matrix (row-major, float64) by Gauss-Jordan elimination with pivoting. */
function invert(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inverse[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = r;
    }
    if (Math.abs(a[pivot * n + col]!) < 1e-12) {
      throw new RangeError(
        "ThinPlateSpline: the control points do not fix a spline (are they all on one line, or repeated?)",
      );
    }
    for (const m of [a, inverse]) {
      for (let c = 0; c < n; c++) {
        const t = m[col * n + c]!;
        m[col * n + c] = m[pivot * n + c]!;
        m[pivot * n + c] = t;
      }
    }
    const scale = 1 / a[col * n + col]!;
    for (let c = 0; c < n; c++) {
      a[col * n + c]! *= scale;
      inverse[col * n + c]! *= scale;
    }
    for (let r = 0; r < n; r++) {
      const factor = a[r * n + col]!;
      if (r === col || factor === 0) continue;
      for (let c = 0; c < n; c++) {
        a[r * n + c]! -= factor * a[col * n + c]!;
        inverse[r * n + c]! -= factor * inverse[col * n + c]!;
      }
    }
  }
  return inverse;
}

/**
 * `rows` x `cols` control points evenly spread over $[-e, e]^2$ (e = `extent`), row by row,
 * each as [x, y].
 *
 * @example
 * ```ts
 * import { nn } from "gradbook";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(nn.controlPointLattice(2, 2), [[-1, -1], [1, -1], [-1, 1], [1, 1]]);
 * ```
 */
export function controlPointLattice(rows: number, cols: number, extent = 1): number[][] {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 2 || cols < 2) {
    throw new RangeError(`controlPointLattice: needs at least 2 x 2 points, got ${rows} x ${cols}`);
  }
  const points: number[][] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      points.push([extent * (2 * j / (cols - 1) - 1), extent * (2 * i / (rows - 1) - 1)]);
    }
  }
  return points;
}

/**
 * A thin-plate-spline grid generator with fixed source control points: `grid(targets, size)`
 * returns the sampling grid for {@link gridSample}, like `affineGrid` does for a 2x3 θ.
 *
 * - targets: `[N, K, 2]`, where each source control point goes in the input (x, y)
 * - size: `[N, C, H, W]`, the output image size (C is ignored)
 * - Output: grid `[N, H, W, 2]`
 *
 * @example
 * ```ts
 * import { affineGrid, nn, tensor } from "gradbook";
 * import { ok } from "node:assert/strict";
 * const sources = nn.controlPointLattice(3, 3);
 * const tps = new nn.ThinPlateSpline(sources);
 * // Targets on the sources give the identity grid, as affineGrid does for θ = [I | 0].
 * const grid = tps.grid(tensor([sources]), [1, 1, 4, 5]);
 * const identity = affineGrid(tensor([[[1, 0, 0], [0, 1, 0]]]), [1, 1, 4, 5]);
 * ok(grid.data.every((v, i) => Math.abs(v - identity.data[i]!) < 1e-5));
 * ```
 */
export class ThinPlateSpline {
  /** The source control points, each [x, y], in the output's normalised coordinates. */
  readonly sources: readonly (readonly [number, number])[];
  /** The first K columns of the inverse of the spline's system matrix, `[K + 3, K]`. */
  #solve: Float64Array;
  #cache = new Map<string, Tensor>();

  constructor(sources: readonly (readonly number[])[]) {
    if (sources.length < 3 || sources.some((p) => p.length !== 2)) {
      throw new RangeError(
        `ThinPlateSpline: needs at least 3 control points, each [x, y]; got ${sources.length}`,
      );
    }
    this.sources = sources.map(([x, y]) => [x!, y!] as const);
    const k = sources.length;
    const n = k + 3;
    const system = new Float64Array(n * n);
    for (let i = 0; i < k; i++) {
      const [xi, yi] = this.sources[i]!;
      for (let j = 0; j < k; j++) {
        const [xj, yj] = this.sources[j]!;
        system[i * n + j] = radialBasis((xi - xj) ** 2 + (yi - yj) ** 2);
      }
      for (const [c, v] of [1, xi, yi].entries()) {
        system[i * n + k + c] = v;
        system[(k + c) * n + i] = v;
      }
    }
    const inverse = invert(system, n);
    this.#solve = new Float64Array(n * k);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < k; c++) this.#solve[r * k + c] = inverse[r * n + c]!;
    }
  }

  /**
   * The constant matrix `[P, K]` that maps targets to the spline's values at `points` (each
   * [x, y]): row p holds $[U(\lVert p - p_k \rVert)_k, 1, x, y]$ times the solve matrix.
   */
  weightsAt(
    points: readonly (readonly number[])[],
    dtype: "float32" | "float64" = "float32",
  ): Tensor {
    const k = this.sources.length;
    const n = k + 3;
    const out = dtype === "float64"
      ? new Float64Array(points.length * k)
      : new Float32Array(points.length * k);
    const basis = new Float64Array(n);
    points.forEach(([x, y], p) => {
      for (let j = 0; j < k; j++) {
        const [xj, yj] = this.sources[j]!;
        basis[j] = radialBasis((x! - xj) ** 2 + (y! - yj) ** 2);
      }
      basis[k] = 1;
      basis[k + 1] = x!;
      basis[k + 2] = y!;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += basis[r]! * this.#solve[r * k + c]!;
        out[p * k + c] = s;
      }
    });
    return new Tensor(out, [points.length, k]);
  }

  /** The sampling grid `[N, H, W, 2]` of the warps that send the sources to `targets`. */
  grid(targets: Tensor, size: readonly number[]): Tensor {
    const k = this.sources.length;
    if (targets.ndim !== 3 || targets.shape[1] !== k || targets.shape[2] !== 2) {
      throw new RangeError(
        `ThinPlateSpline.grid: targets must be [N, ${k}, 2], got ${formatShape(targets.shape)}`,
      );
    }
    if (size.length !== 4 || size[0] !== targets.shape[0]) {
      throw new RangeError(
        `ThinPlateSpline.grid: size must be [N, C, H, W] with N = ${targets.shape[0]}, got ${
          formatShape(size)
        }`,
      );
    }
    const [n, , h, w] = size as [number, number, number, number];
    const dtype = targets.dtype === "float64" ? "float64" : "float32";
    const key = `${h}x${w}:${dtype}`;
    let weights = this.#cache.get(key);
    if (weights === undefined) {
      const points: number[][] = [];
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) points.push([(2 * j + 1) / w - 1, (2 * i + 1) / h - 1]);
      }
      weights = this.weightsAt(points, dtype);
      this.#cache.set(key, weights);
    }
    // [H·W, K] @ [N, K, 2] broadcasts to [N, H·W, 2].
    return weights.matmul(targets).reshape(n, h, w, 2);
  }
}
