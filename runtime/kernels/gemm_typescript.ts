/**
 * The pure TypeScript GEMM, {@linkcode gemmTypeScript}: the fallback of `gemm.ts` and the only
 * path for float64. `C[m×n] = op(A) · op(B)`, row-major, contiguous.
 *
 * The layout follows the BLIS design (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", 2015): blocks of B (KC×NC) and A (MC×KC) are packed into
 * panels 4 wide, and a 4×4 register-tiled micro-kernel multiplies one A panel by one B panel.
 * Packing reads straight from the transposed layout when `transA`/`transB` is set, so no
 * transposed copy is made, and the packing buffers are module-level and reused across calls.
 *
 * @module
 */
import type { TensorData } from "../core/tensor.ts";
import type { GemmShape } from "./gemm.ts";

/** Register tile: rows of A and columns of B per micro-kernel call. */
const MR = 4;
const NR = 4;
/** Cache blocks: depth (A and B micro-panels of 4×KC fit L1), rows of A (L2), columns of B. */
const KC = 256;
const MC = 64;
const NC = 1024;
/**
 * Below this many multiply-adds the packing overhead outweighs tiling, and a direct loop wins.
 * The MLP's bias-sized products and 1×k vector products land here.
 */
export const SMALL_WORK = 4096;

// NOTE: panels are packed as float64 whatever the input dtype: JavaScript arithmetic is float64
// anyway, the f32→f64 conversion is exact and happens once per element instead of once per use.
let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * NC);
/** Scratch tile for the micro-kernel's partial tiles at the right and bottom edges. */
const edgeTile = new Float64Array(MR * NR);

/**
 * The pure TypeScript kernel (float64 arithmetic whatever the dtype); arguments as for
 * {@linkcode gemm}. Every dtype and size works here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemmTypeScript } from "./gemm_typescript.ts";
 * const c = new Float64Array(1);
 * gemmTypeScript(new Float64Array([1, 2]), 0, new Float64Array([3, 4]), 0, c, 0, { m: 1, n: 1, k: 2 });
 * assert.deepEqual([...c], [11]);
 * ```
 */
export function gemmTypeScript(
  a: TensorData,
  aOffset: number,
  b: TensorData,
  bOffset: number,
  c: TensorData,
  cOffset: number,
  shape: GemmShape,
): void {
  const { m, n, k } = shape;
  if (m === 0 || n === 0) return;
  // Element (i, p) of op(A) is a[aOffset + i * aRow + p * aCol]; (p, j) of op(B) likewise.
  const aRow = shape.transA ? 1 : k;
  const aCol = shape.transA ? m : 1;
  const bRow = shape.transB ? 1 : n;
  const bCol = shape.transB ? k : 1;
  if (k === 0) {
    c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  if (m * n * k <= SMALL_WORK) {
    gemmDirect(a, aOffset, aRow, aCol, b, bOffset, bRow, bCol, c, cOffset, m, n, k);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, bOffset + pc * bRow + jc * bCol, bRow, bCol, kc, nc);
      const accumulate = pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, aOffset + ic * aRow + pc * aCol, aRow, aCol, mc, kc);
        multiplyBlock(c, cOffset + ic * n + jc, n, mc, nc, kc, accumulate);
      }
    }
  }
}

/** Plain i-p-j loops for products too small to repay packing. */
function gemmDirect(
  a: TensorData,
  aOffset: number,
  aRow: number,
  aCol: number,
  b: TensorData,
  bOffset: number,
  bRow: number,
  bCol: number,
  c: TensorData,
  cOffset: number,
  m: number,
  n: number,
  k: number,
): void {
  for (let i = 0; i < m; i++) {
    const cStart = cOffset + i * n;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let ai = aOffset + i * aRow;
      let bi = bOffset + j * bCol;
      for (let p = 0; p < k; p++) {
        sum += a[ai]! * b[bi]!;
        ai += aCol;
        bi += bRow;
      }
      c[cStart + j] = sum;
    }
  }
}

/**
 * Packs the mc×kc block of op(A) starting at `start` into row panels of MR: panel r holds rows
 * r·MR…r·MR+3, stored depth-major (`MR` values per depth step), zero-padded past row mc.
 */
function packA(
  a: TensorData,
  start: number,
  aRow: number,
  aCol: number,
  mc: number,
  kc: number,
): void {
  const panels = Math.ceil(mc / MR);
  if (packedA.length < panels * MR * kc) packedA = new Float64Array(panels * MR * kc);
  const dst = packedA;
  let d = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = Math.min(MR, mc - i0);
    const s0 = start + i0 * aRow;
    if (rows === MR) {
      const s1 = s0 + aRow;
      const s2 = s1 + aRow;
      const s3 = s2 + aRow;
      for (let p = 0, o = 0; p < kc; p++, o += aCol) {
        dst[d] = a[s0 + o]!;
        dst[d + 1] = a[s1 + o]!;
        dst[d + 2] = a[s2 + o]!;
        dst[d + 3] = a[s3 + o]!;
        d += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) dst[d + r] = r < rows ? a[s0 + r * aRow + p * aCol]! : 0;
        d += MR;
      }
    }
  }
}

/**
 * Packs the kc×nc block of op(B) starting at `start` into column panels of NR: panel q holds
 * columns q·NR…q·NR+3, stored depth-major, zero-padded past column nc.
 */
function packB(
  b: TensorData,
  start: number,
  bRow: number,
  bCol: number,
  kc: number,
  nc: number,
): void {
  const panels = Math.ceil(nc / NR);
  if (packedB.length < panels * NR * kc) packedB = new Float64Array(panels * NR * kc);
  const dst = packedB;
  let d = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = Math.min(NR, nc - j0);
    const s0 = start + j0 * bCol;
    if (cols === NR) {
      const s1 = s0 + bCol;
      const s2 = s1 + bCol;
      const s3 = s2 + bCol;
      for (let p = 0, o = 0; p < kc; p++, o += bRow) {
        dst[d] = b[s0 + o]!;
        dst[d + 1] = b[s1 + o]!;
        dst[d + 2] = b[s2 + o]!;
        dst[d + 3] = b[s3 + o]!;
        d += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) dst[d + q] = q < cols ? b[s0 + q * bCol + p * bRow]! : 0;
        d += NR;
      }
    }
  }
}

/** Multiplies the packed A block (mc×kc) by the packed B block (kc×nc) into C. */
function multiplyBlock(
  c: TensorData,
  cStart: number,
  ldc: number,
  mc: number,
  nc: number,
  kc: number,
  accumulate: boolean,
): void {
  const ap = packedA;
  const bp = packedB;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = Math.min(NR, nc - j0);
    const bStart = j0 * kc;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = Math.min(MR, mc - i0);
      const cIndex = cStart + i0 * ldc + j0;
      if (rows === MR && cols === NR) {
        microKernel(ap, i0 * kc, bp, bStart, kc, c, cIndex, ldc, accumulate);
      } else {
        microKernel(ap, i0 * kc, bp, bStart, kc, edgeTile, 0, NR, false);
        for (let r = 0; r < rows; r++) {
          for (let q = 0; q < cols; q++) {
            const ci = cIndex + r * ldc + q;
            const v = edgeTile[r * NR + q]!;
            c[ci] = accumulate ? c[ci]! + v : v;
          }
        }
      }
    }
  }
}

/**
 * The 4×4 register tile: sixteen accumulators held in locals across the depth loop, so each
 * step loads 8 values and does 16 multiply-adds. Wider tiles spill registers in V8.
 */
function microKernel(
  ap: Float64Array,
  aIndex: number,
  bp: Float64Array,
  bIndex: number,
  kc: number,
  c: TensorData,
  cIndex: number,
  ldc: number,
  accumulate: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aIndex;
  let bi = bIndex;
  const end = aIndex + kc * MR;
  while (ai < end) {
    const b0 = bp[bi]!, b1 = bp[bi + 1]!, b2 = bp[bi + 2]!, b3 = bp[bi + 3]!;
    const a0 = ap[ai]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    const a1 = ap[ai + 1]!;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    const a2 = ap[ai + 2]!;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    const a3 = ap[ai + 3]!;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ai += MR;
    bi += NR;
  }
  let i = cIndex;
  if (accumulate) {
    c[i] = c[i]! + c00, c[i + 1] = c[i + 1]! + c01, c[i + 2] = c[i + 2]! + c02;
    c[i + 3] = c[i + 3]! + c03;
    i += ldc;
    c[i] = c[i]! + c10, c[i + 1] = c[i + 1]! + c11, c[i + 2] = c[i + 2]! + c12;
    c[i + 3] = c[i + 3]! + c13;
    i += ldc;
    c[i] = c[i]! + c20, c[i + 1] = c[i + 1]! + c21, c[i + 2] = c[i + 2]! + c22;
    c[i + 3] = c[i + 3]! + c23;
    i += ldc;
    c[i] = c[i]! + c30, c[i + 1] = c[i + 1]! + c31, c[i + 2] = c[i + 2]! + c32;
    c[i + 3] = c[i + 3]! + c33;
  } else {
    c[i] = c00, c[i + 1] = c01, c[i + 2] = c02, c[i + 3] = c03;
    i += ldc;
    c[i] = c10, c[i + 1] = c11, c[i + 2] = c12, c[i + 3] = c13;
    i += ldc;
    c[i] = c20, c[i + 1] = c21, c[i + 2] = c22, c[i + 3] = c23;
    i += ldc;
    c[i] = c30, c[i + 1] = c31, c[i + 2] = c32, c[i + 3] = c33;
  }
}
