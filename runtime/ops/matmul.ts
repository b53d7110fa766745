/**
 * Matrix products: 1-D, 2-D and batched with broadcasting of batch dimensions, following
 * `torch.matmul`.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm } from "../kernels/gemm.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import { broadcastIndex, broadcastShapes, formatShape, shapeSize } from "../core/shape.ts";
import { sumToShape } from "./reduce.ts";
import { reshape } from "./reshape.ts";

function checkOperand(t: unknown, op: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(
      `${op}: expected a Tensor, got ${Array.isArray(t) ? "an array" : typeof t}`,
    );
  }
}

/**
 * Matrix product of `a` and `b`.
 * - 2-D: `[n, k] @ [k, m] -> [n, m]`;
 * - batched: leading dimensions broadcast, `[..., n, k] @ [..., k, m] -> [..., n, m]`;
 * - a 1-D operand is treated as a row (left) or column (right) vector and that dimension dropped.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkOperand(b, "matmul");
  if (a.dtype !== b.dtype) {
    throw new TypeError(`matmul: dtype mismatch: ${a.dtype} and ${b.dtype}`);
  }
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both operands need at least 1 dimension, got ${formatShape(a.shape)} and ${
        formatShape(b.shape)
      }`,
    );
  }
  if (a.ndim === 1 || b.ndim === 1) {
    const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
    const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
    checkInner(a, b, a2, b2);
    const r = matmul(a2, b2);
    const shape = [...r.shape];
    if (b.ndim === 1) shape.splice(shape.length - 1, 1);
    if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
    return reshape(r, shape);
  }
  checkInner(a, b, a, b);
  const n = a.shape[a.ndim - 2]!;
  const k = a.shape[a.ndim - 1]!;
  const m = b.shape[b.ndim - 1]!;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, "matmul");
  const batchCount = shapeSize(batch);
  const out = allocate(a.dtype, batchCount * n * m);
  const ia = broadcastIndex(aBatch, batch);
  const ib = broadcastIndex(bBatch, batch);
  for (let t = 0; t < batchCount; t++) {
    gemm(a.data, ia[t]! * n * k, b.data, ib[t]! * k * m, out, t * n * m, { m: n, n: m, k });
  }
  const result = new Tensor(out, [...batch, n, m]);
  return recordOp(result, "matmul", [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      // dA = dC · Bᵀ
      const d = allocate(a.dtype, batchCount * n * k);
      for (let t = 0; t < batchCount; t++) {
        gemm(g.data, t * n * m, b.data, ib[t]! * k * m, d, t * n * k, {
          m: n,
          n: k,
          k: m,
          transB: true,
        });
      }
      ga = sumToShape(new Tensor(d, [...batch, n, k]), a.shape);
    }
    if (b.requiresGrad) {
      // dB = Aᵀ · dC
      const d = allocate(b.dtype, batchCount * k * m);
      for (let t = 0; t < batchCount; t++) {
        gemm(a.data, ia[t]! * n * k, g.data, t * n * m, d, t * k * m, {
          m: k,
          n: m,
          k: n,
          transA: true,
        });
      }
      gb = sumToShape(new Tensor(d, [...batch, k, m]), b.shape);
    }
    return [ga, gb];
  });
}

function checkInner(a: Tensor, b: Tensor, a2: Tensor, b2: Tensor): void {
  const ka = a2.shape[a2.ndim - 1];
  const kb = b2.shape[b2.ndim - 2];
  if (ka !== kb) {
    throw new RangeError(
      `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)} ` +
        `(inner sizes ${ka} and ${kb} differ)`,
    );
  }
}
