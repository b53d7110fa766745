/**
 * The fused LSTM layer, `lstmLayer` (one recorded op over a whole sequence, with backpropagation
 * through time by hand), and the single step `lstmCellStep`. See `recurrent.ts` for the layout of
 * the work and the helpers the three recurrent layers share.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm, type GemmShape } from "../kernels/gemm.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";
import {
  addBiases,
  asSequence,
  checkLayer,
  recordedInputs,
  scratch,
  takeRows,
  weightGradients,
} from "./recurrent.ts";

/** Gates, cell and hidden state of LSTM step `t` (see {@link lstmLayer}). */
function lstmForwardStep(
  t: number,
  batch: number,
  H: number,
  xg: TensorData,
  hg: TensorData,
  bias: TensorData,
  acts: TensorData,
  cs: TensorData,
  hs: TensorData,
): void {
  const G = 4 * H;
  const BH = batch * H;
  for (let b = 0; b < batch; b++) {
    const xr = (t * batch + b) * G;
    const hr = b * G;
    const sPrev = t * BH + b * H;
    const sNext = sPrev + BH;
    for (let j = 0; j < H; j++) {
      const i = 1 / (1 + Math.exp(-(xg[xr + j]! + hg[hr + j]! + bias[j]!)));
      const f = 1 / (1 + Math.exp(-(xg[xr + H + j]! + hg[hr + H + j]! + bias[H + j]!)));
      const g = Math.tanh(xg[xr + 2 * H + j]! + hg[hr + 2 * H + j]! + bias[2 * H + j]!);
      const o = 1 / (1 + Math.exp(-(xg[xr + 3 * H + j]! + hg[hr + 3 * H + j]! + bias[3 * H + j]!)));
      acts[xr + j] = i;
      acts[xr + H + j] = f;
      acts[xr + 2 * H + j] = g;
      acts[xr + 3 * H + j] = o;
      const c = f * cs[sPrev + j]! + i * g;
      cs[sNext + j] = c;
      hs[sNext + j] = o * Math.tanh(c);
    }
  }
}

/**
 * Gate gradients of LSTM step `t` into `dG`, given the output gradient `gd` and the recurrent
 * gradients `dh` (of $h_t$) and `dc` (of $c_t$, replaced by that of $c_{t-1}$).
 */
function lstmBackwardStep(
  t: number,
  batch: number,
  H: number,
  gd: TensorData,
  dh: TensorData,
  dc: TensorData,
  acts: TensorData,
  cs: TensorData,
  dG: TensorData,
): void {
  const G = 4 * H;
  const BH = batch * H;
  for (let b = 0; b < batch; b++) {
    const gr = (t * batch + b) * G;
    const s = b * H;
    const sPrev = t * BH + s;
    const sNext = sPrev + BH;
    for (let j = 0; j < H; j++) {
      const dht = gd[t * BH + s + j]! + dh[s + j]!;
      const i = acts[gr + j]!;
      const f = acts[gr + H + j]!;
      const g = acts[gr + 2 * H + j]!;
      const o = acts[gr + 3 * H + j]!;
      const tc = Math.tanh(cs[sNext + j]!);
      const dct = dc[s + j]! + dht * o * (1 - tc * tc);
      dG[gr + j] = dct * g * i * (1 - i);
      dG[gr + H + j] = dct * cs[sPrev + j]! * f * (1 - f);
      dG[gr + 2 * H + j] = dct * i * (1 - g * g);
      dG[gr + 3 * H + j] = dht * tc * o * (1 - o);
      dc[s + j] = dct * f;
    }
  }
}

/**
 * One LSTM layer over a whole sequence (Hochreiter & Schmidhuber, 1997, with the forget gate of
 * Gers et al., 2000, as in PyTorch):
 * $i = \sigma(\cdot), f = \sigma(\cdot), g = \tanh(\cdot), o = \sigma(\cdot)$ from
 * $x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}$ split in four, then
 * $c_t = f \odot c_{t-1} + i \odot g$ and $h_t = o \odot \tanh c_t$.
 *
 * @param input Shape `[steps, batch, inputSize]`.
 * @param h0 Shape `[batch, hiddenSize]`, or null for zeros.
 * @param c0 Shape `[batch, hiddenSize]`, or null for zeros.
 * @param wIh Shape `[4·hiddenSize, inputSize]`; `wHh` `[4·hiddenSize, hiddenSize]`; biases
 *   `[4·hiddenSize]` or null.
 * @returns `[output, hN, cN]`: output `[steps, batch, hiddenSize]` (every $h_t$), and the final
 *   states `[batch, hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn } from "gradbook";
 * import { lstmLayer } from "./lstm_layer.ts";
 * const [output, hN, cN] = lstmLayer(randn([5, 2, 3]), null, null, randn([16, 3]), randn([16, 4]), null, null);
 * assert.deepEqual(output.shape, [5, 2, 4]);
 * assert.deepEqual(hN.shape, [2, 4]);
 * assert.deepEqual(cN.shape, [2, 4]);
 * ```
 */
export function lstmLayer(
  input: Tensor,
  h0: Tensor | null,
  c0: Tensor | null,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
): [Tensor, Tensor, Tensor] {
  const sizes = checkLayer("lstm", 4, input, [h0, c0], wIh, wHh, bIh, bHh);
  const { steps, batch, inputSize, hiddenSize: H, dtype } = sizes;
  const G = 4 * H;
  const BH = batch * H;
  const xg = scratch(0, dtype, steps * batch * G);
  gemm(input.data, 0, wIh.data, 0, xg, 0, { m: steps * batch, n: G, k: inputSize, transB: true });
  const bias = addBiases(dtype, G, bIh, bHh);
  const hg = scratch(1, dtype, batch * G);
  // hs and cs hold h_0..h_T and c_0..c_T; acts the activated gates i, f, g, o of every step.
  const hs = allocate(dtype, (steps + 1) * BH);
  const cs = allocate(dtype, (steps + 1) * BH);
  const acts = allocate(dtype, steps * batch * G);
  if (h0 !== null) hs.set(h0.data);
  if (c0 !== null) cs.set(c0.data);
  const whh = wHh.data;
  const recurrent: GemmShape = { m: batch, n: G, k: H, transB: true };
  for (let t = 0; t < steps; t++) {
    gemm(hs, t * BH, whh, 0, hg, 0, recurrent);
    lstmForwardStep(t, batch, H, xg, hg, bias, acts, cs, hs);
  }
  // One recorded output: rows 0..T-1 are h_1..h_T, row T is c_T; split below.
  const packed = allocate(dtype, (steps + 1) * BH);
  packed.set(hs.subarray(BH));
  packed.set(cs.subarray(steps * BH), steps * BH);
  const { inputs, place } = recordedInputs([input, h0, c0, wIh, wHh, bIh, bHh]);
  const out = recordOp(new Tensor(packed, [steps + 1, batch, H]), "lstm", inputs, (grad) => {
    const gd = grad.data;
    const dG = scratch(0, dtype, steps * batch * G);
    const dh = allocate(dtype, BH);
    const dc = gd.slice(steps * BH, (steps + 1) * BH);
    const back: GemmShape = { m: batch, n: H, k: G };
    for (let t = steps - 1; t >= 0; t--) {
      lstmBackwardStep(t, batch, H, gd, dh, dc, acts, cs, dG);
      // dh_{t-1} = δ_t W_hh (overwrites dh, which held the recurrent part for step t)
      if (t > 0 || h0?.requiresGrad) {
        gemm(dG, t * batch * G, whh, 0, dh, 0, back);
      }
    }
    const w = weightGradients(sizes, G, dG, dG, input, hs, wIh, wHh, bIh, bHh);
    return place([
      w.dInput,
      h0?.requiresGrad ? new Tensor(dh, h0.shape) : null,
      c0?.requiresGrad ? new Tensor(dc, c0.shape) : null,
      w.dWih,
      w.dWhh,
      w.dBih,
      w.dBhh,
    ]);
  });
  return [
    takeRows(out, 0, steps, [steps, batch, H], "lstm.output"),
    takeRows(out, steps - 1, 1, [batch, H], "lstm.hN"),
    takeRows(out, steps, 1, [batch, H], "lstm.cN"),
  ];
}

/**
 * One LSTM step, as `nn.LSTMCell` computes it (see {@link lstmLayer} for the equations).
 *
 * @param x Shape `[batch, inputSize]`.
 * @param h Shape `[batch, hiddenSize]`; `c` likewise.
 * @returns `[h', c']`, each `[batch, hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn, zeros } from "gradbook";
 * import { lstmCellStep } from "./lstm_layer.ts";
 * const [h, c] = lstmCellStep(randn([2, 3]), zeros([2, 4]), zeros([2, 4]), randn([16, 3]), randn([16, 4]), null, null);
 * assert.deepEqual(h.shape, [2, 4]);
 * assert.deepEqual(c.shape, [2, 4]);
 * ```
 */
export function lstmCellStep(
  x: Tensor,
  h: Tensor,
  c: Tensor,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
): [Tensor, Tensor] {
  const [, hN, cN] = lstmLayer(asSequence(x, "lstmCellStep"), h, c, wIh, wHh, bIh, bHh);
  return [hN, cN];
}
