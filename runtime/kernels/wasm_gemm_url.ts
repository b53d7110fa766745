/**
 * Where the built WebAssembly kernels are (`build/wasm/`), in a module that imports nothing, so
 * the kernel process can find the file it hands its sandboxed worker without loading the
 * kernels' loader and thread pool.
 *
 * @module
 */

/** The two builds: `exact` (mul then add, the same bits on every CPU) and `fma` (relaxed). */
export type GemmWasmVariant = "exact" | "fma";

/**
 * The URL of a variant's built module: `build/wasm/gemm.wasm` or `build/wasm/gemm_fma.wasm`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemmWasmUrl } from "./wasm_gemm_url.ts";
 * assert.ok(gemmWasmUrl("exact").pathname.endsWith("/build/wasm/gemm.wasm"));
 * ```
 */
export function gemmWasmUrl(variant: GemmWasmVariant): URL {
  const name = variant === "fma" ? "gemm_fma.wasm" : "gemm.wasm";
  return new URL(`../../build/wasm/${name}`, import.meta.url);
}
