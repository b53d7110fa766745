/**
 * The `Tensor` with all its methods, and the functions that create tensors. The class and its
 * storage live in `core/tensor.ts`; the methods that call ops (`x.add(y)`, `x.matmul(y)`,
 * `x.sum()`, ...) are attached by `methods/`, which this module loads, so every module that
 * imports a tensor from here can call them. Storage is always contiguous and row-major, in a
 * `Float32Array` ("float32", the default) or a `Float64Array` ("float64", used by gradcheck).
 *
 * @module
 */
import "./methods/backward.ts";
import "./methods/elementwise.ts";
import "./methods/compare.ts";
import "./methods/reduce.ts";
import "./methods/shape.ts";
import {
  allocate,
  type NestedArray,
  Tensor,
  type TensorData,
  type TensorOptions,
} from "./core/tensor.ts";
import { type Shape, shapeSize } from "./core/shape.ts";
import { formatTensor } from "./core/format.ts";
import { globalGenerator } from "./random.ts";
import { TENSOR_MIME } from "./vocabulary.ts";

export { allocate, Tensor } from "./core/tensor.ts";
export type { DType, NestedArray, TensorData, TensorLike, TensorOptions } from "./core/tensor.ts";

// NOTE: the notebook display needs TENSOR_MIME from vocabulary.ts, a module above core/, so it
// is attached here; non-enumerable, as a class member would be.
Object.defineProperty(Tensor.prototype, Symbol.for("Jupyter.display"), {
  configurable: true,
  writable: true,
  value: function jupyterDisplay(this: Tensor): Record<string, unknown> {
    return {
      "text/plain": formatTensor(this),
      [TENSOR_MIME]: {
        shape: [...this.shape],
        dtype: this.dtype,
        text: formatTensor(this),
      },
    };
  },
});

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

function fillFlat(data: NestedArray, shape: number[], out: TensorData): void {
  let k = 0;
  const walk = (node: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof node !== "number") {
        throw new TypeError(`tensor: expected a number at depth ${dim}, got ${typeof node}`);
      }
      out[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new RangeError(
        `tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${
          Array.isArray(node) ? node.length : typeof node
        }`,
      );
    }
    for (const child of node) walk(child, dim + 1);
  };
  walk(data, 0);
}

/**
 * Creates a tensor from a number, nested arrays or a typed array (copied).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(x.shape, [2, 3]);
 * const y = tensor(new Float64Array([1, 2]), { dtype: "float64" });
 * ```
 */
export function tensor(
  data: NestedArray | ArrayLike<number>,
  options: TensorOptions & { shape?: Shape } = {},
): Tensor {
  const dtype = options.dtype ?? "float32";
  if (options.dtype !== undefined && dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`tensor: unknown dtype "${dtype}" (use "float32" or "float64")`);
  }
  let shape: number[];
  let values: TensorData;
  if (typeof data === "number") {
    shape = [];
    values = allocate(dtype, 1);
    values[0] = data;
  } else if (!Array.isArray(data)) {
    const flat = data as ArrayLike<number>;
    shape = options.shape ? [...options.shape] : [flat.length];
    values = allocate(dtype, flat.length);
    for (let i = 0; i < flat.length; i++) values[i] = flat[i]!;
  } else {
    shape = inferShape(data as NestedArray);
    values = allocate(dtype, shapeSize(shape));
    fillFlat(data as NestedArray, shape, values);
    if (options.shape) shape = [...options.shape];
  }
  return new Tensor(values, shape, options.requiresGrad ?? false);
}

/**
 * A tensor of the given shape filled with `value`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { full } from "gradbook";
 * assert.deepEqual(full([2, 2], 7).toArray(), [[7, 7], [7, 7]]);
 * ```
 */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  const data = allocate(options.dtype ?? "float32", shapeSize(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeros } from "gradbook";
 * assert.deepEqual(zeros([2, 3]).shape, [2, 3]);
 * ```
 */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ones } from "gradbook";
 * assert.deepEqual(ones([3]).toArray(), [1, 1, 1]);
 * ```
 */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * Zeros with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zerosLike, ones } from "gradbook";
 * assert.deepEqual(zerosLike(ones([2])).toArray(), [0, 0]);
 * ```
 */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

/**
 * Ones with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onesLike, zeros } from "gradbook";
 * assert.deepEqual(onesLike(zeros([2])).toArray(), [1, 1]);
 * ```
 */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`; `arange(n)` is 0..n-1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arange } from "gradbook";
 * assert.deepEqual(arange(4).toArray(), [0, 1, 2, 3]);
 * assert.deepEqual(arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
 * ```
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new RangeError("arange: step must not be zero");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const data = allocate(options.dtype ?? "float32", n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linspace } from "gradbook";
 * assert.deepEqual(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: TensorOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  }
  const data = allocate(options.dtype ?? "float32", steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = start + i * delta;
  if (steps > 1) data[steps - 1] = end;
  return new Tensor(data, [steps], options.requiresGrad ?? false);
}

/**
 * The identity matrix of size n x n (or n x m).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eye } from "gradbook";
 * assert.deepEqual(eye(2).toArray(), [[1, 0], [0, 1]]);
 * ```
 */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/**
 * Uniform samples in [0, 1) from the seeded global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rand, seed } from "gradbook";
 * seed(0);
 * assert.deepEqual(rand([2, 2]).shape, [2, 2]);
 * ```
 */
export function rand(shape: Shape, options: TensorOptions = {}): Tensor {
  const t = zeros(shape, options);
  for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.random();
  return t;
}

/**
 * Standard normal samples from the seeded global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn, seed } from "gradbook";
 * seed(0);
 * assert.deepEqual(randn([3]).shape, [3]);
 * ```
 */
export function randn(shape: Shape, options: TensorOptions = {}): Tensor {
  const t = zeros(shape, options);
  for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.normal();
  return t;
}

/**
 * Uniform integers in [low, high) (stored as floats) from the seeded global generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randint } from "gradbook";
 * assert.deepEqual(randint(0, 10, [5]).shape, [5]);
 * ```
 */
export function randint(
  low: number,
  high: number,
  shape: Shape,
  options: TensorOptions = {},
): Tensor {
  const t = zeros(shape, options);
  for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.randint(low, high);
  return t;
}
