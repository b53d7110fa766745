/**
 * The fused LSTM layer, `lstmLayer` (one recorded op over a whole sequence, with backpropagation
 * through time by hand), and the single step `lstmCellStep`. See `recurrent.ts` for the layout of
 * the work and the helpers the three recurrent layers share.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm } from "../kernels/gemm.ts";
import { lstmBackward, lstmForward } from "../kernels/lstm_kernel.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import {
  addBiases,
  asSequence,
  checkLayer,
  recordedInputs,
  scratch,
  takeRows,
  weightGradients,
} from "./recurrent.ts";

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
  const whh = wHh.data;
  const forward = lstmForward(xg, whh, bias, h0?.data ?? null, c0?.data ?? null, steps, batch, H);
  const { hs, cs } = forward;
  // One recorded output: rows 0..T-1 are h_1..h_T, row T is c_T; split below.
  const packed = allocate(dtype, (steps + 1) * BH);
  packed.set(hs.subarray(BH));
  packed.set(cs.subarray(steps * BH), steps * BH);
  const { inputs, place } = recordedInputs([input, h0, c0, wIh, wHh, bIh, bHh]);
  const out = recordOp(new Tensor(packed, [steps + 1, batch, H]), "lstm", inputs, (grad) => {
    const { dG, dh, dc } = lstmBackward(
      grad.data,
      forward,
      whh,
      steps,
      batch,
      H,
      h0?.requiresGrad === true,
    );
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
