/**
 * Activation layers: `ReLU`, `LeakyReLU`, `Tanh`, `Sigmoid`, `GELU`, `Softmax`, `LogSoftmax`,
 * and the shape layer `Flatten`. All keep the input's shape except `Flatten`.
 *
 * @module
 */
import { normalizeAxis } from "../core/shape.ts";
import type { Tensor } from "../tensor.ts";
import * as F from "./functional.ts";
import { Module } from "./module.ts";

/**
 * $\max(x, 0)$, elementwise. Input: any shape; output: the same shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.ReLU().forward(tensor([-1, 2])).toArray(), [0, 2]);
 * ```
 */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return F.relu(input);
  }
}

/**
 * $x$ for $x > 0$, else `negativeSlope`$\cdot x$ (default 0.01). Input: any shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.LeakyReLU(0.5).forward(tensor([-2, 2])).toArray(), [-1, 2]);
 * ```
 */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/**
 * $\tanh x$, elementwise. Input: any shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.Tanh().forward(tensor([0])).toArray(), [0]);
 * ```
 */
export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/**
 * $\sigma(x) = 1/(1+e^{-x})$, elementwise. Input: any shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.Sigmoid().forward(tensor([0])).toArray(), [0.5]);
 * ```
 */
export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/**
 * GELU, $x\Phi(x)$: exact by default, or `{ approximate: "tanh" }`. Input: any shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.GELU().forward(tensor([0])).toArray(), [0]);
 * const g = new nn.GELU({ approximate: "tanh" }).forward(tensor([1]));
 * assert.ok(Math.abs(g.toFlatArray()[0]! - 0.8412) < 1e-4);
 * ```
 */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(options: F.GeluOptions = {}) {
    super();
    this.approximate = options.approximate ?? "none";
  }
  forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return this.approximate === "none" ? "" : `approximate="${this.approximate}"`;
  }
}

/**
 * Softmax along `dim` (default -1, the last). Input: any shape; each slice along `dim` sums to 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * assert.deepEqual(new nn.Softmax(1).forward(tensor([[1, 1]])).toArray(), [[0.5, 0.5]]);
 * ```
 */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Log-softmax along `dim` (default -1). Input: any shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, tensor } from "gradbook";
 * const y = new nn.LogSoftmax().forward(tensor([[0, 0]]));
 * assert.deepEqual(y.toFlatArray().map((v) => +v.toFixed(6)), [-0.693147, -0.693147]); // -log 2
 * ```
 */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Flattens dimensions `startDim..endDim` (default 1..-1) into one.
 *
 * - Input: `[N, *rest]`. Output: `[N, prod(rest)]` with the defaults.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * assert.deepEqual(new nn.Flatten().forward(zeros([2, 3, 4])).shape, [2, 12]);
 * ```
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(input: Tensor): Tensor {
    if (input.ndim === 0) return input.reshape(1);
    const start = normalizeAxis(this.startDim, input.ndim, "Flatten");
    const end = normalizeAxis(this.endDim, input.ndim, "Flatten");
    if (start > end) {
      throw new RangeError(`Flatten: startDim ${this.startDim} comes after endDim ${this.endDim}`);
    }
    const shape = [
      ...input.shape.slice(0, start),
      input.shape.slice(start, end + 1).reduce((p, d) => p * d, 1),
      ...input.shape.slice(end + 1),
    ];
    return input.reshape(shape);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
