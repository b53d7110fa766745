/**
 * Comparisons (0/1 float tensors, not differentiable), selection (`where`, `maskedFill`) and the
 * ops built on comparisons: `maximum`, `minimum`, `clamp`.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, type DType, Tensor, type TensorLike } from "../core/tensor.ts";
import { broadcastIndex, broadcastShapes, formatShape, shapeSize } from "../core/shape.ts";
import { sumToShape } from "./reduce.ts";
import { asTensor } from "./elementwise.ts";

const enum Compare {
  Gt,
  Lt,
  Ge,
  Le,
  Eq,
  Ne,
}

function compare(a: Tensor, other: TensorLike, code: Compare, op: string): Tensor {
  checkTensor(a, op);
  const b = asTensor(other, a.dtype, op);
  const shape = broadcastShapes(a.shape, b.shape, op);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const x = a.data;
  const y = b.data;
  const out = allocate(a.dtype, shapeSize(shape));
  const n = out.length;
  switch (code) {
    case Compare.Gt:
      for (let i = 0; i < n; i++) out[i] = x[ia[i]!]! > y[ib[i]!]! ? 1 : 0;
      break;
    case Compare.Lt:
      for (let i = 0; i < n; i++) out[i] = x[ia[i]!]! < y[ib[i]!]! ? 1 : 0;
      break;
    case Compare.Ge:
      for (let i = 0; i < n; i++) out[i] = x[ia[i]!]! >= y[ib[i]!]! ? 1 : 0;
      break;
    case Compare.Le:
      for (let i = 0; i < n; i++) out[i] = x[ia[i]!]! <= y[ib[i]!]! ? 1 : 0;
      break;
    case Compare.Eq:
      for (let i = 0; i < n; i++) out[i] = x[ia[i]!]! === y[ib[i]!]! ? 1 : 0;
      break;
    case Compare.Ne:
      for (let i = 0; i < n; i++) out[i] = x[ia[i]!]! !== y[ib[i]!]! ? 1 : 0;
      break;
  }
  return new Tensor(out, shape);
}

function checkTensor(t: unknown, op: string, what = "input"): asserts t is Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(
      `${op}: expected ${what} to be a Tensor, got ${Array.isArray(t) ? "an array" : typeof t}`,
    );
  }
}

/**
 * `a > b` elementwise with broadcasting, as 1 (true) or 0 (false). Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gt, tensor } from "gradbook";
 * assert.deepEqual(gt(tensor([1, 2, 3]), 2).toArray(), [0, 0, 1]);
 * ```
 */
export function gt(a: Tensor, b: TensorLike): Tensor {
  return compare(a, b, Compare.Gt, "gt");
}
/**
 * `a < b` elementwise with broadcasting, as 1 or 0. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lt, tensor } from "gradbook";
 * assert.deepEqual(lt(tensor([1, 2, 3]), 2).toArray(), [1, 0, 0]);
 * ```
 */
export function lt(a: Tensor, b: TensorLike): Tensor {
  return compare(a, b, Compare.Lt, "lt");
}
/**
 * `a >= b` elementwise with broadcasting, as 1 or 0. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ge, tensor } from "gradbook";
 * assert.deepEqual(ge(tensor([1, 2, 3]), 2).toArray(), [0, 1, 1]);
 * ```
 */
export function ge(a: Tensor, b: TensorLike): Tensor {
  return compare(a, b, Compare.Ge, "ge");
}
/**
 * `a <= b` elementwise with broadcasting, as 1 or 0. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { le, tensor } from "gradbook";
 * assert.deepEqual(le(tensor([1, 2, 3]), 2).toArray(), [1, 1, 0]);
 * ```
 */
export function le(a: Tensor, b: TensorLike): Tensor {
  return compare(a, b, Compare.Le, "le");
}
/**
 * `a == b` elementwise with broadcasting, as 1 or 0. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eq, tensor } from "gradbook";
 * assert.deepEqual(eq(tensor([1, 2, 3]), tensor([1, 0, 3])).toArray(), [1, 0, 1]);
 * ```
 */
export function eq(a: Tensor, b: TensorLike): Tensor {
  return compare(a, b, Compare.Eq, "eq");
}
/**
 * `a != b` elementwise with broadcasting, as 1 or 0. Not differentiable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ne, tensor } from "gradbook";
 * assert.deepEqual(ne(tensor([1, 2, 3]), 2).toArray(), [1, 0, 1]);
 * ```
 */
export function ne(a: Tensor, b: TensorLike): Tensor {
  return compare(a, b, Compare.Ne, "ne");
}

function pickDType(...candidates: unknown[]): DType {
  for (const c of candidates) if (c instanceof Tensor) return c.dtype;
  return "float32";
}

/**
 * Chooses elementwise: `a` where `condition` is nonzero, else `b`, broadcasting all three.
 * Gradients flow to `a` and `b` (not to the condition).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor, where } from "gradbook";
 * const x = tensor([-1, 2, -3]);
 * assert.deepEqual(where(x.gt(0), x, 0).toArray(), [0, 2, 0]);
 * ```
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor(condition, "where", "condition");
  const dtype = pickDType(a, b, condition);
  const ta = asTensor(a, dtype, "where");
  const tb = asTensor(b, dtype, "where");
  const shape = broadcastShapes(
    broadcastShapes(condition.shape, ta.shape, "where"),
    tb.shape,
    "where",
  );
  const ic = broadcastIndex(condition.shape, shape);
  const ia = broadcastIndex(ta.shape, shape);
  const ib = broadcastIndex(tb.shape, shape);
  const c = condition.data;
  const x = ta.data;
  const y = tb.data;
  const out = allocate(dtype, shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = c[ic[i]!] !== 0 ? x[ia[i]!]! : y[ib[i]!]!;
  return recordOp(new Tensor(out, shape), "where", [ta, tb], (g) => {
    const gd = g.data;
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (ta.requiresGrad) {
      const d = allocate(dtype, out.length);
      for (let i = 0; i < d.length; i++) d[i] = c[ic[i]!] !== 0 ? gd[i]! : 0;
      ga = sumToShape(new Tensor(d, shape), ta.shape);
    }
    if (tb.requiresGrad) {
      const d = allocate(dtype, out.length);
      for (let i = 0; i < d.length; i++) d[i] = c[ic[i]!] !== 0 ? 0 : gd[i]!;
      gb = sumToShape(new Tensor(d, shape), tb.shape);
    }
    return [ga, gb];
  });
}

/**
 * Replaces the elements of `x` where `mask` is nonzero by `value`; `mask` broadcasts to the shape
 * of `x`. The gradient is zero at the filled positions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskedFill, tensor } from "gradbook";
 * assert.deepEqual(
 *   maskedFill(tensor([[1, 2], [3, 4]]), tensor([0, 1]), -Infinity).toArray(),
 *   [[1, -Infinity], [3, -Infinity]],
 * );
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkTensor(x, "maskedFill");
  checkTensor(mask, "maskedFill", "mask");
  if (typeof value !== "number") {
    throw new TypeError(`maskedFill: value must be a number, got ${typeof value}`);
  }
  const shape = broadcastShapes(mask.shape, x.shape, "maskedFill");
  if (shape.length !== x.ndim || shape.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(
      `maskedFill: mask shape ${formatShape(mask.shape)} cannot broadcast to tensor shape ${
        formatShape(x.shape)
      }`,
    );
  }
  const im = broadcastIndex(mask.shape, x.shape);
  const m = mask.data;
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = m[im[i]!] !== 0 ? value : src[i]!;
  return recordOp(new Tensor(out, x.shape), "maskedFill", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < d.length; i++) d[i] = m[im[i]!] !== 0 ? 0 : gd[i]!;
    return [new Tensor(d, x.shape)];
  });
}

function extremeOf(a: Tensor, other: TensorLike, isMax: boolean): Tensor {
  const op = isMax ? "maximum" : "minimum";
  checkTensor(a, op);
  const b = asTensor(other, a.dtype, op);
  const shape = broadcastShapes(a.shape, b.shape, op);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const x = a.data;
  const y = b.data;
  const out = allocate(a.dtype, shapeSize(shape));
  // NaN propagates (Math.max/min do that).
  if (isMax) { for (let i = 0; i < out.length; i++) out[i] = Math.max(x[ia[i]!]!, y[ib[i]!]!); }
  else for (let i = 0; i < out.length; i++) out[i] = Math.min(x[ia[i]!]!, y[ib[i]!]!);
  return recordOp(new Tensor(out, shape), op, [a, b], (g) => {
    // The larger (smaller) input gets the gradient; ties split it in half, like PyTorch.
    const gd = g.data;
    const da = allocate(a.dtype, out.length);
    const db = allocate(a.dtype, out.length);
    const sign = isMax ? 1 : -1;
    for (let i = 0; i < out.length; i++) {
      const diff = (x[ia[i]!]! - y[ib[i]!]!) * sign;
      if (diff > 0) da[i] = gd[i]!;
      else if (diff < 0) db[i] = gd[i]!;
      else {
        da[i] = gd[i]! / 2;
        db[i] = gd[i]! / 2;
      }
    }
    return [
      a.requiresGrad ? sumToShape(new Tensor(da, shape), a.shape) : null,
      b.requiresGrad ? sumToShape(new Tensor(db, shape), b.shape) : null,
    ];
  });
}

/**
 * Elementwise maximum of two tensors with broadcasting (ties split the gradient in half).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maximum, tensor } from "gradbook";
 * assert.deepEqual(maximum(tensor([1, 5]), tensor([3, 2])).toArray(), [3, 5]);
 * ```
 */
export function maximum(a: Tensor, b: TensorLike): Tensor {
  return extremeOf(a, b, true);
}

/**
 * Elementwise minimum of two tensors with broadcasting (ties split the gradient in half).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { minimum, tensor } from "gradbook";
 * assert.deepEqual(minimum(tensor([1, 5]), tensor([3, 2])).toArray(), [1, 2]);
 * ```
 */
export function minimum(a: Tensor, b: TensorLike): Tensor {
  return extremeOf(a, b, false);
}

/**
 * Clamps every element into `[min, max]` (either bound may be `undefined`). The gradient is 1
 * where `min <= x <= max` and 0 elsewhere, like PyTorch; if `min > max`, every element is `max`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clamp, tensor } from "gradbook";
 * assert.deepEqual(clamp(tensor([-2, 0.5, 3]), -1, 1).toArray(), [-1, 0.5, 1]);
 * assert.deepEqual(clamp(tensor([-2, 3]), 0).toArray(), [0, 3]);
 * ```
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  checkTensor(x, "clamp");
  if (min === undefined && max === undefined) {
    throw new TypeError("clamp: at least one of min and max must be a number");
  }
  for (const [name, v] of [["min", min], ["max", max]] as const) {
    if (v !== undefined && typeof v !== "number") {
      throw new TypeError(`clamp: ${name} must be a number, got ${typeof v}`);
    }
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) {
    const v = src[i]!;
    out[i] = v !== v ? v : Math.min(Math.max(v, lo), hi);
  }
  return recordOp(new Tensor(out, x.shape), "clamp", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < d.length; i++) {
      const v = src[i]!;
      d[i] = v >= lo && v <= hi ? gd[i]! : 0;
    }
    return [new Tensor(d, x.shape)];
  });
}
