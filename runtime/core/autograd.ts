/**
 * Reverse-mode automatic differentiation on a dynamic graph: the recording half. Every op that
 * produces a tensor from inputs that require gradients records a {@link GradNode}; `backward()`
 * (`methods/backward.ts`, which adds gradients with the ops) walks the graph in reverse
 * topological order and accumulates gradients into the leaves' `.grad`.
 *
 * @module
 */
import type { Tensor } from "./tensor.ts";

/** How an op's output gets its inputs' gradients: one entry per input (`null` = no gradient). */
export type BackwardFn = (gradOutput: Tensor) => (Tensor | null)[];

/** A recorded op in the graph. */
export interface GradNode {
  /** The op's name, as shown in errors and `tensor.gradFn.op` (e.g. "matmul"). */
  readonly op: string;
  /** The tensors the op read, in the order `backward` returns their gradients. */
  readonly inputs: readonly Tensor[];
  /** Maps the output's gradient to one gradient per input. */
  readonly backward: BackwardFn;
}

let gradEnabled = true;

/** True unless inside {@link noGrad}. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording operations for autodiff (like `torch.no_grad()`), and returns its
 * result. Use it for evaluation and for manual parameter updates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noGrad, tensor } from "gradbook";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * assert.equal(y.requiresGrad, false);
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with gradient recording switched on or off, restoring the previous mode after. */
export function withGradEnabled<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Records `out` as produced by `op` from `inputs` when gradients are on and any input requires a
 * gradient. Returns `out` for chaining. Used by every differentiable op.
 */
export function recordOp(
  out: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: BackwardFn,
): Tensor {
  if (!gradEnabled) return out;
  let needed = false;
  for (const t of inputs) {
    if (t.requiresGrad) {
      needed = true;
      break;
    }
  }
  if (!needed) return out;
  out.requiresGrad = true;
  out.gradFn = { op, inputs, backward };
  return out;
}
