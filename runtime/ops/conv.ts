/**
 * 2-D convolution (PyTorch's `F.conv2d`, NCHW) by im2col + GEMM, with gradients for the input,
 * the weight and the bias. One sample at a time is unfolded into a reused float64 scratch
 * buffer, so memory stays at one sample's columns whatever the batch size; the backward pass
 * unfolds again instead of keeping the columns alive in the graph.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm } from "../kernels/gemm.ts";
import { conv2dBackwardWasm, conv2dWasm } from "../kernels/wasm_conv.ts";
import { formatShape } from "../core/shape.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";
import { addRowDots, col2im, type Geometry, im2col } from "./conv_lowering.ts";
import { reshape } from "./reshape.ts";

/** A size given once for both spatial dimensions, or as `[height, width]`. */
export type Size2d = number | readonly [number, number];

/** Options of {@link conv2d}, as in `torch.nn.functional.conv2d`. */
export interface Conv2dOptions {
  /** Step between output positions (default 1). */
  stride?: Size2d;
  /** Implicit zeros added on both sides of each spatial dimension (default 0). */
  padding?: Size2d;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2d;
  /** Input and output channels are split into this many independent groups (default 1). */
  groups?: number;
}

/**
 * Reads a {@link Size2d} as `[height, width]`, checking each is an integer ≥ `min`; `name` and
 * `op` go into the error message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toPair } from "./conv.ts";
 * assert.deepEqual(toPair(3, "kernelSize", "Conv2d", 1), [3, 3]);
 * assert.deepEqual(toPair([2, 1], "stride", "conv2d", 1), [2, 1]);
 * ```
 */
export function toPair(value: Size2d, name: string, op: string, min: number): [number, number] {
  const pair: [number, number] = typeof value === "number" ? [value, value] : [value[0], value[1]];
  for (const v of pair) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(
        `${op}: ${name} must be an integer ≥ ${min} (or a pair of them), got ${
          JSON.stringify(value)
        }`,
      );
    }
  }
  return pair;
}

// Reused scratch: the columns of one sample, and their gradient.
// NOTE: of the input's dtype, so float32 convolutions take gemm()'s WebAssembly SIMD path.
let colsScratch: TensorData = new Float64Array(0);
let gradColsScratch: TensorData = new Float64Array(0);

function grow(buffer: TensorData, size: number, like: TensorData): TensorData {
  const kind = like instanceof Float32Array ? Float32Array : Float64Array;
  return buffer.length >= size && buffer instanceof kind ? buffer : new kind(size);
}

function geometry(input: Tensor, weight: Tensor, options: Conv2dOptions): Geometry {
  const op = "conv2d";
  if (weight.ndim !== 4) {
    throw new RangeError(
      `${op}: weight must be [outChannels, inChannels / groups, kH, kW], got ${
        formatShape(weight.shape)
      }`,
    );
  }
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: groups must be a positive integer, got ${groups}`);
  }
  const [n, c, h, w] = input.shape as [number, number, number, number];
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  if (c % groups !== 0 || o % groups !== 0) {
    throw new RangeError(
      `${op}: ${c} input channels and ${o} output channels must both divide into ${groups} groups`,
    );
  }
  if (cg * groups !== c) {
    throw new RangeError(
      `${op}: input ${formatShape(input.shape)} has ${c} channels but weight ${
        formatShape(weight.shape)
      } expects ${cg * groups} (inChannels / groups = ${cg}, groups = ${groups})`,
    );
  }
  const [sh, sw] = toPair(options.stride ?? 1, "stride", op, 1);
  const [ph, pw] = toPair(options.padding ?? 0, "padding", op, 0);
  const [dh, dw] = toPair(options.dilation ?? 1, "dilation", op, 1);
  const ho = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const wo = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  if (ho < 1 || wo < 1) {
    throw new RangeError(
      `${op}: the kernel ${kh}x${kw} (dilation ${dh}x${dw}) is larger than the padded input ` +
        `${h + 2 * ph}x${w + 2 * pw} of ${formatShape(input.shape)}`,
    );
  }
  return {
    n,
    c,
    h,
    w,
    o,
    kh,
    kw,
    sh,
    sw,
    ph,
    pw,
    dh,
    dw,
    groups,
    cg,
    og: o / groups,
    ho,
    wo,
  };
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) over a batch of images:
 * $y_{n,o} = b_o + \sum_c w_{o,c} \star x_{n,c}$.
 *
 * - Input: `[N, C, H, W]` (or `[C, H, W]` for one image)
 * - Weight: `[O, C / groups, kH, kW]`; bias: `[O]` or null
 * - Output: `[N, O, Ho, Wo]` with
 *   $H_o = \lfloor (H + 2p - d(k_H - 1) - 1) / s \rfloor + 1$ (likewise $W_o$)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conv2d, ones, tensor } from "gradbook";
 * const x = ones([1, 1, 3, 3]);
 * const w = tensor([[[[1, 0], [0, 1]]]]);
 * assert.deepEqual(w.shape, [1, 1, 2, 2]);
 * const y = conv2d(x, w, tensor([0.5]), { padding: 1 });
 * assert.deepEqual(y.shape, [1, 1, 4, 4]);
 * assert.deepEqual(y.toArray(), [[[
 *   [1.5, 1.5, 1.5, 0.5],
 *   [1.5, 2.5, 2.5, 1.5],
 *   [1.5, 2.5, 2.5, 1.5],
 *   [0.5, 1.5, 1.5, 1.5],
 * ]]]);
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv2dOptions = {},
): Tensor {
  if (input.ndim === 3) {
    const [c, h, w] = input.shape as [number, number, number];
    const y = conv2d(reshape(input, [1, c, h, w]), weight, bias, options);
    return reshape(y, y.shape.slice(1));
  }
  if (input.ndim !== 4) {
    throw new RangeError(
      `conv2d: input must be [N, C, H, W] or [C, H, W], got ${formatShape(input.shape)}`,
    );
  }
  if (weight.dtype !== input.dtype || (bias !== null && bias.dtype !== input.dtype)) {
    throw new TypeError(
      `conv2d: dtype mismatch: input is ${input.dtype}, weight ${weight.dtype}` +
        (bias === null ? "" : `, bias ${bias.dtype}`),
    );
  }
  const g = geometry(input, weight, options);
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== g.o)) {
    throw new RangeError(
      `conv2d: bias must be [${g.o}] (one per output channel), got ${formatShape(bias.shape)}`,
    );
  }
  const l = g.ho * g.wo;
  const k = g.cg * g.kh * g.kw;
  const inSize = g.c * g.h * g.w;
  const out = allocate(input.dtype, g.n * g.o * l);
  const x = input.data;
  const wt = weight.data;
  // NOTE: float32 runs whole in the WebAssembly module (im2col, GEMM and bias in one call).
  const isDone = x instanceof Float32Array && wt instanceof Float32Array &&
    out instanceof Float32Array &&
    conv2dWasm(x, wt, bias === null ? null : bias.data as Float32Array, out, g);
  if (!isDone) colsScratch = grow(colsScratch, g.c * g.kh * g.kw * l, input.data);
  const cols = colsScratch;
  for (let n = 0; !isDone && n < g.n; n++) {
    im2col(x, n * inSize, g, cols);
    for (let gi = 0; gi < g.groups; gi++) {
      const outOffset = (n * g.o + gi * g.og) * l;
      gemm(wt, gi * g.og * k, cols, gi * k * l, out, outOffset, { m: g.og, n: l, k });
    }
    if (bias !== null) {
      const b = bias.data;
      for (let o = 0; o < g.o; o++) {
        const start = (n * g.o + o) * l;
        const v = b[o]!;
        for (let p = start; p < start + l; p++) out[p]! += v;
      }
    }
  }
  const result = new Tensor(out, [g.n, g.o, g.ho, g.wo]);
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  return recordOp(result, "conv2d", inputs, (gradOutput) => {
    const grads = conv2dBackward(input, weight, bias, gradOutput.data, g);
    return bias === null ? grads.slice(0, 2) : grads;
  });
}

/** Gradients of {@link conv2d} for [input, weight, bias] (null where not required). */
function conv2dBackward(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  dy: TensorData,
  g: Geometry,
): (Tensor | null)[] {
  const l = g.ho * g.wo;
  const k = g.cg * g.kh * g.kw;
  const inSize = g.c * g.h * g.w;
  const wantInput = input.requiresGrad;
  const wantWeight = weight.requiresGrad;
  let gradBias: Tensor | null = null;
  if (bias !== null && bias.requiresGrad) {
    const db = allocate(bias.dtype, g.o);
    for (let n = 0; n < g.n; n++) {
      for (let o = 0; o < g.o; o++) {
        const start = (n * g.o + o) * l;
        let s = 0;
        for (let p = start; p < start + l; p++) s += dy[p]!;
        db[o]! += s;
      }
    }
    gradBias = new Tensor(db, bias.shape);
  }
  const dx = wantInput ? allocate(input.dtype, input.size) : null;
  // NOTE: float32 gradients run whole in the WebAssembly module (im2col, GEMMs and col2im).
  if (
    input.data instanceof Float32Array && weight.data instanceof Float32Array &&
    dy instanceof Float32Array && (dx === null || dx instanceof Float32Array)
  ) {
    const dw = wantWeight ? new Float32Array(weight.size) : null;
    if (conv2dBackwardWasm(input.data, weight.data, dy, dx, dw, g)) {
      const gradInput = dx === null ? null : new Tensor(dx, input.shape);
      return [gradInput, dw === null ? null : new Tensor(dw, weight.shape), gradBias];
    }
  }
  const dwSum = wantWeight ? new Float64Array(weight.size) : null;
  if (wantWeight) {
    colsScratch = grow(colsScratch, g.c * g.kh * g.kw * l, input.data);
  }
  if (wantInput) gradColsScratch = grow(gradColsScratch, g.c * g.kh * g.kw * l, input.data);
  const cols = colsScratch;
  const dcols = gradColsScratch;
  const wt = weight.data;
  for (let n = 0; n < g.n; n++) {
    if (dwSum !== null) im2col(input.data, n * inSize, g, cols);
    for (let gi = 0; gi < g.groups; gi++) {
      const dyOffset = (n * g.o + gi * g.og) * l;
      if (dwSum !== null) {
        // dW_g += dY_g [og, l] · cols_gᵀ [l, k]
        addRowDots(dy, dyOffset, cols, gi * k * l, dwSum, gi * g.og * k, g.og, k, l);
      }
      if (dx !== null) {
        // dcols_g [k, l] = W_gᵀ [k, og] · dY_g [og, l]
        gemm(wt, gi * g.og * k, dy, dyOffset, dcols, gi * k * l, {
          m: k,
          n: l,
          k: g.og,
          transA: true,
        });
      }
    }
    if (dx !== null) col2im(dcols, g, dx, n * inSize);
  }
  let gradWeight: Tensor | null = null;
  if (dwSum !== null) {
    const dw = allocate(weight.dtype, weight.size);
    dw.set(dwSum);
    gradWeight = new Tensor(dw, weight.shape);
  }
  return [dx === null ? null : new Tensor(dx, input.shape), gradWeight, gradBias];
}
