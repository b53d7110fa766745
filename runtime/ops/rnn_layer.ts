/**
 * The fused Elman RNN layer, `rnnLayer` (one recorded op over a whole sequence, with
 * backpropagation through time by hand), and the single step `rnnCellStep`. See `recurrent.ts`
 * for the layout of the work and the helpers the three recurrent layers share.
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

/** Nonlinearity of a plain (Elman) RNN. */
export type RnnNonlinearity = "tanh" | "relu";

/** Finishes RNN step: `hs[base + k] = φ(hs[base + k] + hg[k] + bias[j])` for every row. */
function rnnForwardStep(
  base: number,
  batch: number,
  H: number,
  hg: TensorData,
  bias: TensorData,
  hs: TensorData,
  isTanh: boolean,
): void {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const pre = hs[base + k]! + hg[k]! + bias[j]!;
      hs[base + k] = isTanh ? Math.tanh(pre) : (pre > 0 ? pre : 0);
    }
  }
}

/** Pre-activation gradient of RNN step at offset `at` (`BH` values) into `dPre`. */
function rnnBackwardStep(
  at: number,
  BH: number,
  gd: TensorData,
  dh: TensorData,
  hs: TensorData,
  dPre: TensorData,
  isTanh: boolean,
): void {
  for (let k = 0; k < BH; k++) {
    const dht = gd[at + k]! + dh[k]!;
    const h = hs[at + BH + k]!;
    dPre[at + k] = isTanh ? dht * (1 - h * h) : (h > 0 ? dht : 0);
  }
}

/**
 * One Elman RNN layer over a whole sequence:
 * $h_t = \phi(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh})$ with $\phi$ = tanh or
 * ReLU.
 *
 * @param input Shape `[steps, batch, inputSize]`.
 * @param h0 Shape `[batch, hiddenSize]`, or null for zeros.
 * @param wIh Shape `[hiddenSize, inputSize]`; `wHh` `[hiddenSize, hiddenSize]`; biases
 *   `[hiddenSize]` or null.
 * @returns `[output, hN]`: output `[steps, batch, hiddenSize]`, hN `[batch, hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn } from "gradbook";
 * import { rnnLayer } from "./rnn_layer.ts";
 * const [output, hN] = rnnLayer(randn([5, 2, 3]), null, randn([4, 3]), randn([4, 4]), null, null);
 * assert.deepEqual(output.shape, [5, 2, 4]);
 * assert.deepEqual(hN.shape, [2, 4]);
 * ```
 */
export function rnnLayer(
  input: Tensor,
  h0: Tensor | null,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
  nonlinearity: RnnNonlinearity = "tanh",
): [Tensor, Tensor] {
  if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
    throw new TypeError(`rnn: unknown nonlinearity "${nonlinearity}" (use "tanh" or "relu")`);
  }
  const sizes = checkLayer("rnn", 1, input, [h0], wIh, wHh, bIh, bHh);
  const { steps, batch, inputSize, hiddenSize: H, dtype } = sizes;
  const BH = batch * H;
  const isTanh = nonlinearity === "tanh";
  const hs = allocate(dtype, (steps + 1) * BH);
  // x W_ihᵀ for all steps, written straight into the slots of h_1..h_T and finished in place.
  gemm(input.data, 0, wIh.data, 0, hs, BH, { m: steps * batch, n: H, k: inputSize, transB: true });
  const bias = addBiases(dtype, H, bIh, bHh);
  const hg = scratch(1, dtype, BH);
  if (h0 !== null) hs.set(h0.data);
  const whh = wHh.data;
  const recurrent: GemmShape = { m: batch, n: H, k: H, transB: true };
  for (let t = 0; t < steps; t++) {
    gemm(hs, t * BH, whh, 0, hg, 0, recurrent);
    rnnForwardStep((t + 1) * BH, batch, H, hg, bias, hs, isTanh);
  }
  const { inputs, place } = recordedInputs([input, h0, wIh, wHh, bIh, bHh]);
  const out = recordOp(
    new Tensor(hs.slice(BH), [steps, batch, H]),
    "rnn",
    inputs,
    (grad) => {
      const gd = grad.data;
      const dPre = scratch(0, dtype, steps * BH);
      const dh = allocate(dtype, BH);
      const back: GemmShape = { m: batch, n: H, k: H };
      for (let t = steps - 1; t >= 0; t--) {
        rnnBackwardStep(t * BH, BH, gd, dh, hs, dPre, isTanh);
        if (t > 0 || h0?.requiresGrad) gemm(dPre, t * BH, whh, 0, dh, 0, back);
      }
      const w = weightGradients(sizes, H, dPre, dPre, input, hs, wIh, wHh, bIh, bHh);
      return place([
        w.dInput,
        h0?.requiresGrad ? new Tensor(dh, h0.shape) : null,
        w.dWih,
        w.dWhh,
        w.dBih,
        w.dBhh,
      ]);
    },
  );
  return [out, takeRows(out, steps - 1, 1, [batch, H], "rnn.hN")];
}

/**
 * One Elman RNN step, as `nn.RNNCell` computes it (see {@link rnnLayer}).
 *
 * @param x Shape `[batch, inputSize]`.
 * @param h Shape `[batch, hiddenSize]`.
 * @returns h' `[batch, hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn, zeros } from "gradbook";
 * import { rnnCellStep } from "./rnn_layer.ts";
 * assert.deepEqual(rnnCellStep(randn([2, 3]), zeros([2, 4]), randn([4, 3]), randn([4, 4]), null, null).shape, [2, 4]);
 * ```
 */
export function rnnCellStep(
  x: Tensor,
  h: Tensor,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
  nonlinearity: RnnNonlinearity = "tanh",
): Tensor {
  return rnnLayer(asSequence(x, "rnnCellStep"), h, wIh, wHh, bIh, bHh, nonlinearity)[1];
}
