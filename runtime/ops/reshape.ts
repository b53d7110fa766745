/**
 * Shape ops: reshape/view, transpose and permute. Storage is always contiguous, so transpose and
 * permute copy.
 *
 * @module
 */
import { recordOp } from "../autograd.ts";
import { allocate, Tensor } from "../tensor.ts";
import { contiguousStrides, formatShape, normalizeAxis, shapeSize } from "../shape.ts";

/** The same values in a new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const resolved = [...shape];
  const unknown = resolved.indexOf(-1);
  if (unknown !== resolved.lastIndexOf(-1)) {
    throw new RangeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
  }
  if (unknown >= 0) {
    const known = resolved.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new RangeError(
        `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${
          formatShape(shape)
        }`,
      );
    }
    resolved[unknown] = x.size / known;
  }
  if (resolved.some((d) => !Number.isInteger(d) || d < 0) || shapeSize(resolved) !== x.size) {
    throw new RangeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${
        formatShape(shape)
      }`,
    );
  }
  const out = new Tensor(x.data, resolved);
  return recordOp(out, "reshape", [x], (g) => [new Tensor(g.data, x.shape)]);
}

/** Reorders the dimensions of `x`: output dimension i is input dimension `dims[i]`. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const rank = x.ndim;
  const perm = dims.map((d) => normalizeAxis(d, rank, "permute"));
  if (perm.length !== rank || new Set(perm).size !== rank) {
    throw new RangeError(
      `permute: dims ${formatShape(dims)} are not a permutation of the ${rank} dimensions of ${
        formatShape(x.shape)
      }`,
    );
  }
  const outShape = perm.map((d) => x.shape[d]!);
  const inStrides = contiguousStrides(x.shape);
  const srcStrides = perm.map((d) => inStrides[d]!);
  const out = allocate(x.dtype, x.size);
  const src = x.data;
  if (rank === 2 && perm[0] === 1) {
    // Fast 2-D transpose.
    const rows = x.shape[0]!;
    const cols = x.shape[1]!;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[j * rows + i] = src[i * cols + j]!;
    }
  } else {
    const counter = new Array<number>(rank).fill(0);
    let offset = 0;
    for (let k = 0; k < out.length; k++) {
      out[k] = src[offset]!;
      for (let d = rank - 1; d >= 0; d--) {
        counter[d]!++;
        offset += srcStrides[d]!;
        if (counter[d]! < outShape[d]!) break;
        offset -= srcStrides[d]! * counter[d]!;
        counter[d] = 0;
      }
    }
  }
  const inverse = new Array<number>(rank);
  perm.forEach((d, i) => (inverse[d] = i));
  return recordOp(new Tensor(out, outShape), "permute", [x], (g) => [permute(g, inverse)]);
}

/** Swaps dimensions `dim0` and `dim1`. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const rank = x.ndim;
  if (rank < 2) return x;
  const a = normalizeAxis(dim0, rank, "transpose");
  const b = normalizeAxis(dim1, rank, "transpose");
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}
