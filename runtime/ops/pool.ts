/**
 * 2-D max and average pooling (PyTorch's `F.max_pool2d` and `F.avg_pool2d`, NCHW), with their
 * gradients: max pooling routes each output's gradient to the input it took (its argmax), average
 * pooling spreads it evenly over the window.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { formatShape } from "../core/shape.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import { type Size2d, toPair } from "./conv.ts";

/** Options of {@link maxPool2d}. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2d;
  /** Implicit −∞ added on both sides (default 0; at most half the kernel). */
  padding?: Size2d;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends MaxPool2dOptions {
  /** Count padded zeros in the divisor (default true, like PyTorch). */
  countIncludePad?: boolean;
}

interface PoolGeometry {
  planes: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  ho: number;
  wo: number;
  outShape: number[];
}

function poolGeometry(
  input: Tensor,
  kernelSize: Size2d,
  options: MaxPool2dOptions,
  op: string,
): PoolGeometry {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(
      `${op}: input must be [N, C, H, W] or [C, H, W], got ${formatShape(input.shape)}`,
    );
  }
  const [kh, kw] = toPair(kernelSize, "kernelSize", op, 1);
  const [sh, sw] = toPair(options.stride ?? kernelSize, "stride", op, 1);
  const [ph, pw] = toPair(options.padding ?? 0, "padding", op, 0);
  if (2 * ph > kh || 2 * pw > kw) {
    throw new RangeError(
      `${op}: padding ${ph}x${pw} must be at most half the kernel size ${kh}x${kw}`,
    );
  }
  const h = input.shape[input.ndim - 2]!;
  const w = input.shape[input.ndim - 1]!;
  const ho = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const wo = Math.floor((w + 2 * pw - kw) / sw) + 1;
  if (ho < 1 || wo < 1) {
    throw new RangeError(
      `${op}: the kernel ${kh}x${kw} is larger than the padded input ${h + 2 * ph}x${
        w + 2 * pw
      } of ${formatShape(input.shape)}`,
    );
  }
  const outShape = [...input.shape.slice(0, -2), ho, wo];
  return { planes: input.size / (h * w), h, w, kh, kw, sh, sw, ph, pw, ho, wo, outShape };
}

/** Lets `stride` be passed positionally (`maxPool2d(x, 2, 2)`) or inside an options object. */
function readOptions<T extends MaxPool2dOptions>(
  strideOrOptions: Size2d | T | undefined,
  padding: Size2d | undefined,
): T {
  if (
    strideOrOptions === undefined || typeof strideOrOptions === "number" ||
    Array.isArray(strideOrOptions)
  ) {
    return { stride: strideOrOptions as Size2d | undefined, padding } as T;
  }
  return strideOrOptions as T;
}

/**
 * Max pooling: each output is the largest input in its `kernelSize` window. The gradient flows
 * to that input only (the first one, in row-major order, on ties).
 *
 * - Input: `[N, C, H, W]` or `[C, H, W]`
 * - Output: `[N, C, Ho, Wo]` with $H_o = \lfloor (H + 2p - k) / s \rfloor + 1$ (likewise $W_o$)
 *
 * @param kernelSize Window size, one number or `[kH, kW]`.
 * @param strideOrOptions Stride (default: `kernelSize`), or `{ stride, padding }`.
 * @param padding Padding, when the stride is passed positionally.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxPool2d, tensor } from "gradbook";
 * const x = tensor([[[[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [9, 0, 2, 3]]]]);
 * assert.deepEqual(maxPool2d(x, 2).toArray(), [[[[4, 5], [9, 3]]]]);
 * ```
 */
export function maxPool2d(
  input: Tensor,
  kernelSize: Size2d,
  strideOrOptions?: Size2d | MaxPool2dOptions,
  padding?: Size2d,
): Tensor {
  const options = readOptions<MaxPool2dOptions>(strideOrOptions, padding);
  const g = poolGeometry(input, kernelSize, options, "maxPool2d");
  const { planes, h, w, kh, kw, sh, sw, ph, pw, ho, wo } = g;
  const x = input.data;
  const out = allocate(input.dtype, planes * ho * wo);
  // Flat input index of each output's maximum, for the backward pass.
  const argmax = new Int32Array(out.length);
  let q = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < ho; oy++) {
      const y0 = Math.max(0, oy * sh - ph);
      const y1 = Math.min(h, oy * sh - ph + kh);
      for (let ox = 0; ox < wo; ox++, q++) {
        const x0 = Math.max(0, ox * sw - pw);
        const x1 = Math.min(w, ox * sw - pw + kw);
        let best = -Infinity;
        let bestIndex = base + y0 * w + x0;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const index = base + iy * w + ix;
            const v = x[index]!;
            // NOTE: `v !== v` propagates NaN, as PyTorch does.
            if (v > best || v !== v) {
              best = v;
              bestIndex = index;
            }
          }
        }
        out[q] = best;
        argmax[q] = bestIndex;
      }
    }
  }
  const result = new Tensor(out, g.outShape);
  return recordOp(result, "maxPool2d", [input], (gradOutput) => {
    const dy = gradOutput.data;
    const dx = allocate(input.dtype, input.size);
    for (let i = 0; i < argmax.length; i++) dx[argmax[i]!]! += dy[i]!;
    return [new Tensor(dx, input.shape)];
  });
}

/**
 * Average pooling: each output is the mean of its `kernelSize` window. With padding, the divisor
 * counts the padded zeros unless `countIncludePad` is false.
 *
 * - Input: `[N, C, H, W]` or `[C, H, W]`
 * - Output: `[N, C, Ho, Wo]` with $H_o = \lfloor (H + 2p - k) / s \rfloor + 1$ (likewise $W_o$)
 *
 * @param kernelSize Window size, one number or `[kH, kW]`.
 * @param strideOrOptions Stride (default: `kernelSize`), or `{ stride, padding, countIncludePad }`.
 * @param padding Padding, when the stride is passed positionally.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { avgPool2d, tensor } from "gradbook";
 * const x = tensor([[[[1, 2, 5, 0], [3, 4, 1, 1]]]]);
 * assert.deepEqual(avgPool2d(x, 2).toArray(), [[[[2.5, 1.75]]]]);
 * ```
 */
export function avgPool2d(
  input: Tensor,
  kernelSize: Size2d,
  strideOrOptions?: Size2d | AvgPool2dOptions,
  padding?: Size2d,
): Tensor {
  const options = readOptions<AvgPool2dOptions>(strideOrOptions, padding);
  const g = poolGeometry(input, kernelSize, options, "avgPool2d");
  const { planes, h, w, kh, kw, sh, sw, ph, pw, ho, wo } = g;
  const countIncludePad = options.countIncludePad ?? true;
  // The divisor depends only on the window position, not on the plane.
  const divisor = new Float64Array(ho * wo);
  for (let oy = 0; oy < ho; oy++) {
    const y0 = oy * sh - ph;
    const y1 = Math.min(y0 + kh, h + ph);
    for (let ox = 0; ox < wo; ox++) {
      const x0 = ox * sw - pw;
      const x1 = Math.min(x0 + kw, w + pw);
      const count = countIncludePad
        ? (y1 - y0) * (x1 - x0)
        : (Math.min(y1, h) - Math.max(y0, 0)) * (Math.min(x1, w) - Math.max(x0, 0));
      divisor[oy * wo + ox] = count;
    }
  }
  const x = input.data;
  const out = allocate(input.dtype, planes * ho * wo);
  let q = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < ho; oy++) {
      const y0 = Math.max(0, oy * sh - ph);
      const y1 = Math.min(h, oy * sh - ph + kh);
      for (let ox = 0; ox < wo; ox++, q++) {
        const x0 = Math.max(0, ox * sw - pw);
        const x1 = Math.min(w, ox * sw - pw + kw);
        let s = 0;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = base + iy * w + x0, end = base + iy * w + x1; ix < end; ix++) s += x[ix]!;
        }
        out[q] = s / divisor[oy * wo + ox]!;
      }
    }
  }
  const result = new Tensor(out, g.outShape);
  return recordOp(result, "avgPool2d", [input], (gradOutput) => {
    const dy = gradOutput.data;
    const dx = allocate(input.dtype, input.size);
    let q = 0;
    for (let plane = 0; plane < planes; plane++) {
      const base = plane * h * w;
      for (let oy = 0; oy < ho; oy++) {
        const y0 = Math.max(0, oy * sh - ph);
        const y1 = Math.min(h, oy * sh - ph + kh);
        for (let ox = 0; ox < wo; ox++, q++) {
          const x0 = Math.max(0, ox * sw - pw);
          const x1 = Math.min(w, ox * sw - pw + kw);
          const v = dy[q]! / divisor[oy * wo + ox]!;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = base + iy * w + x0, end = base + iy * w + x1; ix < end; ix++) {
              dx[ix]! += v;
            }
          }
        }
      }
    }
    return [new Tensor(dx, input.shape)];
  });
}
