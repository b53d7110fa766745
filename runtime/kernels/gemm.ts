/**
 * The matrix-multiply kernel behind `matmul`, `nn.Linear` and convolutions:
 * `C[m×n] = op(A) · op(B)`, where op transposes when asked. Row-major, contiguous.
 *
 * @module
 */
import type { TensorData } from "../tensor.ts";

/** Dimensions and layout of one GEMM call. */
export interface GemmShape {
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Inner dimension. */
  k: number;
  /** A is stored as [k, m] and used transposed. */
  transA?: boolean;
  /** B is stored as [n, k] and used transposed. */
  transB?: boolean;
}

function transposed(src: TensorData, offset: number, rows: number, cols: number): TensorData {
  const out = src instanceof Float64Array
    ? new Float64Array(rows * cols)
    : new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = src[offset + i * cols + j]!;
  }
  return out;
}

/**
 * Computes `C = op(A) · op(B)` into `c` (overwritten) at the given element offsets.
 *
 * @example
 * ```ts
 * import { gemm } from "./gemm.ts";
 * const c = new Float32Array(1);
 * gemm(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, c, 0, { m: 1, n: 1, k: 2 });
 * // c[0] === 11
 * ```
 */
export function gemm(
  a: TensorData,
  aOffset: number,
  b: TensorData,
  bOffset: number,
  c: TensorData,
  cOffset: number,
  shape: GemmShape,
): void {
  const { m, n, k } = shape;
  let A = a;
  let aOff = aOffset;
  let B = b;
  let bOff = bOffset;
  if (shape.transA) {
    A = transposed(a, aOffset, k, m);
    aOff = 0;
  }
  if (shape.transB) {
    B = transposed(b, bOffset, n, k);
    bOff = 0;
  }
  c.fill(0, cOffset, cOffset + m * n);
  // i-k-j order: the innermost loop streams rows of B and C contiguously.
  const BLOCK_K = 128;
  for (let k0 = 0; k0 < k; k0 += BLOCK_K) {
    const k1 = Math.min(k, k0 + BLOCK_K);
    for (let i = 0; i < m; i++) {
      const cRow = cOffset + i * n;
      const aRow = aOff + i * k;
      for (let p = k0; p < k1; p++) {
        const av = A[aRow + p]!;
        if (av === 0) continue;
        const bRow = bOff + p * n;
        for (let j = 0; j < n; j++) c[cRow + j]! += av * B[bRow + j]!;
      }
    }
  }
}
