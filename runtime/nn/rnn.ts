/**
 * Recurrent sequence layers, following `torch.nn`: `RNN`, `LSTM`, `GRU` (one or more stacked
 * layers; the one-step cells `RNNCell`, `LSTMCell`, `GRUCell` are in `rnn_cell.ts`). Parameter
 * names, shapes and gate order match PyTorch (`weight_ih_l0` is `[gates·hiddenSize, inputSize]`;
 * LSTM gates $i, f, g, o$, GRU gates $r, z, n$), so a PyTorch state dict loads unchanged. Every
 * parameter starts from $U(-1/\sqrt{\text{hiddenSize}}, 1/\sqrt{\text{hiddenSize}})$.
 *
 * Each layer runs as one fused op over the whole sequence (see `ops/recurrent.ts`).
 *
 * @module
 */
import { gruLayer } from "../ops/gru_layer.ts";
import { lstmLayer } from "../ops/lstm_layer.ts";
import { stackStates, takeRows } from "../ops/recurrent.ts";
import { rnnLayer, type RnnNonlinearity } from "../ops/rnn_layer.ts";
import { formatShape } from "../core/shape.ts";
import type { Tensor } from "../tensor.ts";
import { dropout } from "./functional.ts";
import { Module } from "./module.ts";
import {
  checkNonlinearity,
  checkSize,
  createWeights,
  type Kind,
  type RecurrentWeights,
  type RNNOptions,
} from "./recurrent_weights.ts";

export type { RNNCellOptions, RnnNonlinearity, RNNOptions } from "./recurrent_weights.ts";

/** Shared by the three sequence layers: sizes, per-layer parameters, batching and stacking. */
abstract class RecurrentBase<State, Out> extends Module<[input: Tensor, hx?: State | null], Out> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly #layers: RecurrentWeights[] = [];

  constructor(kind: Kind, inputSize: number, hiddenSize: number, options: RNNOptions) {
    super();
    checkSize(kind, "inputSize", inputSize, 0);
    checkSize(kind, "hiddenSize", hiddenSize, 1);
    const numLayers = options.numLayers ?? 1;
    checkSize(kind, "numLayers", numLayers, 1);
    const p = options.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`${kind}: dropout must be between 0 and 1, got ${p}`);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = p;
    const self = this as unknown as Module<never[], unknown>;
    for (let l = 0; l < numLayers; l++) {
      const layerInput = l === 0 ? inputSize : hiddenSize;
      this.#layers.push(createWeights(self, kind, layerInput, hiddenSize, options, `_l${l}`));
    }
  }

  /** The parameters of layer `layer` (0-based) by role: `weight_ih_l{layer}` and friends. */
  layerWeights(layer: number): RecurrentWeights {
    const w = this.#layers[layer];
    if (w === undefined) {
      throw new RangeError(
        `${this.constructor.name}.layerWeights: layer ${layer} does not exist (numLayers is ${this.numLayers})`,
      );
    }
    return w;
  }

  /**
   * Runs the stacked layers. `states` holds each kind of initial state (`[numLayers, batch,
   * hidden]`, or absent); `layer` runs one layer on `[steps, batch, features]` with that layer's
   * states and returns its output and final states. Returns the output and the stacked finals.
   */
  protected run(
    input: Tensor,
    states: (Tensor | null | undefined)[],
    layer: (x: Tensor, layerStates: (Tensor | null)[], w: RecurrentWeights) => [Tensor, Tensor[]],
  ): [Tensor, Tensor[]] {
    const name = this.constructor.name;
    const { inputSize: I, hiddenSize: H, numLayers: L } = this;
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape.at(-1) !== I) {
      const layout = this.batchFirst ? "batch, steps" : "steps, batch";
      throw new RangeError(
        `${name}: input must have shape [${layout}, ${I}] (or [steps, ${I}] unbatched), got ${
          formatShape(input.shape)
        }`,
      );
    }
    const isUnbatched = input.ndim === 2;
    let x = isUnbatched
      ? input.reshape(input.shape[0]!, 1, I)
      : this.batchFirst
      ? input.transpose(0, 1)
      : input;
    const batch = x.shape[1]!;
    const initial = states.map((s) => {
      if (s === null || s === undefined) return null;
      const expected = isUnbatched ? [L, H] : [L, batch, H];
      if (s.shape.join() !== expected.join()) {
        throw new RangeError(
          `${name}: the initial state must have shape ${formatShape(expected)} ` +
            `([numLayers, batch, hiddenSize]) for this input, got ${formatShape(s.shape)}`,
        );
      }
      return isUnbatched ? s.reshape(L, 1, H) : s;
    });
    const finals: Tensor[][] = states.map(() => []);
    for (let l = 0; l < L; l++) {
      const layerStates = initial.map((s) => s === null ? null : takeRows(s, l, 1, [batch, H]));
      const [out, last] = layer(x, layerStates, this.#layers[l]!);
      last.forEach((t, k) => finals[k]!.push(t));
      const isLast = l === L - 1;
      x = !isLast && this.training && this.dropout > 0 ? dropout(out, this.dropout, true) : out;
    }
    const stacked = finals.map((list) => {
      const s = stackStates(list);
      return isUnbatched ? s.reshape(L, H) : s;
    });
    const output = isUnbatched
      ? x.reshape(x.shape[0]!, H)
      : this.batchFirst
      ? x.transpose(0, 1)
      : x;
    return [output, stacked];
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push("bias=false");
    if (this.batchFirst) parts.push("batchFirst=true");
    if (this.dropout > 0) parts.push(`dropout=${this.dropout}`);
    return parts.join(", ");
  }
}

/**
 * A stack of Elman RNN layers: $h_t = \tanh(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top +
 * b_{hh})$ (or ReLU), each layer reading the outputs $h_t$ of the one below.
 *
 * - Input: `[steps, batch, inputSize]` (`[batch, steps, inputSize]` with `batchFirst`, or
 *   `[steps, inputSize]` unbatched); h0: `[numLayers, batch, hiddenSize]` (zeros when omitted).
 * - Output: `[output, hN]`: the last layer's $h_t$ for every step, `[steps, batch, hiddenSize]`
 *   (batch first with `batchFirst`), and every layer's final state `[numLayers, batch,
 *   hiddenSize]` (never batch first, as in PyTorch).
 * - Parameters `weight_ih_l{k}` `[hiddenSize, inputSize]` (`hiddenSize` wide above layer 0),
 *   `weight_hh_l{k}` `[hiddenSize, hiddenSize]`, `bias_ih_l{k}`, `bias_hh_l{k}` `[hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const rnn = new nn.RNN(3, 8, { numLayers: 2, batchFirst: true });
 * const [output, hN] = rnn.forward(randn([4, 10, 3]));
 * assert.deepEqual([output.shape, hN.shape], [[4, 10, 8], [2, 4, 8]]);
 * ```
 */
export class RNN extends RecurrentBase<Tensor, [Tensor, Tensor]> {
  readonly nonlinearity: RnnNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super("RNN", inputSize, hiddenSize, options);
    this.nonlinearity = checkNonlinearity("RNN", options.nonlinearity);
  }

  forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [output, [hN]] = this.run(input, [hx], (x, [h0], w) => {
      const [out, h] = rnnLayer(
        x,
        h0 ?? null,
        w.weightIh,
        w.weightHh,
        w.biasIh,
        w.biasHh,
        this.nonlinearity,
      );
      return [out, [h]];
    });
    return [output, hN!];
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === "tanh" ? "" : ", nonlinearity=relu");
  }
}

/**
 * A stack of LSTM layers (Hochreiter & Schmidhuber, 1997; gates as in {@link LSTMCell}).
 *
 * - Input: `[steps, batch, inputSize]` (`[batch, steps, inputSize]` with `batchFirst`, or
 *   `[steps, inputSize]` unbatched); hx: `[h0, c0]`, each `[numLayers, batch, hiddenSize]` (zeros
 *   when omitted).
 * - Output: `[output, [hN, cN]]`: the last layer's $h_t$ for every step, `[steps, batch,
 *   hiddenSize]` (batch first with `batchFirst`), and every layer's final states, each
 *   `[numLayers, batch, hiddenSize]`.
 * - Parameters `weight_ih_l{k}` `[4·hiddenSize, inputSize]` (`hiddenSize` wide above layer 0),
 *   `weight_hh_l{k}` `[4·hiddenSize, hiddenSize]`, `bias_ih_l{k}`, `bias_hh_l{k}`
 *   `[4·hiddenSize]`, gates in the order $i, f, g, o$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const lstm = new nn.LSTM(3, 8, { numLayers: 2 });
 * const [output, [hN, cN]] = lstm.forward(randn([10, 4, 3]));
 * assert.deepEqual([output.shape, hN.shape, cN.shape], [[10, 4, 8], [2, 4, 8], [2, 4, 8]]);
 * ```
 */
export class LSTM extends RecurrentBase<[Tensor, Tensor], [Tensor, [Tensor, Tensor]]> {
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: Omit<RNNOptions, "nonlinearity"> = {},
  ) {
    super("LSTM", inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const [output, [hN, cN]] = this.run(input, [hx?.[0], hx?.[1]], (x, [h0, c0], w) => {
      const [out, h, c] = lstmLayer(
        x,
        h0 ?? null,
        c0 ?? null,
        w.weightIh,
        w.weightHh,
        w.biasIh,
        w.biasHh,
      );
      return [out, [h, c]];
    });
    return [output, [hN!, cN!]];
  }
}

/**
 * A stack of GRU layers (Cho et al., 2014; gates as in {@link GRUCell}).
 *
 * - Input: `[steps, batch, inputSize]` (`[batch, steps, inputSize]` with `batchFirst`, or
 *   `[steps, inputSize]` unbatched); h0: `[numLayers, batch, hiddenSize]` (zeros when omitted).
 * - Output: `[output, hN]` as for {@link RNN}.
 * - Parameters `weight_ih_l{k}` `[3·hiddenSize, inputSize]` (`hiddenSize` wide above layer 0),
 *   `weight_hh_l{k}` `[3·hiddenSize, hiddenSize]`, `bias_ih_l{k}`, `bias_hh_l{k}`
 *   `[3·hiddenSize]`, gates in the order $r, z, n$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const gru = new nn.GRU(3, 8);
 * const [output, hN] = gru.forward(randn([10, 4, 3]));
 * assert.deepEqual([output.shape, hN.shape], [[10, 4, 8], [1, 4, 8]]);
 * ```
 */
export class GRU extends RecurrentBase<Tensor, [Tensor, Tensor]> {
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: Omit<RNNOptions, "nonlinearity"> = {},
  ) {
    super("GRU", inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [output, [hN]] = this.run(input, [hx], (x, [h0], w) => {
      const [out, h] = gruLayer(x, h0 ?? null, w.weightIh, w.weightHh, w.biasIh, w.biasHh);
      return [out, [h]];
    });
    return [output, hN!];
  }
}
