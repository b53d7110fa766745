/**
 * Elementwise ops with broadcasting and their gradients. Each op's backward sits beside its
 * forward. Loops are written out per op (no per-element closures) so V8 keeps them tight.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, type DType, Tensor, type TensorData, type TensorLike } from "../core/tensor.ts";
import { broadcastIndex, broadcastShapes, shapesEqual } from "../core/shape.ts";
import { sumToShape } from "./reduce.ts";

/** Turns a number into a scalar tensor of the given dtype; checks dtypes of two tensors agree. */
export function asTensor(x: TensorLike, dtype: DType, op: string): Tensor {
  if (typeof x === "number") {
    const d = allocate(dtype, 1);
    d[0] = x;
    return new Tensor(d, []);
  }
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(x)}`);
  }
  if (x.dtype !== dtype) {
    throw new TypeError(
      `${op}: dtype mismatch: ${dtype} and ${x.dtype} (convert one with .to("${dtype}"))`,
    );
  }
  return x;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array (wrap it with tensor(...))";
  return typeof x;
}

const enum BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Pow,
}

function binaryForward(a: Tensor, b: Tensor, code: BinaryOp, name: string): Tensor {
  const x = a.data;
  const y = b.data;
  if (shapesEqual(a.shape, b.shape)) {
    const out = allocate(a.dtype, x.length);
    sameShapeKernel(code, x, y, out);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = allocate(a.dtype, shape.reduce((p, d) => p * d, 1));
  if (y.length === 1 && shapesEqual(shape, a.shape)) {
    scalarRightKernel(code, x, y[0]!, out);
  } else if (x.length === 1 && shapesEqual(shape, b.shape)) {
    scalarLeftKernel(code, x[0]!, y, out);
  } else {
    broadcastKernel(
      code,
      x,
      broadcastIndex(a.shape, shape),
      y,
      broadcastIndex(b.shape, shape),
      out,
    );
  }
  return new Tensor(out, shape);
}

function sameShapeKernel(code: BinaryOp, x: TensorData, y: TensorData, out: TensorData): void {
  const n = out.length;
  switch (code) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = x[i]! / y[i]!;
      break;
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) out[i] = Math.pow(x[i]!, y[i]!);
      break;
  }
}

function scalarRightKernel(code: BinaryOp, x: TensorData, s: number, out: TensorData): void {
  const n = out.length;
  switch (code) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = x[i]! + s;
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = x[i]! - s;
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = x[i]! * s;
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = x[i]! / s;
      break;
    case BinaryOp.Pow:
      if (s === 2) { for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!; }
      else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i]!, s);
      break;
  }
}

function scalarLeftKernel(code: BinaryOp, s: number, y: TensorData, out: TensorData): void {
  const n = out.length;
  switch (code) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = s + y[i]!;
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = s - y[i]!;
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = s * y[i]!;
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = s / y[i]!;
      break;
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) out[i] = Math.pow(s, y[i]!);
      break;
  }
}

function broadcastKernel(
  code: BinaryOp,
  x: TensorData,
  ix: Int32Array,
  y: TensorData,
  iy: Int32Array,
  out: TensorData,
): void {
  const n = out.length;
  switch (code) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = x[ix[i]!]! + y[iy[i]!]!;
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = x[ix[i]!]! - y[iy[i]!]!;
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = x[ix[i]!]! * y[iy[i]!]!;
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = x[ix[i]!]! / y[iy[i]!]!;
      break;
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) out[i] = Math.pow(x[ix[i]!]!, y[iy[i]!]!);
      break;
  }
}

/** Elementwise `a + b` with broadcasting. */
export function add(a: Tensor, other: TensorLike): Tensor {
  const b = asTensor(other, a.dtype, "add");
  const out = binaryForward(a, b, BinaryOp.Add, "add");
  return recordOp(out, "add", [a, b], (g) => [sumToShape(g, a.shape), sumToShape(g, b.shape)]);
}

/** Elementwise `a - b` with broadcasting. */
export function sub(a: Tensor, other: TensorLike): Tensor {
  const b = asTensor(other, a.dtype, "sub");
  const out = binaryForward(a, b, BinaryOp.Sub, "sub");
  return recordOp(out, "sub", [a, b], (g) => [
    sumToShape(g, a.shape),
    b.requiresGrad ? sumToShape(neg(g), b.shape) : null,
  ]);
}

/** Elementwise `a * b` with broadcasting. */
export function mul(a: Tensor, other: TensorLike): Tensor {
  const b = asTensor(other, a.dtype, "mul");
  const out = binaryForward(a, b, BinaryOp.Mul, "mul");
  return recordOp(out, "mul", [a, b], (g) => [
    a.requiresGrad ? sumToShape(mul(g, b), a.shape) : null,
    b.requiresGrad ? sumToShape(mul(g, a), b.shape) : null,
  ]);
}

/** Elementwise `a / b` with broadcasting. */
export function div(a: Tensor, other: TensorLike): Tensor {
  const b = asTensor(other, a.dtype, "div");
  const out = binaryForward(a, b, BinaryOp.Div, "div");
  return recordOp(out, "div", [a, b], (g) => [
    a.requiresGrad ? sumToShape(div(g, b), a.shape) : null,
    // d(a/b)/db = -a / b^2 = -out / b
    b.requiresGrad ? sumToShape(neg(mul(g, div(out, b))), b.shape) : null,
  ]);
}

/** Elementwise `a ** b` with broadcasting. */
export function pow(a: Tensor, exponent: TensorLike): Tensor {
  const b = asTensor(exponent, a.dtype, "pow");
  const out = binaryForward(a, b, BinaryOp.Pow, "pow");
  return recordOp(out, "pow", [a, b], (g) => [
    // d(a^b)/da = b * a^(b-1)
    a.requiresGrad ? sumToShape(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
    // d(a^b)/db = a^b * ln(a)  (0 where a^b is 0, as in PyTorch)
    b.requiresGrad ? sumToShape(mul(g, powExponentGrad(a, out)), b.shape) : null,
  ]);
}

function powExponentGrad(a: Tensor, out: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, out.shape, "pow");
  const ia = broadcastIndex(a.shape, shape);
  const r = allocate(out.dtype, out.size);
  for (let i = 0; i < r.length; i++) {
    const o = out.data[i]!;
    r[i] = o === 0 ? 0 : o * Math.log(a.data[ia[i]!]!);
  }
  return new Tensor(r, shape);
}

function unaryResult(x: Tensor): { src: TensorData; out: TensorData; result: Tensor } {
  const out = allocate(x.dtype, x.size);
  return { src: x.data, out, result: new Tensor(out, x.shape) };
}

/** Elementwise `-x`. */
export function neg(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = -src[i]!;
  return recordOp(result, "neg", [x], (g) => [neg(g)]);
}

/** Elementwise $e^x$. */
export function exp(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(src[i]!);
  return recordOp(result, "exp", [x], (g) => [mul(g, result)]);
}

/** Elementwise natural logarithm. */
export function log(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(src[i]!);
  return recordOp(result, "log", [x], (g) => [div(g, x)]);
}

/** Elementwise square root. */
export function sqrt(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(src[i]!);
  return recordOp(result, "sqrt", [x], (g) => [div(g, mul(result, 2))]);
}

/** Elementwise $|x|$; the gradient at 0 is 0 (PyTorch's convention). */
export function abs(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(src[i]!);
  return recordOp(result, "abs", [x], (g) => [mul(g, sign(x))]);
}

/** Elementwise sign (-1, 0 or 1); not differentiable (no gradient recorded). */
export function sign(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.sign(src[i]!);
  return result;
}

/** Elementwise $\tanh x$. */
export function tanh(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(src[i]!);
  return recordOp(result, "tanh", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = g.data[i]! * (1 - out[i]! * out[i]!);
    return [new Tensor(d, x.shape)];
  });
}

/** Elementwise $\sigma(x) = 1/(1+e^{-x})$, computed stably for large $|x|$. */
export function sigmoid(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) {
    const v = src[i]!;
    // NOTE: e^{-v} overflows for v < -709; use e^{v}/(1+e^{v}) on that side.
    if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
  }
  return recordOp(result, "sigmoid", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = g.data[i]! * out[i]! * (1 - out[i]!);
    return [new Tensor(d, x.shape)];
  });
}

/** Elementwise $\max(x, 0)$; the gradient at 0 is 0. */
export function relu(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = src[i]! > 0 ? src[i]! : 0;
  return recordOp(result, "relu", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = src[i]! > 0 ? g.data[i]! : 0;
    return [new Tensor(d, x.shape)];
  });
}

/** A differentiable copy. */
export function clone(x: Tensor): Tensor {
  const out = x.data.slice() as TensorData;
  return recordOp(new Tensor(out, x.shape), "clone", [x], (g) => [g]);
}

/** Converts to `dtype` (differentiable: the gradient is cast back). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = allocate(dtype, x.size);
  out.set(x.data);
  return recordOp(new Tensor(out, x.shape), "to", [x], (g) => [cast(g, x.dtype)]);
}

/**
 * Elementwise $x^2$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { square, tensor } from "gradbook";
 * assert.deepEqual(square(tensor([-3, 2])).toArray(), [9, 4]);
 * ```
 */
export function square(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = src[i]! * src[i]!;
  return recordOp(result, "square", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = 2 * src[i]! * g.data[i]!;
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Elementwise $1/x$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reciprocal, tensor } from "gradbook";
 * assert.deepEqual(reciprocal(tensor([2, -4])).toArray(), [0.5, -0.25]);
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = 1 / src[i]!;
  return recordOp(result, "reciprocal", [x], (g) => {
    // d(1/x)/dx = -1/x^2 = -out^2
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = -g.data[i]! * out[i]! * out[i]!;
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Elementwise $\log(1 + x)$, accurate for small $x$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { log1p, tensor } from "gradbook";
 * const [a, b] = log1p(tensor([0, 1e-10], { dtype: "float64" })).toFlatArray();
 * assert.equal(a, 0);
 * assert.ok(Math.abs(b! - 9.9999999995e-11) < 1e-24); // accurate where log(1 + x) rounds to 1e-10
 * ```
 */
export function log1p(x: Tensor): Tensor {
  const { src, out, result } = unaryResult(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.log1p(src[i]!);
  return recordOp(result, "log1p", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = g.data[i]! / (1 + src[i]!);
    return [new Tensor(d, x.shape)];
  });
}
