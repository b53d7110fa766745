/**
 * Joining tensors: `cat` (along an existing axis) and `stack` (along a new one).
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import { formatShape, normalizeAxis } from "../core/shape.ts";
import { axisLayout } from "./reduce.ts";
import { unsqueeze } from "./reshape.ts";

function checkList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new RangeError(`${op}: expected a non-empty array of tensors`);
  }
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${op}: element ${i} is ${typeof t}, not a Tensor`);
    }
    if (t.dtype !== first!.dtype) {
      throw new TypeError(
        `${op}: dtype mismatch: tensor 0 is ${first!.dtype} but tensor ${i} is ${t.dtype}`,
      );
    }
  });
}

/**
 * Concatenates tensors along `axis` (default 0); their shapes must match except along `axis`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cat, tensor } from "gradbook";
 * assert.deepEqual(cat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArray(), [[1, 2], [3, 4], [5, 6]]);
 * assert.deepEqual(cat([tensor([[1], [2]]), tensor([[3], [4]])], 1).toArray(), [[1, 3], [2, 4]]);
 * ```
 */
export function cat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList(tensors, "cat");
  const first = tensors[0]!;
  if (first.ndim === 0) {
    throw new RangeError("cat: cannot concatenate scalars (shape []); use stack");
  }
  const a = normalizeAxis(axis, first.ndim, "cat");
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new RangeError(
        `cat: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has shape ${
          formatShape(first.shape)
        }; sizes must match except along axis ${a}`,
      );
    }
  });
  const { outer, inner } = axisLayout(first.shape, a);
  let total = 0;
  for (const t of tensors) total += t.shape[a]!;
  const out = allocate(first.dtype, outer * total * inner);
  const rowLength = total * inner;
  let offset = 0; // along the axis, times inner
  for (const t of tensors) {
    const chunk = t.shape[a]! * inner;
    const src = t.data;
    for (let o = 0; o < outer; o++) {
      out.set(src.subarray(o * chunk, (o + 1) * chunk), o * rowLength + offset);
    }
    offset += chunk;
  }
  const shape = [...first.shape];
  shape[a] = total;
  return recordOp(new Tensor(out, shape), "cat", tensors, (g) => {
    const gd = g.data;
    let start = 0;
    return tensors.map((t) => {
      const chunk = t.shape[a]! * inner;
      const from = start;
      start += chunk;
      if (!t.requiresGrad) return null;
      const d = allocate(t.dtype, t.size);
      for (let o = 0; o < outer; o++) {
        d.set(gd.subarray(o * rowLength + from, o * rowLength + from + chunk), o * chunk);
      }
      return new Tensor(d, t.shape);
    });
  });
}

/**
 * Stacks same-shaped tensors along a new axis `axis` (default 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stack, tensor } from "gradbook";
 * assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).toArray(), [[1, 2], [3, 4]]);
 * assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(), [[1, 3], [2, 4]]);
 * ```
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList(tensors, "stack");
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.shape.join() !== first.shape.join()) {
      throw new RangeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has shape ${
          formatShape(first.shape)
        }; all shapes must be equal`,
      );
    }
  });
  const a = normalizeAxis(axis, first.ndim + 1, "stack");
  return cat(tensors.map((t) => unsqueeze(t, a)), a);
}
