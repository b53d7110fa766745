/**
 * Neural-network layers and losses, following `torch.nn`: `Module`, `Linear`, `Sequential`,
 * activations, `Dropout`, `BatchNorm1d`, `Embedding`, loss modules, `init` and the functional
 * forms as `F`. Call a module with `model.forward(x)` (or its alias `model.call(x)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
 * const logits = model.forward(randn([8, 4]));
 * const loss = new nn.CrossEntropyLoss().forward(logits, [0, 1, 2, 0, 1, 2, 0, 1]);
 * assert.deepEqual(loss.shape, []);
 * loss.backward();
 * assert.ok(model.parameters().every((p) => p.grad !== null));
 * ```
 *
 * @module
 */
export {
  type AnyModule,
  type LoadResult,
  Module,
  Parameter,
  type SavedTensor,
  type StateDict,
} from "./module.ts";
export { Identity, Linear, type LinearOptions } from "./linear.ts";
export {
  Flatten,
  GELU,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from "./activation.ts";
export { ModuleList, Sequential, type TensorModule } from "./container.ts";
export { Dropout, type DropoutOptions } from "./dropout.ts";
export { BatchNorm1d, type BatchNormOptions } from "./batchnorm.ts";
export { Embedding, type EmbeddingOptions } from "./embedding.ts";
export { GRU, LSTM, RNN, type RNNCellOptions, type RNNOptions } from "./rnn.ts";
export { GRUCell, LSTMCell, RNNCell } from "./rnn_cell.ts";
export {
  BCEWithLogitsLoss,
  type ClassTargets,
  CrossEntropyLoss,
  MSELoss,
  NLLLoss,
} from "./loss.ts";
export * as init from "./init.ts";
export * as F from "./functional.ts";
export * as functional from "./functional.ts";
export { Conv2d, type Conv2dLayerOptions } from "./conv.ts";
export {
  AvgPool2d,
  type AvgPool2dLayerOptions,
  MaxPool2d,
  type MaxPool2dLayerOptions,
} from "./pooling.ts";
export { controlPointLattice, ThinPlateSpline } from "./thin_plate_spline.ts";
