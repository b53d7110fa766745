/**
 * The fused GRU layer, `gruLayer` (one recorded op over a whole sequence, with backpropagation
 * through time by hand), and the single step `gruCellStep`. See `recurrent.ts` for the layout of
 * the work and the helpers the three recurrent layers share.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm, type GemmShape } from "../kernels/gemm.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";
import {
  addBiases,
  addInto,
  asSequence,
  checkLayer,
  recordedInputs,
  scratch,
  takeRows,
  weightGradients,
} from "./recurrent.ts";

/** Gates and hidden state of GRU step `t`; saves r, z, n and $W_{hn} h + b_{hn}$. */
function gruForwardStep(
  t: number,
  batch: number,
  H: number,
  xg: TensorData,
  hg: TensorData,
  bi: TensorData,
  bh: TensorData,
  saved: TensorData,
  hs: TensorData,
): void {
  const G = 3 * H;
  const BH = batch * H;
  for (let b = 0; b < batch; b++) {
    const xr = (t * batch + b) * G;
    const hr = b * G;
    const sv = (t * batch + b) * 4 * H;
    const sPrev = t * BH + b * H;
    for (let j = 0; j < H; j++) {
      const r = 1 / (1 + Math.exp(-(xg[xr + j]! + bi[j]! + hg[hr + j]! + bh[j]!)));
      const z = 1 / (1 + Math.exp(-(xg[xr + H + j]! + bi[H + j]! + hg[hr + H + j]! + bh[H + j]!)));
      const hn = hg[hr + 2 * H + j]! + bh[2 * H + j]!;
      const n = Math.tanh(xg[xr + 2 * H + j]! + bi[2 * H + j]! + r * hn);
      saved[sv + j] = r;
      saved[sv + H + j] = z;
      saved[sv + 2 * H + j] = n;
      saved[sv + 3 * H + j] = hn;
      hs[sPrev + BH + j] = (1 - z) * n + z * hs[sPrev + j]!;
    }
  }
}

/**
 * Gradients of GRU step `t` with respect to the input-side (`dxg`) and hidden-side (`dhg`)
 * pre-activations; `dh` becomes the direct part $\partial h_t \odot z$ of the gradient of $h_{t-1}$.
 */
function gruBackwardStep(
  t: number,
  batch: number,
  H: number,
  gd: TensorData,
  dh: TensorData,
  saved: TensorData,
  hs: TensorData,
  dxg: TensorData,
  dhg: TensorData,
): void {
  const G = 3 * H;
  const BH = batch * H;
  for (let b = 0; b < batch; b++) {
    const gr = (t * batch + b) * G;
    const sv = (t * batch + b) * 4 * H;
    const s = b * H;
    const sPrev = t * BH + s;
    for (let j = 0; j < H; j++) {
      const dht = gd[t * BH + s + j]! + dh[s + j]!;
      const r = saved[sv + j]!;
      const z = saved[sv + H + j]!;
      const n = saved[sv + 2 * H + j]!;
      const hn = saved[sv + 3 * H + j]!;
      const dan = dht * (1 - z) * (1 - n * n);
      const dar = dan * hn * r * (1 - r);
      const daz = dht * (hs[sPrev + j]! - n) * z * (1 - z);
      dxg[gr + j] = dar;
      dxg[gr + H + j] = daz;
      dxg[gr + 2 * H + j] = dan;
      dhg[gr + j] = dar;
      dhg[gr + H + j] = daz;
      dhg[gr + 2 * H + j] = dan * r;
      dh[s + j] = dht * z;
    }
  }
}

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
  const hg = scratch(1, dtype, batch * G);
  const hs = allocate(dtype, (steps + 1) * BH);
  // Saved per step and batch row: r, z, n and W_hn h + b_hn, each H wide.
  const saved = allocate(dtype, steps * batch * 4 * H);
  if (h0 !== null) hs.set(h0.data);
  const whh = wHh.data;
  const recurrent: GemmShape = { m: batch, n: G, k: H, transB: true };
  for (let t = 0; t < steps; t++) {
    gemm(hs, t * BH, whh, 0, hg, 0, recurrent);
    gruForwardStep(t, batch, H, xg, hg, bi, bh, saved, hs);
  }
  const { inputs, place } = recordedInputs([input, h0, wIh, wHh, bIh, bHh]);
  const out = recordOp(
    new Tensor(hs.slice(BH), [steps, batch, H]),
    "gru",
    inputs,
    (grad) => {
      const gd = grad.data;
      const dxg = scratch(0, dtype, steps * batch * G);
      const dhg = scratch(1, dtype, steps * batch * G);
      const dh = allocate(dtype, BH);
      const dhFromGates = scratch(2, dtype, BH);
      const back: GemmShape = { m: batch, n: H, k: G };
      for (let t = steps - 1; t >= 0; t--) {
        gruBackwardStep(t, batch, H, gd, dh, saved, hs, dxg, dhg);
        gemm(dhg, t * batch * G, whh, 0, dhFromGates, 0, back);
        addInto(dh, dhFromGates);
      }
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
