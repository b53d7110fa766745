/**
 * The matrix-multiply kernel behind `matmul`, `nn.Linear` and convolutions:
 * `C[m×n] = op(A) · op(B)`, where op transposes when asked. Row-major, contiguous.
 *
 * Float32 products above a few hundred multiply-adds run on the WebAssembly SIMD kernel
 * (`wasm_gemm.ts`) when it is built and loadable; {@linkcode gemmTypeScript} is the fallback,
 * and the only path for float64. {@linkcode setGemmBackend} chooses explicitly.
 *
 * @module
 */
import type { TensorData } from "../core/tensor.ts";
import { gemmTypeScript } from "./gemm_typescript.ts";
import { gemmWasm, hasGemmWasm } from "./wasm_gemm.ts";

/** Dimensions and layout of one GEMM call. */
export interface GemmShape {
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Inner dimension. */
  k: number;
  /** A is stored as [k, m] and used transposed. */
  transA?: boolean;
  /** B is stored as [n, k] and used transposed. */
  transB?: boolean;
}

/**
 * Float32 products above this many multiply-adds go to the WebAssembly kernel when it is
 * available: measured here, it wins from about 500 (8×8×8: 0.15 µs against 0.47 µs) and loses
 * below about 100, where the copies and the call cost more than the arithmetic.
 */
export const WASM_MIN_WORK = 256;

/**
 * Which kernel float32 products use: `auto` (WebAssembly SIMD when available, else TypeScript),
 * `typescript`, or `wasm-fma` (the relaxed-SIMD fused multiply-add build, which may differ in the
 * last bits between CPUs and was not faster on the 2-core EPYC the bench runs on; falls back like
 * `auto` when it is not built).
 */
export type GemmBackend = "auto" | "typescript" | "wasm-fma";

let backend: GemmBackend = "auto";

/**
 * Chooses the kernel for float32 products and returns the previous choice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setGemmBackend } from "./gemm.ts";
 * const previous = setGemmBackend("typescript");
 * // ... time the pure TypeScript path ...
 * assert.equal(setGemmBackend(previous), "typescript");
 * ```
 */
export function setGemmBackend(next: GemmBackend): GemmBackend {
  const previous = backend;
  backend = next;
  return previous;
}

/**
 * Whether float32 products above {@linkcode WASM_MIN_WORK} currently run on the WebAssembly
 * kernel (it is available and {@linkcode setGemmBackend} has not chosen TypeScript). Ops that
 * have a hand-written TypeScript loop for a shape the TypeScript GEMM handles badly use it to
 * pick the faster route.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isGemmWasmActive, setGemmBackend } from "./gemm.ts";
 * const previous = setGemmBackend("typescript");
 * assert.equal(isGemmWasmActive(), false);
 * setGemmBackend(previous);
 * ```
 */
export function isGemmWasmActive(): boolean {
  return backend !== "typescript" && (hasGemmWasm("exact") || hasGemmWasm("fma"));
}

/**
 * Computes `C = op(A) · op(B)` into `c` (overwritten) at the given element offsets, on the
 * WebAssembly kernel for float32 above {@linkcode WASM_MIN_WORK} multiply-adds when it is
 * available, otherwise with {@linkcode gemmTypeScript}.
 *
 * @param a Shape [m, k] (or [k, m] with `transA`), starting at `aOffset`.
 * @param b Shape [k, n] (or [n, k] with `transB`), starting at `bOffset`.
 * @param c Shape [m, n], starting at `cOffset`; overwritten.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemm } from "./gemm.ts";
 * const c = new Float32Array(1);
 * gemm(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, c, 0, { m: 1, n: 1, k: 2 });
 * assert.deepEqual([...c], [11]);
 * ```
 */
export function gemm(
  a: TensorData,
  aOffset: number,
  b: TensorData,
  bOffset: number,
  c: TensorData,
  cOffset: number,
  shape: GemmShape,
): void {
  if (
    backend !== "typescript" && shape.m * shape.n * shape.k > WASM_MIN_WORK &&
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array
  ) {
    if (backend === "wasm-fma" && gemmWasm(a, aOffset, b, bOffset, c, cOffset, shape, "fma")) {
      return;
    }
    if (gemmWasm(a, aOffset, b, bOffset, c, cOffset, shape, "exact")) return;
  }
  gemmTypeScript(a, aOffset, b, bOffset, c, cOffset, shape);
}
