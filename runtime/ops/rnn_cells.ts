/**
 * Fused recurrent kernels: a whole layer of an Elman RNN, an LSTM or a GRU over a sequence as ONE
 * recorded op with a hand-written backward (backpropagation through time), and the single-step
 * cells built on them. `nn.RNN`, `nn.LSTM`, `nn.GRU` and their cells call these.
 *
 * Weights follow PyTorch's layout, so state dicts carry over: `wIh` is `[gates·H, I]`, `wHh` is
 * `[gates·H, H]`, biases `[gates·H]`; gate order LSTM $i, f, g, o$ and GRU $r, z, n$.
 *
 * How the work is laid out (the point of fusing):
 * - forward: one GEMM $X W_{ih}^\top$ for every time step at once, then per step one GEMM
 *   $h_{t-1} W_{hh}^\top$ and one loop that computes all gates, the cell and the new state;
 * - backward: per step one loop for the gate gradients and one GEMM $\delta_t W_{hh}$ for the
 *   gradient of $h_{t-1}$; after the loop one GEMM each for $\partial W_{ih}$, $\partial W_{hh}$
 *   and $\partial X$ over all steps, and column sums for the biases.
 *
 * So the recorded graph holds one node per layer whatever the sequence length, and backward
 * never recurses.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm, type GemmShape } from "../kernels/gemm.ts";
import { formatShape, shapeSize } from "../core/shape.ts";
import { allocate, type DType, Tensor, type TensorData } from "../core/tensor.ts";
import { reshape } from "./reshape.ts";

/** Nonlinearity of a plain (Elman) RNN. */
export type RnnNonlinearity = "tanh" | "relu";

/** Sizes of one recurrent layer, checked by {@link checkLayer}. */
interface LayerSizes {
  steps: number;
  batch: number;
  inputSize: number;
  hiddenSize: number;
  dtype: DType;
}

function checkLayer(
  op: string,
  gates: number,
  input: Tensor,
  states: readonly (Tensor | null)[],
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
): LayerSizes {
  const all = [input, ...states, wIh, wHh, bIh, bHh];
  for (const t of all) {
    if (t !== null && !(t instanceof Tensor)) {
      throw new TypeError(
        `${op}: expected Tensors, got ${Array.isArray(t) ? "an array" : typeof t}`,
      );
    }
  }
  if (input.ndim !== 3) {
    throw new RangeError(
      `${op}: input must have shape [steps, batch, inputSize], got ${formatShape(input.shape)}`,
    );
  }
  const [steps, batch, inputSize] = input.shape as [number, number, number];
  if (steps === 0) {
    throw new RangeError(`${op}: the input sequence is empty (shape ${formatShape(input.shape)})`);
  }
  if (wIh.ndim !== 2 || wIh.shape[0]! % gates !== 0 || wIh.shape[1] !== inputSize) {
    throw new RangeError(
      `${op}: weight_ih must have shape [${gates}·hiddenSize, ${inputSize}], got ${
        formatShape(wIh.shape)
      }`,
    );
  }
  const hiddenSize = wIh.shape[0]! / gates;
  const expect = (t: Tensor | null, shape: number[], name: string) => {
    if (t !== null && t.shape.join() !== shape.join()) {
      throw new RangeError(
        `${op}: ${name} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`,
      );
    }
  };
  expect(wHh, [gates * hiddenSize, hiddenSize], "weight_hh");
  expect(bIh, [gates * hiddenSize], "bias_ih");
  expect(bHh, [gates * hiddenSize], "bias_hh");
  for (const s of states) expect(s, [batch, hiddenSize], "the initial state");
  const dtype = input.dtype;
  for (const t of all) {
    if (t !== null && t.dtype !== dtype) {
      throw new TypeError(
        `${op}: dtype mismatch: the input is ${dtype} but a weight or state is ${t.dtype}`,
      );
    }
  }
  return { steps, batch, inputSize, hiddenSize, dtype };
}

/** $b_{ih} + b_{hh}$ (either may be absent), length `size`. */
function addBiases(dtype: DType, size: number, bIh: Tensor | null, bHh: Tensor | null) {
  const b = allocate(dtype, size);
  for (const t of [bIh, bHh]) {
    if (t === null) continue;
    const d = t.data;
    for (let j = 0; j < size; j++) b[j] = b[j]! + d[j]!;
  }
  return b;
}

/** Sums the `rows` rows of `d` (width `cols`) into a new tensor of shape [cols]. */
function columnSums(d: TensorData, rows: number, cols: number, dtype: DType): Tensor {
  const out = allocate(dtype, cols);
  for (let r = 0; r < rows; r++) addInto(out, d.subarray(r * cols, (r + 1) * cols));
  return new Tensor(out, [cols]);
}

/**
 * Gradients shared by every cell type once the per-step gate gradients are known:
 * $\partial W_{ih} = \sum_t \delta^x_t{}^\top x_t$, $\partial W_{hh} = \sum_t \delta^h_t{}^\top
 * h_{t-1}$, $\partial X = \delta^x W_{ih}$ and the bias sums; `dxg`/`dhg` are [steps·batch, G].
 */
function weightGradients(
  sizes: LayerSizes,
  gateWidth: number,
  dxg: TensorData,
  dhg: TensorData,
  input: Tensor,
  hPrev: TensorData,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
) {
  const { steps, batch, inputSize, hiddenSize, dtype } = sizes;
  const rows = steps * batch;
  let dInput: Tensor | null = null;
  let dWih: Tensor | null = null;
  let dWhh: Tensor | null = null;
  if (input.requiresGrad) {
    const d = allocate(dtype, rows * inputSize);
    gemm(dxg, 0, wIh.data, 0, d, 0, { m: rows, n: inputSize, k: gateWidth });
    dInput = new Tensor(d, input.shape);
  }
  if (wIh.requiresGrad) {
    const d = allocate(dtype, gateWidth * inputSize);
    gemm(dxg, 0, input.data, 0, d, 0, { m: gateWidth, n: inputSize, k: rows, transA: true });
    dWih = new Tensor(d, wIh.shape);
  }
  if (wHh.requiresGrad) {
    const d = allocate(dtype, gateWidth * hiddenSize);
    gemm(dhg, 0, hPrev, 0, d, 0, { m: gateWidth, n: hiddenSize, k: rows, transA: true });
    dWhh = new Tensor(d, wHh.shape);
  }
  const dBih = bIh?.requiresGrad ? columnSums(dxg, rows, gateWidth, dtype) : null;
  const dBhh = bHh?.requiresGrad ? columnSums(dhg, rows, gateWidth, dtype) : null;
  return { dInput, dWih, dWhh, dBih, dBhh };
}

/** Inputs of a recorded layer op, absent ones (null) dropped, and a way to map grads back. */
function recordedInputs(
  list: (Tensor | null)[],
): { inputs: Tensor[]; place: (grads: (Tensor | null)[]) => (Tensor | null)[] } {
  const inputs: Tensor[] = [];
  const present: boolean[] = [];
  for (const t of list) {
    present.push(t !== null);
    if (t !== null) inputs.push(t);
  }
  return {
    inputs,
    place: (grads) => grads.filter((_, i) => present[i]),
  };
}

/**
 * Rows `start`..`start+count-1` of `x` along its first axis, copied, in the given `shape`, as a
 * differentiable op (how the layers split their one recorded output, and how `nn.LSTM` picks one
 * layer's initial state out of `[numLayers, batch, hidden]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * import { takeRows } from "./rnn_cells.ts";
 * assert.deepEqual(takeRows(tensor([[1, 2], [3, 4], [5, 6]]), 1, 2, [2, 2]).toArray(), [[3, 4], [5, 6]]);
 * ```
 */
export function takeRows(
  x: Tensor,
  start: number,
  count: number,
  shape: readonly number[],
  op = "takeRows",
): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / x.shape[0]!;
  if (
    x.ndim === 0 || start < 0 || start + count > x.shape[0]! || shapeSize(shape) !== count * rowSize
  ) {
    throw new RangeError(
      `${op}: cannot take ${count} rows from row ${start} of ${formatShape(x.shape)} as ${
        formatShape(shape)
      }`,
    );
  }
  const from = start * rowSize;
  const out = new Tensor(x.data.slice(from, from + count * rowSize), shape);
  return recordOp(out, op, [x], (g) => {
    const d = allocate(x.dtype, x.size);
    d.set(g.data, from);
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Stacks same-shaped tensors along a new first axis (the per-layer final states into
 * `[numLayers, batch, hidden]`), as a differentiable op.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * import { stackStates } from "./rnn_cells.ts";
 * assert.deepEqual(stackStates([tensor([1, 2]), tensor([3, 4])]).toArray(), [[1, 2], [3, 4]]);
 * ```
 */
export function stackStates(states: readonly Tensor[]): Tensor {
  const first = states[0];
  if (first === undefined) throw new RangeError("stackStates: expected at least one state");
  const out = allocate(first.dtype, first.size * states.length);
  states.forEach((s, i) => out.set(s.data, i * first.size));
  return recordOp(
    new Tensor(out, [states.length, ...first.shape]),
    "stackStates",
    states,
    (g) =>
      states.map((s, i) =>
        s.requiresGrad
          ? new Tensor(g.data.slice(i * first.size, (i + 1) * first.size), s.shape)
          : null
      ),
  );
}

// ---- scratch buffers --------------------------------------------------------------------------
// NOTE: the gate pre-activations (forward) and gate gradients (backward) are large ([steps·batch,
// gates·hidden]) but live only inside one call, so they come from reused module-level buffers,
// like the GEMM's packing panels: fresh ones cost a memset and, more, garbage-collector pressure
// (external memory) that made step times swing. Every user writes them in full before reading.

const scratchBuffers: Record<DType, TensorData[]> = { float32: [], float64: [] };

/** A buffer of `size` values in slot `slot` (0-2), valid until the next call for that slot. */
function scratch(slot: number, dtype: DType, size: number): TensorData {
  const pool = scratchBuffers[dtype];
  let buffer = pool[slot];
  if (buffer === undefined || buffer.length < size) {
    buffer = allocate(dtype, Math.max(size, 2 * (buffer?.length ?? 0)));
    pool[slot] = buffer;
  }
  return buffer.subarray(0, size);
}

// ---- per-step loops ----------------------------------------------------------------------------
// NOTE: each step's loop lives in its own function, called once per step, so V8 optimises it as
// a function; left inline in the long per-layer functions it was on-stack-replaced and
// deoptimised over and over, and step times swung between 80 and 140 ms.

/** `into += from`, elementwise. */
function addInto(into: TensorData, from: TensorData): void {
  for (let k = 0; k < into.length; k++) into[k] = into[k]! + from[k]!;
}

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

// ---- LSTM -------------------------------------------------------------------------------------

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
 * import { lstmLayer } from "./rnn_cells.ts";
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
 * import { lstmCellStep } from "./rnn_cells.ts";
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

function asSequence(x: Tensor, op: string): Tensor {
  if (!(x instanceof Tensor) || x.ndim !== 2) {
    throw new RangeError(
      `${op}: input must have shape [batch, inputSize], got ${
        x instanceof Tensor ? formatShape(x.shape) : typeof x
      }`,
    );
  }
  // A view of the same storage with a leading step axis of 1; gradients flow through reshape.
  return reshape(x, [1, x.shape[0]!, x.shape[1]!]);
}

// ---- GRU --------------------------------------------------------------------------------------

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
 * import { gruLayer } from "./rnn_cells.ts";
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
 * import { gruCellStep } from "./rnn_cells.ts";
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

// ---- Elman RNN --------------------------------------------------------------------------------

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
 * import { rnnLayer } from "./rnn_cells.ts";
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
 * import { rnnCellStep } from "./rnn_cells.ts";
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
