/**
 * The fused GRU layer, `gruLayer` (one recorded op over a whole sequence, with backpropagation
 * through time by hand), and the single step `gruCellStep`. See `recurrent.ts` for the layout of
 * the work and the helpers the three recurrent layers share.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm } from "../kernels/gemm.ts";
import { gruBackward, gruForward } from "../kernels/gru_kernel.ts";
import { Tensor } from "../core/tensor.ts";
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
 * One GRU layer over a whole sequence (Cho et al., 2014, in PyTorch's form):
 * $r = \sigma(W_{ir} x + b_{ir} + W_{hr} h + b_{hr})$,
 * $z = \sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz})$,
 * $n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}))$,
 * $h' = (1 - z) \odot n + z \odot h$.
 *
 * @param input Shape `[steps, batch, inputSize]`.
 * @param h0 Shape `[batch, hiddenSize]`, or null for zeros.
 * @param wIh Shape `[3·hiddenSize, inputSize]`; `wHh` `[3·hiddenSize, hiddenSize]`; biases
 *   `[3·hiddenSize]` or null.
 * @returns `[output, hN]`: output `[steps, batch, hiddenSize]`, hN `[batch, hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn } from "gradbook";
 * import { gruLayer } from "./gru_layer.ts";
 * const [output, hN] = gruLayer(randn([5, 2, 3]), null, randn([12, 3]), randn([12, 4]), null, null);
 * assert.deepEqual(output.shape, [5, 2, 4]);
 * assert.deepEqual(hN.shape, [2, 4]);
 * ```
 */
export function gruLayer(
  input: Tensor,
  h0: Tensor | null,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
): [Tensor, Tensor] {
  const sizes = checkLayer("gru", 3, input, [h0], wIh, wHh, bIh, bHh);
  const { steps, batch, inputSize, hiddenSize: H, dtype } = sizes;
  const G = 3 * H;
  const BH = batch * H;
  const xg = scratch(0, dtype, steps * batch * G);
  gemm(input.data, 0, wIh.data, 0, xg, 0, { m: steps * batch, n: G, k: inputSize, transB: true });
  const bi = addBiases(dtype, G, bIh, null);
  const bh = addBiases(dtype, G, null, bHh);
  const whh = wHh.data;
  const forward = gruForward(xg, whh, bi, bh, h0?.data ?? null, steps, batch, H);
  const { hs } = forward;
  const { inputs, place } = recordedInputs([input, h0, wIh, wHh, bIh, bHh]);
  const out = recordOp(
    new Tensor(hs.slice(BH), [steps, batch, H]),
    "gru",
    inputs,
    (grad) => {
      const { dxg, dhg, dh } = gruBackward(grad.data, forward, whh, steps, batch, H);
      const w = weightGradients(sizes, G, dxg, dhg, input, hs, wIh, wHh, bIh, bHh);
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
  return [out, takeRows(out, steps - 1, 1, [batch, H], "gru.hN")];
}

/**
 * One GRU step, as `nn.GRUCell` computes it (see {@link gruLayer} for the equations).
 *
 * @param x Shape `[batch, inputSize]`.
 * @param h Shape `[batch, hiddenSize]`.
 * @returns h' `[batch, hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn, zeros } from "gradbook";
 * import { gruCellStep } from "./gru_layer.ts";
 * assert.deepEqual(gruCellStep(randn([2, 3]), zeros([2, 4]), randn([12, 3]), randn([12, 4]), null, null).shape, [2, 4]);
 * ```
 */
export function gruCellStep(
  x: Tensor,
  h: Tensor,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
): Tensor {
  return gruLayer(asSequence(x, "gruCellStep"), h, wIh, wHh, bIh, bHh)[1];
}
