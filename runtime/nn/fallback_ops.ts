/**
 * Differentiable ops that `nn` needs and that `Tensor` does not offer yet (leaky ReLU, GELU,
 * softmax along an axis, row lookup for embeddings, the classification losses). Each keeps its
 * backward beside its forward, like `runtime/ops/`. When the core grows an op with the same
 * semantics, `functional.ts` switches to it and the copy here goes.
 *
 * @module
 */
import { recordOp } from "../autograd.ts";
import { formatShape, normalizeAxis } from "../shape.ts";
import { allocate, Tensor } from "../tensor.ts";

/** $x$ where $x > 0$, else $\alpha x$. */
export function leakyRelu(x: Tensor, negativeSlope: number): Tensor {
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = src[i]! > 0 ? src[i]! : negativeSlope * src[i]!;
  return recordOp(new Tensor(out, x.shape), "leakyRelu", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let i = 0; i < d.length; i++) d[i] = src[i]! > 0 ? g.data[i]! : negativeSlope * g.data[i]!;
    return [new Tensor(d, x.shape)];
  });
}

/**
 * The error function, from its everywhere-convergent series
 * $\mathrm{erf}(x) = \frac{2}{\sqrt\pi} e^{-x^2} \sum_n \frac{2^n x^{2n+1}}{1\cdot 3 \cdots (2n+1)}$
 * (all terms positive, so no cancellation); exact to about 1e-16 in float64.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax;
  let total = ax;
  const x2 = ax * ax;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    total += term;
    if (term < total * 1e-17) break;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * total;
  return x < 0 ? -r : r;
}

/** GELU with the exact erf form: $x \Phi(x) = \frac{x}{2}(1 + \mathrm{erf}(x/\sqrt2))$. */
export function gelu(x: Tensor): Tensor {
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * src[i]! * (1 + erf(src[i]! / Math.SQRT2));
  return recordOp(new Tensor(out, x.shape), "gelu", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const c = 1 / Math.sqrt(2 * Math.PI);
    for (let i = 0; i < d.length; i++) {
      const v = src[i]!;
      const cdf = 0.5 * (1 + erf(v / Math.SQRT2));
      d[i] = g.data[i]! * (cdf + v * c * Math.exp(-0.5 * v * v));
    }
    return [new Tensor(d, x.shape)];
  });
}

/** Sizes around `axis`: rows before it, its length, and the stride after it. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

/** Softmax (or log-softmax) along `dim`, stable: the max is subtracted before `exp`. */
export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  const axis = normalizeAxis(dim, x.ndim, log ? "logSoftmax" : "softmax");
  const [outer, n, inner] = x.ndim === 0 ? [1, 1, 1] : around(x.shape, axis);
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      // NOTE: subtract the max before exp, or exp overflows for logits above ~88 (float32)
      let max = -Infinity;
      for (let k = 0; k < n; k++) max = Math.max(max, src[base + k * inner]!);
      let total = 0;
      for (let k = 0; k < n; k++) total += Math.exp(src[base + k * inner]! - max);
      const logTotal = Math.log(total);
      for (let k = 0; k < n; k++) {
        const j = base + k * inner;
        out[j] = log ? src[j]! - max - logTotal : Math.exp(src[j]! - max) / total;
      }
    }
  }
  const result = new Tensor(out, x.shape);
  return recordOp(result, log ? "logSoftmax" : "softmax", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let s = 0;
        if (log) {
          // d/dx_j = g_j - softmax_j * sum_k g_k
          for (let k = 0; k < n; k++) s += g.data[base + k * inner]!;
          for (let k = 0; k < n; k++) {
            const j = base + k * inner;
            d[j] = g.data[j]! - Math.exp(out[j]!) * s;
          }
        } else {
          // d/dx_j = y_j (g_j - sum_k g_k y_k)
          for (let k = 0; k < n; k++) s += g.data[base + k * inner]! * out[base + k * inner]!;
          for (let k = 0; k < n; k++) {
            const j = base + k * inner;
            d[j] = out[j]! * (g.data[j]! - s);
          }
        }
      }
    }
    return [new Tensor(d, x.shape)];
  });
}

/** Integer indices from a tensor or nested arrays, checked against `[0, size)`. */
export function toIndices(
  indices: Tensor | number[] | number[][],
  size: number,
  op: string,
): { values: Int32Array; shape: number[] } {
  const t = indices instanceof Tensor ? indices : new Tensor(
    Float64Array.from((indices as (number | number[])[]).flat()),
    Array.isArray(indices[0])
      ? [indices.length, (indices[0] as number[]).length]
      : [indices.length],
  );
  const values = new Int32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(
        `${op}: index ${v} at position ${i} is out of range for size ${size} (indices have shape ${
          formatShape(t.shape)
        })`,
      );
    }
    values[i] = v;
  }
  return { values, shape: [...t.shape] };
}

/**
 * Rows of `weight` ([numEmbeddings, dim]) picked by `indices`; the output has shape
 * `[...indices.shape, dim]`. The backward scatters (adds) gradients into the picked rows; rows at
 * `paddingIdx` get no gradient.
 */
export function embedding(
  indices: Tensor | number[] | number[][],
  weight: Tensor,
  paddingIdx: number | null = null,
): Tensor {
  if (weight.ndim !== 2) {
    throw new RangeError(`embedding: weight must be 2-D, got ${formatShape(weight.shape)}`);
  }
  const [rows, dim] = weight.shape as [number, number];
  const { values, shape } = toIndices(indices, rows, "embedding");
  const out = allocate(weight.dtype, values.length * dim);
  for (let i = 0; i < values.length; i++) {
    out.set(weight.data.subarray(values[i]! * dim, values[i]! * dim + dim), i * dim);
  }
  return recordOp(new Tensor(out, [...shape, dim]), "embedding", [weight], (g) => {
    const d = allocate(weight.dtype, weight.size);
    for (let i = 0; i < values.length; i++) {
      const row = values[i]!;
      if (row === paddingIdx) continue;
      for (let k = 0; k < dim; k++) d[row * dim + k]! += g.data[i * dim + k]!;
    }
    return [new Tensor(d, weight.shape)];
  });
}

/**
 * Picks `logProbs[n, target[n]]` for each row: the core of NLL and cross-entropy. Returns the
 * picked values ([N], differentiable) for the loss to reduce.
 */
export function pickTargets(
  logProbs: Tensor,
  target: Tensor | number[],
  op: string,
): Tensor {
  if (logProbs.ndim !== 2) {
    throw new RangeError(`${op}: input must be [N, C], got ${formatShape(logProbs.shape)}`);
  }
  const [n, c] = logProbs.shape as [number, number];
  const { values, shape } = toIndices(target, c, op);
  if (shape.length !== 1 || shape[0] !== n) {
    throw new RangeError(
      `${op}: target must have shape [${n}] for input ${formatShape(logProbs.shape)}, got ${
        formatShape(shape)
      }`,
    );
  }
  const out = allocate(logProbs.dtype, n);
  for (let i = 0; i < n; i++) out[i] = logProbs.data[i * c + values[i]!]!;
  return recordOp(new Tensor(out, [n]), op, [logProbs], (g) => {
    const d = allocate(logProbs.dtype, logProbs.size);
    for (let i = 0; i < n; i++) d[i * c + values[i]!] = g.data[i]!;
    return [new Tensor(d, logProbs.shape)];
  });
}

/**
 * Elementwise binary cross-entropy from logits, stably:
 * $\max(x, 0) - x y + \log(1 + e^{-|x|})$, with gradient $\sigma(x) - y$ for the logits
 * (and $-x$ for the target).
 */
export function bceWithLogits(logits: Tensor, target: Tensor): Tensor {
  if (logits.shape.join() !== target.shape.join()) {
    throw new RangeError(
      `binaryCrossEntropyWithLogits: target shape ${
        formatShape(target.shape)
      } must match input shape ${formatShape(logits.shape)}`,
    );
  }
  const x = logits.data;
  const y = target.data;
  const out = allocate(logits.dtype, logits.size);
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    out[i] = Math.max(v, 0) - v * y[i]! + Math.log1p(Math.exp(-Math.abs(v)));
  }
  return recordOp(
    new Tensor(out, logits.shape),
    "binaryCrossEntropyWithLogits",
    [logits, target],
    (g) => {
      const dx = allocate(logits.dtype, logits.size);
      const dy = allocate(logits.dtype, logits.size);
      for (let i = 0; i < dx.length; i++) {
        const v = x[i]!;
        const s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
        dx[i] = g.data[i]! * (s - y[i]!);
        dy[i] = -g.data[i]! * v;
      }
      return [new Tensor(dx, logits.shape), new Tensor(dy, logits.shape)];
    },
  );
}
