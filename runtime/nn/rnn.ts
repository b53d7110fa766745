/**
 * Recurrent layers, following `torch.nn`: the cells `RNNCell`, `LSTMCell`, `GRUCell` (one time
 * step) and the sequence layers `RNN`, `LSTM`, `GRU` (one or more stacked layers). Parameter
 * names, shapes and gate order match PyTorch (`weight_ih_l0` is `[gates·hiddenSize, inputSize]`;
 * LSTM gates $i, f, g, o$, GRU gates $r, z, n$), so a PyTorch state dict loads unchanged. Every
 * parameter starts from $U(-1/\sqrt{\text{hiddenSize}}, 1/\sqrt{\text{hiddenSize}})$.
 *
 * Each layer runs as one fused op over the whole sequence (see `ops/rnn_cells.ts`).
 *
 * @module
 */
import {
  gruLayer,
  lstmLayer,
  rnnLayer,
  type RnnNonlinearity,
  stackStates,
  takeRows,
} from "../ops/rnn_cells.ts";
import { formatShape } from "../core/shape.ts";
import { type DType, type Tensor, zeros } from "../tensor.ts";
import { dropout } from "./functional.ts";
import { uniform_ } from "./init.ts";
import { Module, Parameter } from "./module.ts";

export type { RnnNonlinearity } from "../ops/rnn_cells.ts";

/** Options of the cells. */
export interface RNNCellOptions {
  /** Learn the biases `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Parameter dtype (default "float32"). */
  dtype?: DType;
  /** `RNNCell` only: "tanh" (default) or "relu". */
  nonlinearity?: RnnNonlinearity;
}

/** Options of the sequence layers. */
export interface RNNOptions extends RNNCellOptions {
  /** Stacked layers, each reading the previous one's output (default 1). */
  numLayers?: number;
  /** Input and output are `[batch, steps, features]` instead of `[steps, batch, features]`. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
}

/** The four parameters of one layer (biases null without `bias`). */
export interface RecurrentWeights {
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;
}

type Kind = "RNN" | "LSTM" | "GRU";
const GATES: Record<Kind, number> = { RNN: 1, LSTM: 4, GRU: 3 };

function checkSize(owner: string, name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(
      `${owner}: ${name} must be an integer of at least ${minimum}, got ${value}`,
    );
  }
}

/** Creates the parameters of one layer with PyTorch's init, registered under `suffix` names. */
function createWeights(
  module: Module<never[], unknown>,
  kind: Kind,
  inputSize: number,
  hiddenSize: number,
  options: RNNCellOptions,
  suffix: string,
): RecurrentWeights {
  const dtype = options.dtype ?? "float32";
  const rows = GATES[kind] * hiddenSize;
  const bound = 1 / Math.sqrt(hiddenSize);
  const make = (name: string, shape: number[]) =>
    module.registerParameter(`${name}${suffix}`, uniform_(zeros(shape, { dtype }), -bound, bound));
  const weightIh = make("weight_ih", [rows, inputSize]);
  const weightHh = make("weight_hh", [rows, hiddenSize]);
  const hasBias = options.bias ?? true;
  const biasIh = hasBias ? make("bias_ih", [rows]) : null;
  const biasHh = hasBias ? make("bias_hh", [rows]) : null;
  return { weightIh, weightHh, biasIh, biasHh };
}

/** Shared by the three cells: sizes, parameters, batching of 1-D inputs. */
abstract class CellBase<State, Out> extends Module<[input: Tensor, hx?: State | null], Out> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  /** `[gates·hiddenSize, inputSize]`, PyTorch's name. */
  declare readonly weight_ih: Parameter;
  /** `[gates·hiddenSize, hiddenSize]`, PyTorch's name. */
  declare readonly weight_hh: Parameter;
  /** `[gates·hiddenSize]`, or null without `bias`. */
  declare readonly bias_ih: Parameter | null;
  /** `[gates·hiddenSize]`, or null without `bias`. */
  declare readonly bias_hh: Parameter | null;
  readonly #weights: RecurrentWeights;

  constructor(kind: Kind, inputSize: number, hiddenSize: number, options: RNNCellOptions) {
    super();
    const name = `${kind}Cell`;
    checkSize(name, "inputSize", inputSize, 0);
    checkSize(name, "hiddenSize", hiddenSize, 1);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = options.bias ?? true;
    const self = this as unknown as Module<never[], unknown>;
    this.#weights = createWeights(self, kind, inputSize, hiddenSize, options, "");
    if (!this.bias) Object.assign(this, { bias_ih: null, bias_hh: null });
  }

  /** The cell's parameters by role. */
  get weights(): RecurrentWeights {
    return this.#weights;
  }

  /** `[input as [batch, inputSize], batch, whether it was 1-D]`, or throws naming the shape. */
  protected batched(input: Tensor): [Tensor, number, boolean] {
    const name = this.constructor.name;
    if ((input.ndim !== 1 && input.ndim !== 2) || input.shape.at(-1) !== this.inputSize) {
      throw new RangeError(
        `${name}: input must have shape [batch, ${this.inputSize}] or [${this.inputSize}], got ${
          formatShape(input.shape)
        }`,
      );
    }
    if (input.ndim === 2) return [input, input.shape[0]!, false];
    return [input.reshape(1, this.inputSize), 1, true];
  }

  /** The state as [batch, hiddenSize] (zeros when absent), checking its shape. */
  protected state(hx: Tensor | null | undefined, batch: number, isUnbatched: boolean): Tensor {
    const H = this.hiddenSize;
    const dtype = this.#weights.weightIh.dtype;
    if (hx === null || hx === undefined) return zeros([batch, H], { dtype });
    const expected = isUnbatched ? [H] : [batch, H];
    if (hx.shape.join() !== expected.join()) {
      throw new RangeError(
        `${this.constructor.name}: the hidden state must have shape ${
          formatShape(expected)
        } for this input, got ${formatShape(hx.shape)}`,
      );
    }
    return isUnbatched ? hx.reshape(1, H) : hx;
  }

  /** Undoes the batching of a 1-D input on an output state. */
  protected unbatched(h: Tensor, isUnbatched: boolean): Tensor {
    return isUnbatched ? h.reshape(this.hiddenSize) : h;
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? "" : ", bias=false"}`;
  }
}

/**
 * An Elman RNN cell: $h' = \tanh(x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh})$ (or ReLU).
 *
 * - Input: `[batch, inputSize]` or `[inputSize]`; hx: the same with `hiddenSize` (zeros when
 *   omitted).
 * - Output: h' `[batch, hiddenSize]` (or `[hiddenSize]`).
 * - `weight_ih` `[hiddenSize, inputSize]`, `weight_hh` `[hiddenSize, hiddenSize]`, `bias_ih`,
 *   `bias_hh` `[hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const cell = new nn.RNNCell(3, 4);
 * let h = cell.forward(randn([2, 3]));
 * h = cell.forward(randn([2, 3]), h);
 * assert.deepEqual(h.shape, [2, 4]);
 * ```
 */
export class RNNCell extends CellBase<Tensor, Tensor> {
  readonly nonlinearity: RnnNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super("RNN", inputSize, hiddenSize, options);
    this.nonlinearity = checkNonlinearity("RNNCell", options.nonlinearity);
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batch, isUnbatched] = this.batched(input);
    const h = this.state(hx, batch, isUnbatched);
    const w = this.weights;
    const sequence = x.reshape(1, batch, this.inputSize);
    const [, hN] = rnnLayer(
      sequence,
      h,
      w.weightIh,
      w.weightHh,
      w.biasIh,
      w.biasHh,
      this.nonlinearity,
    );
    return this.unbatched(hN, isUnbatched);
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === "tanh" ? "" : ", nonlinearity=relu");
  }
}

/**
 * A long short-term memory cell (Hochreiter & Schmidhuber, 1997), gates $i, f, g, o$ from
 * $x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh}$, then $c' = f \odot c + i \odot g$ and
 * $h' = o \odot \tanh c'$.
 *
 * - Input: `[batch, inputSize]` or `[inputSize]`; hx: `[h, c]`, each `[batch, hiddenSize]` (zeros
 *   when omitted).
 * - Output: `[h', c']`.
 * - `weight_ih` `[4·hiddenSize, inputSize]`, `weight_hh` `[4·hiddenSize, hiddenSize]`, biases
 *   `[4·hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const cell = new nn.LSTMCell(3, 4);
 * let [h, c] = cell.forward(randn([2, 3]));
 * [h, c] = cell.forward(randn([2, 3]), [h, c]);
 * assert.deepEqual([h.shape, c.shape], [[2, 4], [2, 4]]);
 * ```
 */
export class LSTMCell extends CellBase<[Tensor, Tensor], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super("LSTM", inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, batch, isUnbatched] = this.batched(input);
    const h = this.state(hx?.[0], batch, isUnbatched);
    const c = this.state(hx?.[1], batch, isUnbatched);
    const w = this.weights;
    const sequence = x.reshape(1, batch, this.inputSize);
    const [, hN, cN] = lstmLayer(sequence, h, c, w.weightIh, w.weightHh, w.biasIh, w.biasHh);
    return [this.unbatched(hN, isUnbatched), this.unbatched(cN, isUnbatched)];
  }
}

/**
 * A gated recurrent unit cell (Cho et al., 2014): $r, z = \sigma(\cdot)$,
 * $n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}))$, $h' = (1 - z) \odot n + z \odot h$.
 *
 * - Input: `[batch, inputSize]` or `[inputSize]`; hx: `[batch, hiddenSize]` (zeros when omitted).
 * - Output: h' `[batch, hiddenSize]`.
 * - `weight_ih` `[3·hiddenSize, inputSize]`, `weight_hh` `[3·hiddenSize, hiddenSize]`, biases
 *   `[3·hiddenSize]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const cell = new nn.GRUCell(3, 4);
 * assert.deepEqual(cell.forward(randn([2, 3])).shape, [2, 4]);
 * ```
 */
export class GRUCell extends CellBase<Tensor, Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super("GRU", inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batch, isUnbatched] = this.batched(input);
    const h = this.state(hx, batch, isUnbatched);
    const w = this.weights;
    const sequence = x.reshape(1, batch, this.inputSize);
    const [, hN] = gruLayer(sequence, h, w.weightIh, w.weightHh, w.biasIh, w.biasHh);
    return this.unbatched(hN, isUnbatched);
  }
}

function checkNonlinearity(owner: string, value: string | undefined): RnnNonlinearity {
  const v = value ?? "tanh";
  if (v !== "tanh" && v !== "relu") {
    throw new TypeError(`${owner}: unknown nonlinearity "${v}" (use "tanh" or "relu")`);
  }
  return v;
}

// ---- sequence layers --------------------------------------------------------------------------

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
