/**
 * The affine map of `nn.Linear`, fused: $y = x W^\top + b$ in one GEMM that reads W transposed in
 * place (no transposed copy), with the bias added in the same pass, and a backward pass of two
 * GEMMs and a column sum.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm } from "../kernels/gemm.ts";
import { allocate, Tensor } from "../core/tensor.ts";
import { formatShape } from "../core/shape.ts";

/**
 * Applies $y = x W^\top + b$.
 *
 * - Input: `[*, inFeatures]`
 * - Weight: `[outFeatures, inFeatures]`; bias: `[outFeatures]` or `null`
 * - Output: `[*, outFeatures]`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linear, tensor } from "gradbook";
 * const y = linear(tensor([[1, 2]]), tensor([[1, 0], [0, 1], [1, 1]]), tensor([0, 0, 10]));
 * assert.deepEqual(y.toArray(), [[1, 2, 13]]);
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (weight.ndim !== 2) {
    throw new RangeError(`linear: weight must be 2-D [out, in], got ${formatShape(weight.shape)}`);
  }
  const [outFeatures, inFeatures] = weight.shape as [number, number];
  if (input.ndim < 1 || input.shape[input.ndim - 1] !== inFeatures) {
    throw new RangeError(
      `linear: input ${formatShape(input.shape)} does not end in inFeatures = ${inFeatures} ` +
        `(weight is ${formatShape(weight.shape)})`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new RangeError(
      `linear: bias ${formatShape(bias.shape)} does not match outFeatures = ${outFeatures}`,
    );
  }
  if (input.dtype !== weight.dtype || (bias !== null && bias.dtype !== weight.dtype)) {
    throw new TypeError(
      `linear: dtype mismatch between input ${input.dtype} and weight ${weight.dtype}`,
    );
  }
  const rows = input.size / inFeatures;
  const out = allocate(input.dtype, rows * outFeatures);
  gemm(input.data, 0, weight.data, 0, out, 0, {
    m: rows,
    n: outFeatures,
    k: inFeatures,
    transB: true,
  });
  if (bias !== null) {
    const b = bias.data;
    for (let r = 0; r < rows; r++) {
      const base = r * outFeatures;
      for (let j = 0; j < outFeatures; j++) out[base + j]! += b[j]!;
    }
  }
  const outShape = [...input.shape.slice(0, -1), outFeatures];
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  return recordOp(new Tensor(out, outShape), "linear", inputs, (g) => {
    const grads: (Tensor | null)[] = [null, null, null];
    if (input.requiresGrad) {
      // dX = dY · W
      const dx = allocate(input.dtype, input.size);
      gemm(g.data, 0, weight.data, 0, dx, 0, { m: rows, n: inFeatures, k: outFeatures });
      grads[0] = new Tensor(dx, input.shape);
    }
    if (weight.requiresGrad) {
      // dW = dYᵀ · X
      const dw = allocate(weight.dtype, weight.size);
      gemm(g.data, 0, input.data, 0, dw, 0, {
        m: outFeatures,
        n: inFeatures,
        k: rows,
        transA: true,
      });
      grads[1] = new Tensor(dw, weight.shape);
    }
    if (bias !== null && bias.requiresGrad) {
      const db = allocate(bias.dtype, outFeatures);
      const gd = g.data;
      for (let r = 0; r < rows; r++) {
        const base = r * outFeatures;
        for (let j = 0; j < outFeatures; j++) db[j]! += gd[base + j]!;
      }
      grads[2] = new Tensor(db, bias.shape);
    }
    return bias === null ? grads.slice(0, 2) : grads;
  });
}
