/**
 * Recurrent cells, following `torch.nn`: `RNNCell`, `LSTMCell` and `GRUCell` each run one time
 * step. Parameter names, shapes and gate order match PyTorch (see `rnn.ts` for the sequence
 * layers), so a PyTorch state dict loads unchanged.
 *
 * @module
 */
import { gruLayer } from "../ops/gru_layer.ts";
import { lstmLayer } from "../ops/lstm_layer.ts";
import { rnnLayer, type RnnNonlinearity } from "../ops/rnn_layer.ts";
import { formatShape } from "../core/shape.ts";
import { type Tensor, zeros } from "../tensor.ts";
import { Module, Parameter } from "./module.ts";
import {
  checkNonlinearity,
  checkSize,
  createWeights,
  type Kind,
  type RecurrentWeights,
  type RNNCellOptions,
} from "./recurrent_weights.ts";

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
