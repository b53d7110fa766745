/**
 * Reverse-mode automatic differentiation on a dynamic graph. Every op that produces a tensor from
 * inputs that require gradients records a {@link GradNode}; `backward()` walks the graph in
 * reverse topological order and accumulates gradients into the leaves' `.grad`.
 *
 * @module
 */
import type { Tensor } from "./tensor.ts";
import { tick } from "./interrupt.ts";

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

/** Tensors reachable from `root` through grad nodes, in reverse topological order (root first). */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long RNN unrolls) would overflow the call stack recursively.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, next] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = inputs[next]!;
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/**
 * Backpropagates from `root` with the given output gradient (same shape as `root`).
 * Gradients are accumulated (added) into `.grad` of leaf tensors that require grad and of
 * tensors that called `retainGrad()`.
 */
export function runBackward(root: Tensor, gradRoot: Tensor): void {
  const order = reverseTopologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, gradRoot);
  withGradEnabled(false, () => {
    for (const t of order) {
      tick();
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      if (t.gradFn === null || t.retainsGrad) {
        t.grad = t.grad === null ? g.clone() : t.grad.add(g);
      }
      const node = t.gradFn;
      if (node === null) continue;
      const inputGrads = node.backward(g);
      for (let i = 0; i < node.inputs.length; i++) {
        const input = node.inputs[i]!;
        const ig = inputGrads[i];
        if (ig === null || ig === undefined || !input.requiresGrad) continue;
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? ig : previous.add(ig));
      }
    }
  });
}
