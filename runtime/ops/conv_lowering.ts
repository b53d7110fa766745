/**
 * How `conv2d` lowers a convolution to matrix products (im2col, Chellapilla et al., 2006): unfold
 * each sample's receptive fields into columns, multiply by the weights as a GEMM, and fold the
 * column gradients back (`col2im`). Plus the row-dot product the weight gradient uses.
 *
 * @module
 */
import type { TensorData } from "../core/tensor.ts";
import type { ConvGeometry } from "../kernels/wasm_conv.ts";

/** Sizes of one convolution (see `ConvGeometry`); `cg`/`og` are channels per group. */
export interface Geometry extends ConvGeometry {
  cg: number;
  og: number;
}

/**
 * Unfolds sample `xOffset` of `x` into `cols` as a [C·kh·kw, ho·wo] matrix: row
 * `(c·kh + i)·kw + j` holds input channel c under kernel tap (i, j) at every output position,
 * zero where the tap falls in the padding.
 */
export function im2col(x: TensorData, xOffset: number, g: Geometry, cols: TensorData): void {
  const { c: channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo } = g;
  const l = ho * wo;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOffset + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, row++) {
        const xShift = j * dw - pw;
        // Output columns whose tap lands inside the image: 0 <= ox·sw + xShift < w.
        const lo = Math.min(wo, Math.max(0, Math.ceil(-xShift / sw)));
        const hi = Math.max(lo, Math.min(wo, Math.floor((w - 1 - xShift) / sw) + 1));
        for (let oy = 0; oy < ho; oy++) {
          const dst = row * l + oy * wo;
          const iy = oy * sh - ph + i * dh;
          if (iy < 0 || iy >= h) {
            cols.fill(0, dst, dst + wo);
            continue;
          }
          const src = plane + iy * w + xShift;
          for (let ox = 0; ox < lo; ox++) cols[dst + ox] = 0;
          if (sw === 1) { for (let ox = lo; ox < hi; ox++) cols[dst + ox] = x[src + ox]!; }
          else for (let ox = lo; ox < hi; ox++) cols[dst + ox] = x[src + ox * sw]!;
          for (let ox = hi; ox < wo; ox++) cols[dst + ox] = 0;
        }
      }
    }
  }
}

/** The adjoint of {@link im2col}: adds each column entry back onto the input pixel it came from. */
export function col2im(cols: TensorData, g: Geometry, dx: TensorData, dxOffset: number): void {
  const { c: channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo } = g;
  const l = ho * wo;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = dxOffset + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, row++) {
        const xShift = j * dw - pw;
        const lo = Math.min(wo, Math.max(0, Math.ceil(-xShift / sw)));
        const hi = Math.max(lo, Math.min(wo, Math.floor((w - 1 - xShift) / sw) + 1));
        for (let oy = 0; oy < ho; oy++) {
          const iy = oy * sh - ph + i * dh;
          if (iy < 0 || iy >= h) continue;
          const src = row * l + oy * wo;
          const dst = plane + iy * w + xShift;
          for (let ox = lo; ox < hi; ox++) dx[dst + ox * sw]! += cols[src + ox]!;
        }
      }
    }
  }
}

/**
 * `c[cOffset + i·n + j] += Σ_p a[aOffset + i·len + p] · b[bOffset + j·len + p]` for i < m, j < n:
 * A·Bᵀ for row-major A [m, len] and B [n, len]. Every dot product runs over two contiguous rows,
 * so this beats packing when `len` is long and m, n are small (the weight gradient's shape).
 */
export function addRowDots(
  a: TensorData,
  aOffset: number,
  b: TensorData,
  bOffset: number,
  c: Float64Array,
  cOffset: number,
  m: number,
  n: number,
  len: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aOffset + i * len;
    const a1 = a0 + len;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = bOffset + j * len;
      const b1 = b0 + len;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < len; p++) {
        const x0 = a[a0 + p]!, x1 = a[a1 + p]!, y0 = b[b0 + p]!, y1 = b[b1 + p]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      c[cOffset + i * n + j]! += s00;
      c[cOffset + i * n + j + 1]! += s01;
      c[cOffset + (i + 1) * n + j]! += s10;
      c[cOffset + (i + 1) * n + j + 1]! += s11;
    }
    for (; j < n; j++) {
      const b0 = bOffset + j * len;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < len; p++) {
        s0 += a[a0 + p]! * b[b0 + p]!;
        s1 += a[a1 + p]! * b[b0 + p]!;
      }
      c[cOffset + i * n + j]! += s0;
      c[cOffset + (i + 1) * n + j]! += s1;
    }
  }
  for (; i < m; i++) {
    const a0 = aOffset + i * len;
    for (let j = 0; j < n; j++) {
      const b0 = bOffset + j * len;
      let s = 0;
      for (let p = 0; p < len; p++) s += a[a0 + p]! * b[b0 + p]!;
      c[cOffset + i * n + j]! += s;
    }
  }
}
