/**
 * PyTorch-like text formatting of tensors: `tensor([[0.1000, 2.0000], ...], requiresGrad=true)`,
 * with dimensions longer than 6 elided around `...`.
 *
 * @module
 */
import type { Tensor } from "./tensor.ts";

const EDGE = 3;
const ELIDE_ABOVE = 6;

function formatNumber(v: number, integral: boolean, sci: boolean): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (integral) return `${v}.`;
  if (sci) return v.toExponential(4);
  return v.toFixed(4);
}

/** Formats a tensor for humans (used by `toString()`, inspect and notebook display). */
export function formatTensor(t: Tensor): string {
  const data = t.data;
  let integral = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) integral = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  const sci = !integral && (maxAbs >= 1e5 || (minAbs < 1e-4 && minAbs !== Infinity));
  const shape = t.shape;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const cells: string[] = [];
  for (let i = 0; i < data.length; i++) cells.push(formatNumber(data[i]!, integral, sci));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  const pad = (c: string) => c.padStart(width);

  const build = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return pad(cells[offset]!);
    const n = shape[dim]!;
    const idx: (number | null)[] = n > ELIDE_ABOVE
      ? [
        ...Array.from({ length: EDGE }, (_, i) => i),
        null,
        ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i),
      ]
      : Array.from({ length: n }, (_, i) => i);
    const parts = idx.map((i) =>
      i === null ? "..." : build(dim + 1, offset + i * strides[dim]!, indent + " ")
    );
    if (dim === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = ",\n" + "\n".repeat(shape.length - dim - 2) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? cells[0]! : build(0, 0, "       ");
  const extras: string[] = [];
  if (t.dtype !== "float32") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn !== null) extras.push(`gradFn=${t.gradFn.op}`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  if (shape.length > 0 && t.size > ELIDE_ABOVE * ELIDE_ABOVE) {
    extras.push(`shape=[${shape.join(", ")}]`);
  }
  return `tensor(${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}
