/**
 * Loss functions with PyTorch's semantics and reductions: cross-entropy from logits, negative
 * log-likelihood, mean squared error and binary cross-entropy with logits.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor, type TensorData } from "../core/tensor.ts";
import { formatShape, shapesEqual } from "../core/shape.ts";
import { type Indices, readIndices } from "./indexing.ts";

/** How per-element losses are combined: averaged (default), summed, or returned as they are. */
export type Reduction = "mean" | "sum" | "none";

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** "mean" (default): average over non-ignored samples; "sum"; or "none": shape [N]. */
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution: weight $\varepsilon$ in [0, 1] (default 0). */
  labelSmoothing?: number;
  /** Samples whose target equals this contribute nothing (default -100, like PyTorch). */
  ignoreIndex?: number;
}

/** Options of {@link nllLoss}. */
export interface NllLossOptions {
  /** "mean" (default) over non-ignored samples, "sum", or "none" for one loss per sample. */
  reduction?: Reduction;
  /** Samples whose target equals this contribute nothing (default -100). */
  ignoreIndex?: number;
}

/** Options of {@link mseLoss} and {@link binaryCrossEntropyWithLogits}. */
export interface LossOptions {
  /** "mean" (default), "sum", or "none" for the elementwise losses. */
  reduction?: Reduction;
}

function checkReduction(reduction: string, op: string): void {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    throw new TypeError(
      `${op}: reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`,
    );
  }
}

/** Validates [N, C] scores and N integer targets; ignored targets come back as -1. */
function classTargets(
  input: Tensor,
  targets: Indices,
  ignoreIndex: number,
  op: string,
  what: string,
): { n: number; c: number; target: Int32Array } {
  if (!(input instanceof Tensor)) {
    throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${typeof input}`);
  }
  if (input.ndim !== 2) {
    throw new RangeError(
      `${op}: expected ${what} of shape [N, C], got ${formatShape(input.shape)}`,
    );
  }
  const n = input.shape[0]!;
  const c = input.shape[1]!;
  if (!(targets instanceof Tensor) && !Array.isArray(targets)) {
    throw new TypeError(
      `${op}: expected targets as a Tensor or number[] of class indices, got ${typeof targets}`,
    );
  }
  const shape = targets instanceof Tensor ? targets.shape : [targets.length];
  if (shape.length !== 1 || shape[0] !== n) {
    throw new RangeError(
      `${op}: targets of shape ${formatShape(shape)} do not match ${what} of shape ${
        formatShape(input.shape)
      } (expected [${n}] class indices)`,
    );
  }
  const values = targets instanceof Tensor ? targets.data : targets;
  const kept: number[] = [];
  const ignored = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (values[i] === ignoreIndex) ignored[i] = 1;
    else kept.push(values[i]!);
  }
  const read = readIndices(kept, c, op, "target");
  const target = new Int32Array(n);
  for (let i = 0, k = 0; i < n; i++) target[i] = ignored[i] ? -1 : read[k++]!;
  return { n, c, target };
}

/** Applies the reduction to per-sample losses; `count` is the divisor of "mean". */
function reduce(losses: TensorData, shape: number[], reduction: Reduction, count: number) {
  if (reduction === "none") return new Tensor(losses, shape);
  let s = 0;
  for (let i = 0; i < losses.length; i++) s += losses[i]!;
  const out = losses instanceof Float64Array ? new Float64Array(1) : new Float32Array(1);
  out[0] = reduction === "sum" ? s : s / count;
  return new Tensor(out, []);
}

/** The upstream gradient of sample i: per sample for "none", shared otherwise. */
function sampleScales(g: Tensor, n: number, reduction: Reduction, count: number): Float64Array {
  const scales = new Float64Array(n);
  if (reduction === "none") scales.set(g.data);
  else scales.fill(reduction === "sum" ? g.data[0]! : g.data[0]! / count);
  return scales;
}

/**
 * Cross-entropy between `logits` [N, C] and integer class `targets` [N], computed stably through
 * log-softmax: $\ell_i = -(1-\varepsilon)\log p_{i,t_i} - \frac{\varepsilon}{C}\sum_j \log p_{ij}$
 * with label smoothing $\varepsilon$. Like `F.cross_entropy`, "mean" divides by the number of
 * non-ignored samples. The gradient is $p - (1-\varepsilon)\,\mathrm{onehot}(t) - \varepsilon/C$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropy, tensor } from "gradbook";
 * const logits = tensor([[2, 0, 0], [0, 0, 5]], { requiresGrad: true });
 * const loss = crossEntropy(logits, [0, 2]);
 * loss.backward();
 * assert.ok(Math.abs(loss.item() - 0.12647) < 1e-5); // mean of log(1 + 2e^-2) and log(1 + 2e^-5)
 * assert.deepEqual(logits.grad!.shape, [2, 3]);
 * ```
 */
export function crossEntropy(
  logits: Tensor,
  targets: Indices,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = "crossEntropy";
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction, op);
  const smoothing = options.labelSmoothing ?? 0;
  if (typeof smoothing !== "number" || !(smoothing >= 0 && smoothing <= 1)) {
    throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  }
  const { n, c, target } = classTargets(logits, targets, options.ignoreIndex ?? -100, op, "logits");
  const x = logits.data;
  const lse = new Float64Array(n);
  const losses = allocate(logits.dtype, n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const base = i * c;
    let m = -Infinity;
    for (let j = 0; j < c; j++) if (x[base + j]! > m) m = x[base + j]!;
    if (m === -Infinity) m = 0;
    let s = 0;
    let total = 0;
    for (let j = 0; j < c; j++) {
      s += Math.exp(x[base + j]! - m);
      total += x[base + j]!;
    }
    const l = m + Math.log(s);
    lse[i] = l;
    const t = target[i]!;
    if (t < 0) continue;
    count++;
    // sum_j log p_ij = sum_j x_ij - C * lse
    const nll = l - x[base + t]!;
    losses[i] = smoothing === 0 ? nll : (1 - smoothing) * nll - (smoothing / c) * (total - c * l);
  }
  const out = reduce(losses, [n], reduction, count);
  return recordOp(out, op, [logits], (g) => {
    const scales = sampleScales(g, n, reduction, count);
    const d = allocate(logits.dtype, logits.size);
    const uniform = smoothing / c;
    for (let i = 0; i < n; i++) {
      const t = target[i]!;
      if (t < 0) continue;
      const base = i * c;
      const s = scales[i]!;
      const l = lse[i]!;
      for (let j = 0; j < c; j++) d[base + j] = s * (Math.exp(x[base + j]! - l) - uniform);
      d[base + t]! -= s * (1 - smoothing);
    }
    return [new Tensor(d, logits.shape)];
  });
}

/**
 * Negative log-likelihood of integer `targets` [N] under log-probabilities `logProbs` [N, C]:
 * $\ell_i = -\mathrm{logProbs}_{i,t_i}$. Pair with `logSoftmax`; "mean" divides by the number of
 * non-ignored samples.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nllLoss, tensor } from "gradbook";
 * const loss = nllLoss(tensor([[-0.5, -1.0], [-2.0, -0.1]]), [0, 1]).item();
 * assert.ok(Math.abs(loss - 0.3) < 1e-6); // mean of 0.5 and 0.1
 * ```
 */
export function nllLoss(logProbs: Tensor, targets: Indices, options: NllLossOptions = {}): Tensor {
  const op = "nllLoss";
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction, op);
  const { n, c, target } = classTargets(
    logProbs,
    targets,
    options.ignoreIndex ?? -100,
    op,
    "logProbs",
  );
  const x = logProbs.data;
  const losses = allocate(logProbs.dtype, n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const t = target[i]!;
    if (t < 0) continue;
    count++;
    losses[i] = -x[i * c + t]!;
  }
  const out = reduce(losses, [n], reduction, count);
  return recordOp(out, op, [logProbs], (g) => {
    const scales = sampleScales(g, n, reduction, count);
    const d = allocate(logProbs.dtype, logProbs.size);
    for (let i = 0; i < n; i++) {
      const t = target[i]!;
      if (t >= 0) d[i * c + t] = -scales[i]!;
    }
    return [new Tensor(d, logProbs.shape)];
  });
}

function checkPair(input: Tensor, target: Tensor, op: string): void {
  for (const [name, t] of [["input", input], ["target", target]] as const) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(
        `${op}: expected ${name} to be a Tensor, got ${Array.isArray(t) ? "an array" : typeof t}`,
      );
    }
  }
  if (input.dtype !== target.dtype) {
    throw new TypeError(
      `${op}: dtype mismatch: input is ${input.dtype}, target is ${target.dtype}`,
    );
  }
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RangeError(
      `${op}: input shape ${formatShape(input.shape)} and target shape ${
        formatShape(target.shape)
      } differ (reshape one; silent broadcasting here is a classic bug)`,
    );
  }
}

/** Elementwise-loss gradient for input and target from per-element derivatives. */
function elementwiseGrads(
  g: Tensor,
  input: Tensor,
  target: Tensor,
  reduction: Reduction,
  dInput: TensorData,
  dTarget: TensorData,
): (Tensor | null)[] {
  const n = input.size;
  const gd = g.data;
  const shared = reduction === "mean" ? gd[0]! / n : gd[0]!;
  const perElement = reduction === "none";
  for (let i = 0; i < n; i++) {
    const s = perElement ? gd[i]! : shared;
    dInput[i]! *= s;
    dTarget[i]! *= s;
  }
  return [
    input.requiresGrad ? new Tensor(dInput, input.shape) : null,
    target.requiresGrad ? new Tensor(dTarget, target.shape) : null,
  ];
}

/**
 * Mean squared error $(x_i - y_i)^2$, reduced; `input` and `target` must have the same shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mseLoss, tensor } from "gradbook";
 * assert.ok(Math.abs(mseLoss(tensor([1, 2, 3]), tensor([1, 0, 3])).item() - 4 / 3) < 1e-6);
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const op = "mseLoss";
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction, op);
  checkPair(input, target, op);
  const x = input.data;
  const y = target.data;
  const losses = allocate(input.dtype, input.size);
  for (let i = 0; i < losses.length; i++) {
    const diff = x[i]! - y[i]!;
    losses[i] = diff * diff;
  }
  const out = reduce(losses, [...input.shape], reduction, input.size);
  return recordOp(out, op, [input, target], (g) => {
    const dx = allocate(input.dtype, input.size);
    const dy = allocate(input.dtype, input.size);
    for (let i = 0; i < dx.length; i++) {
      const diff = 2 * (x[i]! - y[i]!);
      dx[i] = diff;
      dy[i] = -diff;
    }
    return elementwiseGrads(g, input, target, reduction, dx, dy);
  });
}

/**
 * Binary cross-entropy on logits $x$ with targets $y \in [0, 1]$, in the stable form
 * $\max(x, 0) - xy + \log(1 + e^{-|x|})$ (never overflows); gradient $\sigma(x) - y$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryCrossEntropyWithLogits, tensor } from "gradbook";
 * const loss = binaryCrossEntropyWithLogits(tensor([0, 100]), tensor([1, 1])).item();
 * assert.ok(Math.abs(loss - Math.LN2 / 2) < 1e-6); // mean of log 2 and ~0, no overflow
 * ```
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: Tensor,
  options: LossOptions = {},
): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction, op);
  checkPair(logits, targets, op);
  const x = logits.data;
  const y = targets.data;
  const losses = allocate(logits.dtype, logits.size);
  for (let i = 0; i < losses.length; i++) {
    const v = x[i]!;
    losses[i] = Math.max(v, 0) - v * y[i]! + Math.log1p(Math.exp(-Math.abs(v)));
  }
  const out = reduce(losses, [...logits.shape], reduction, logits.size);
  return recordOp(out, op, [logits, targets], (g) => {
    const dx = allocate(logits.dtype, logits.size);
    const dy = allocate(logits.dtype, logits.size);
    for (let i = 0; i < dx.length; i++) {
      const v = x[i]!;
      const sigmoid = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      dx[i] = sigmoid - y[i]!;
      dy[i] = -v;
    }
    return elementwiseGrads(g, logits, targets, reduction, dx, dy);
  });
}
