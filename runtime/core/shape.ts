/**
 * Shape arithmetic shared by the ops: sizes, strides, broadcasting, axis normalisation.
 *
 * @module
 */

/** A tensor shape, outermost dimension first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Formats a shape the way error messages show it: `[3, 4]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** True when two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The broadcast shape of `a` and `b` (NumPy/PyTorch rules), or a RangeError naming the op.
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: cannot broadcast ${formatShape(a)} with ${formatShape(b)} ` +
          `(sizes ${da} and ${db} differ at dimension ${i - n})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each element of `outShape` (row-major), the flat index into a tensor of `shape` broadcast
 * to `outShape`.
 */
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array {
  const n = shapeSize(outShape);
  const rank = outShape.length;
  const offset = rank - shape.length;
  // Strides of the source aligned to the output's dimensions; 0 where broadcast.
  const srcStrides = new Array<number>(rank).fill(0);
  const cs = contiguousStrides(shape);
  for (let i = 0; i < shape.length; i++) srcStrides[offset + i] = shape[i] === 1 ? 0 : cs[i]!;
  const index = new Int32Array(n);
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    index[k] = src;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      src += srcStrides[d]!;
      if (counter[d]! < outShape[d]!) break;
      src -= srcStrides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return index;
}

/** Normalises a possibly negative axis for a tensor of rank `rank`. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/** Normalises an axis argument (undefined = all axes) into sorted unique axes. */
export function normalizeAxes(
  axes: number | readonly number[] | undefined,
  rank: number,
  op: string,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(a, rank, op)))];
  return out.sort((x, y) => x - y);
}
