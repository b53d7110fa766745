/**
 * `backward()`: the engine that walks the recorded graph from a tensor back to its leaves and
 * accumulates gradients, adding them with the elementwise ops. Declared on `Tensor` by interface
 * augmentation and attached here, since it calls `ops/` (which `core/` may not import).
 *
 * @module
 */
import { withGradEnabled } from "../core/autograd.ts";
import { tick } from "../core/interrupt.ts";
import { formatShape } from "../core/shape.ts";
import { allocate, defineTensorMethods, Tensor } from "../core/tensor.ts";
import { add, clone } from "../ops/elementwise.ts";

declare module "../core/tensor.ts" {
  interface Tensor {
    /**
     * Computes gradients of this tensor with respect to every leaf that requires grad. A scalar
     * needs no argument; otherwise pass the gradient of some scalar with respect to this tensor.
     *
     * @example
     * ```ts
     * import assert from "node:assert/strict";
     * import { tensor } from "gradbook";
     * const x = tensor([1, 2], { requiresGrad: true });
     * x.mul(x).sum().backward();
     * assert.deepEqual(x.grad!.toArray(), [2, 4]);
     * ```
     */
    backward(gradient?: Tensor): void;
  }
}

defineTensorMethods({
  backward(gradient) {
    if (!this.requiresGrad) {
      throw new Error(
        "backward: this tensor does not require grad and has no grad_fn " +
          "(create the inputs with { requiresGrad: true })",
      );
    }
    let g: Tensor;
    if (gradient === undefined) {
      if (this.size !== 1) {
        throw new RangeError(
          `backward: grad can be implicitly created only for scalar outputs, ` +
            `but this tensor has shape ${
              formatShape(this.shape)
            }; pass a gradient or call .sum() first`,
        );
      }
      g = new Tensor(allocate(this.dtype, 1).fill(1), this.shape);
    } else {
      if (gradient.shape.join() !== this.shape.join()) {
        throw new RangeError(
          `backward: gradient shape ${formatShape(gradient.shape)} does not match ` +
            `tensor shape ${formatShape(this.shape)}`,
        );
      }
      g = gradient.detach();
    }
    runBackward(this, g);
  },
});

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
function runBackward(root: Tensor, gradRoot: Tensor): void {
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
        t.grad = t.grad === null ? clone(g) : add(t.grad, g);
      }
      const node = t.gradFn;
      if (node === null) continue;
      const inputGrads = node.backward(g);
      for (let i = 0; i < node.inputs.length; i++) {
        const input = node.inputs[i]!;
        const ig = inputGrads[i];
        if (ig === null || ig === undefined || !input.requiresGrad) continue;
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? ig : add(previous, ig));
      }
    }
  });
}
