/**
 * Principal component analysis in float64: the covariance matrix is diagonalised with the cyclic
 * Jacobi eigenvalue method (Golub & Van Loan, Matrix Computations, §8.5), which is exact to
 * rounding for the small symmetric matrices met here (up to a few hundred dimensions).
 *
 * @module
 */
import { Tensor } from "../tensor.ts";

/** Eigen-decomposition of a symmetric matrix, sorted by decreasing eigenvalue. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: number[];
  /** `vectors[k]` is the unit eigenvector of `values[k]`. */
  vectors: number[][];
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (cyclic Jacobi rotations).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const { values } = neuro.symmetricEigen([[2, 1], [1, 2]]);
 * assert.deepEqual(values.map((v) => +v.toFixed(9)), [3, 1]);
 * ```
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigen {
  const n = matrix.length;
  const a = matrix.map((row, i) => {
    if (row.length !== n) {
      throw new RangeError(`symmetricEigen: row ${i} has ${row.length} entries, expected ${n}`);
    }
    return Float64Array.from(row);
  });
  const v = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = a[i]![j]! * a[i]![j]!;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // A <- A J (columns p and q)
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // A <- J^T A (rows p and q)
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
          // V <- V J, stored as rows of V^T
          const vp = v[p]![k]!;
          const vq = v[q]![k]!;
          v[p]![k] = c * vp - s * vq;
          v[q]![k] = s * vp + c * vq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!);
  return {
    values: order.map((i) => a[i]![i]!),
    vectors: order.map((i) => Array.from(v[i]!)),
  };
}

/** Rows of data as a Tensor [samples, features] or nested arrays. */
export type DataRows = Tensor | readonly ArrayLike<number>[];

function toRows(
  data: DataRows,
): { rows: number; cols: number; at: (i: number) => ArrayLike<number> } {
  if (data instanceof Tensor) {
    if (data.ndim !== 2) {
      throw new RangeError(`pca: data must be [samples, features], got ${data.ndim} dimensions`);
    }
    const [rows, cols] = data.shape as [number, number];
    return { rows, cols, at: (i) => data.data.subarray(i * cols, (i + 1) * cols) };
  }
  const cols = data[0]?.length ?? 0;
  return { rows: data.length, cols, at: (i) => data[i]! };
}

/**
 * The sample covariance matrix $C = \frac{1}{n-1}\sum_t (x_t - \bar x)(x_t - \bar x)^\top$ and the
 * mean, in float64.
 */
export function covariance(data: DataRows): { mean: number[]; covariance: number[][] } {
  const { rows, cols, at } = toRows(data);
  if (rows < 2) throw new RangeError(`covariance: needs at least 2 samples, got ${rows}`);
  const mean = new Float64Array(cols);
  for (let t = 0; t < rows; t++) {
    const x = at(t);
    if (x.length !== cols) throw new RangeError(`covariance: row ${t} has ${x.length} features`);
    for (let i = 0; i < cols; i++) mean[i] = mean[i]! + x[i]! / rows;
  }
  const c = Array.from({ length: cols }, () => new Float64Array(cols));
  const centred = new Float64Array(cols);
  for (let t = 0; t < rows; t++) {
    const x = at(t);
    for (let i = 0; i < cols; i++) centred[i] = x[i]! - mean[i]!;
    for (let i = 0; i < cols; i++) {
      const ci = c[i]!;
      const xi = centred[i]!;
      for (let j = i; j < cols; j++) ci[j] = ci[j]! + xi * centred[j]!;
    }
  }
  const out = c.map((row) => Array.from(row, (s) => s / (rows - 1)));
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) out[i]![j] = out[j]![i]!;
  return { mean: Array.from(mean), covariance: out };
}

/** Result of {@link pca}. */
export interface PcaResult {
  /** Mean of each feature. */
  mean: number[];
  /** `components[k]` is the k-th principal axis (unit vector), largest variance first. */
  components: number[][];
  /** Variance along each component. */
  explainedVariance: number[];
  /** Fraction of the total variance along each component. */
  explainedVarianceRatio: number[];
  /** Coordinates of rows of data along the kept components, shape [samples][components]. */
  project(data: DataRows): number[][];
}

/**
 * PCA of `data` [samples, features], keeping `components` axes (default all).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const result = neuro.pca([[0, 0], [1, 1], [2, 2], [3, 3.1]], 1);
 * // ≈ ±[0.70, 0.72] (up to sign): close to the diagonal the points lie on
 * assert.deepEqual(result.components[0]!.map((v) => +Math.abs(v).toFixed(2)), [0.7, 0.72]);
 * ```
 */
export function pca(data: DataRows, components?: number): PcaResult {
  const { mean, covariance: c } = covariance(data);
  const eigen = symmetricEigen(c);
  const keep = components ?? eigen.values.length;
  if (!Number.isInteger(keep) || keep < 1 || keep > eigen.values.length) {
    throw new RangeError(`pca: components must be in 1..${eigen.values.length}, got ${keep}`);
  }
  const total = eigen.values.reduce((s, x) => s + Math.max(x, 0), 0);
  const axes = eigen.vectors.slice(0, keep);
  const variance = eigen.values.slice(0, keep).map((x) => Math.max(x, 0));
  return {
    mean,
    components: axes,
    explainedVariance: variance,
    explainedVarianceRatio: variance.map((x) => (total > 0 ? x / total : 0)),
    project(rowsData: DataRows): number[][] {
      const { rows, at } = toRows(rowsData);
      return Array.from({ length: rows }, (_, t) => {
        const x = at(t);
        return axes.map((axis) => {
          let s = 0;
          for (let i = 0; i < axis.length; i++) s += (x[i]! - mean[i]!) * axis[i]!;
          return s;
        });
      });
    },
  };
}
