/**
 * What the recurrent modules (`rnn_cell.ts`, `rnn.ts`) share: their options, the parameters of
 * one layer created with PyTorch's names, shapes and init, and the checks of their arguments.
 *
 * @module
 */
import { type RnnNonlinearity } from "../ops/rnn_layer.ts";
import { type DType, zeros } from "../tensor.ts";
import { uniform_ } from "./init.ts";
import { Module, Parameter } from "./module.ts";

export type { RnnNonlinearity } from "../ops/rnn_layer.ts";

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

/** Which recurrence a layer runs. */
export type Kind = "RNN" | "LSTM" | "GRU";
/** Gates per kind: rows of the weights are `gates·hiddenSize`. */
export const GATES: Record<Kind, number> = { RNN: 1, LSTM: 4, GRU: 3 };

export function checkSize(owner: string, name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(
      `${owner}: ${name} must be an integer of at least ${minimum}, got ${value}`,
    );
  }
}

/** Creates the parameters of one layer with PyTorch's init, registered under `suffix` names. */
export function createWeights(
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

export function checkNonlinearity(owner: string, value: string | undefined): RnnNonlinearity {
  const v = value ?? "tanh";
  if (v !== "tanh" && v !== "relu") {
    throw new TypeError(`${owner}: unknown nonlinearity "${v}" (use "tanh" or "relu")`);
  }
  return v;
}
