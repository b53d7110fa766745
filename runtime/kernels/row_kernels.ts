/**
 * What the recurrent row blocks (`lstm_rows.ts`, `gru_rows.ts`) compute with: `RowKernels`, a
 * product on one array (`heap`) at element indices, and where that array is the WebAssembly
 * module's shared memory ({@linkcode wasmRowKernels}), the module's float32 gate loops too.
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

/** `N` numbers: a row job's arguments, destructured by name. */
export type RowArgs<N extends number, T extends number[] = []> = T["length"] extends N ? T
  : RowArgs<N, [...T, number]>;

/** The float arrays a block works on. */
export type RowHeap = Float32Array | Float64Array;

/** One batch row's gate loop of the module (`wasm_recurrent_cells_source.ts`), element indices. */
export type RowCell = (...addresses: number[]) => void;

/** What a block of rows computes with: the product, and the module's gate loops where it can. */
export interface RowKernels {
  gemm: RowGemm;
  /** `lstmCellForward` of the module (float32, in its memory), absent elsewhere. */
  lstmCellForward?: RowCell;
  /** `lstmCellBackward` of the module, likewise. */
  lstmCellBackward?: RowCell;
  /** `gruCellForward` of the module, likewise. */
  gruCellForward?: RowCell;
  /** `gruCellBackward` of the module, likewise. */
  gruCellBackward?: RowCell;
}

/**
 * The module's `gemm` export: C (m×n, row-major, at byte `c`) = op(A)·op(B), where element
 * (i, p) of op(A) is the f32 at `a + 4*(i*aRow + p*aCol)` and (p, j) of op(B) at
 * `b + 4*(p*bRow + j*bCol)`.
 */
export type ModuleGemm = (
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

/** The module's exports that {@linkcode wasmRowKernels} wraps: byte addresses, strides. */
interface ModuleKernels {
  gemm: ModuleGemm;
  lstmCellForward(...args: number[]): void;
  lstmCellBackward(...args: number[]): void;
  gruCellForward(...args: number[]): void;
  gruCellBackward(...args: number[]): void;
}

/**
 * {@linkcode RowKernels} (element indices, transpose flags) over the module's exports (byte
 * addresses, strides). Self-contained: workers get its text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmRowKernels } from "./row_kernels.ts";
 * const calls: number[][] = [];
 * const record = (...args: number[]) => calls.push(args);
 * const kernels = wasmRowKernels({
 *   gemm: record,
 *   lstmCellForward: record,
 *   lstmCellBackward: record,
 *   gruCellForward: record,
 *   gruCellBackward: record,
 * });
 * kernels.gemm(1, 2, 3, 4, 5, 6, false, true);
 * kernels.lstmCellForward!(1, 2, 3, 4, 5, 6, 7, 8);
 * assert.deepEqual(calls, [[4, 8, 12, 4, 5, 6, 6, 1, 1, 6], [4, 8, 12, 16, 20, 24, 28, 8]]);
 * ```
 */
export function wasmRowKernels(exports: ModuleKernels): RowKernels {
  /** A gate loop's element addresses as bytes; its last argument (the size) as it is. */
  const cell = (run: (...args: number[]) => void): RowCell => (...args) =>
    run(...args.map((value, i) => i < args.length - 1 ? value * 4 : value));
  return {
    gemm: (aAt, bAt, cAt, m, n, k, transA, transB) =>
      exports.gemm(
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
      ),
    lstmCellForward: cell(exports.lstmCellForward),
    lstmCellBackward: cell(exports.lstmCellBackward),
    gruCellForward: cell(exports.gruCellForward),
    gruCellBackward: cell(exports.gruCellBackward),
  };
}
