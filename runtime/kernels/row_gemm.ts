/**
 * The product the recurrent row blocks (`lstm_rows.ts`, `gru_rows.ts`) call: `RowGemm` works on
 * one array (`heap`) at element indices, whether that array is the WebAssembly module's shared
 * memory ({@linkcode wasmRowGemm}) or the calling thread's own.
 *
 * @module
 */

/**
 * `C = op(A) · op(B)` on `heap`, C row-major and contiguous, each operand at an element index:
 * A is `[m, k]` (stored `[k, m]` when `transA`), B `[k, n]` (stored `[n, k]` when `transB`).
 */
export type RowGemm = (
  aAt: number,
  bAt: number,
  cAt: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
) => void;

/** The float arrays a block works on. */
export type RowHeap = Float32Array | Float64Array;

/** The module's `gemm` export, which takes byte addresses and strides. */
type GemmExport = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  aRow: number,
  aCol: number,
  bRow: number,
  bCol: number,
) => void;

/**
 * A {@linkcode RowGemm} (element indices, transpose flags) over the module's `gemm` export
 * (byte addresses, strides). Self-contained: workers get its text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmRowGemm } from "./row_gemm.ts";
 * const calls: number[][] = [];
 * wasmRowGemm((...args) => calls.push(args))(1, 2, 3, 4, 5, 6, false, true);
 * assert.deepEqual(calls, [[4, 8, 12, 4, 5, 6, 6, 1, 1, 6]]);
 * ```
 */
export function wasmRowGemm(gemm: GemmExport): RowGemm {
  return (aAt, bAt, cAt, m, n, k, transA, transB) =>
    gemm(
      aAt * 4,
      bAt * 4,
      cAt * 4,
      m,
      n,
      k,
      transA ? 1 : k,
      transA ? m : 1,
      transB ? 1 : n,
      transB ? k : 1,
    );
}
