/**
 * `deno task build:wasm [--force]`: assembles the WebAssembly kernels from their TypeScript
 * source (`runtime/kernels/wasm_gemm_source.ts`, with binaryen) into `build/wasm/` — the exact
 * build `gemm.wasm` and the relaxed-FMA build `gemm_fma.wasm`. The tasks that run the runtime
 * (`serve`, `test`, `check`, `bench`) run this first; when the outputs are newer than their
 * sources it returns at once without loading binaryen. If the build fails (binaryen not
 * installed, say) it warns and exits 0, so the server still starts on the TypeScript kernels;
 * `--strict` makes a failure exit 1. It also builds the kernel's TypeScript module and import map
 * (`build_kernel_typescript.ts`).
 *
 * @module
 */
import { gemmWasmUrl, type GemmWasmVariant } from "../runtime/kernels/wasm_gemm_url.ts";
import { buildKernelTypeScript } from "./build_kernel_typescript.ts";
import { modifiedMs, writeAtomically } from "./build_files.ts";

const KERNELS = new URL("../runtime/kernels/", import.meta.url);

/**
 * The files the built modules may depend on (a newer one triggers a rebuild): this script and
 * every non-test module in `runtime/kernels/` (the generators, their text builders and the
 * layout; the TypeScript loaders too, which costs a needless rebuild at worst).
 */
function sources(): URL[] {
  const names = [...Deno.readDirSync(KERNELS)].map((entry) => entry.name)
    .filter((name) => name.endsWith(".ts") && !name.endsWith("_test.ts"));
  return [new URL("./build_wasm.ts", import.meta.url), ...names.map((n) => new URL(n, KERNELS))];
}

const VARIANTS: GemmWasmVariant[] = ["exact", "fma"];

/** Whether every output exists and is newer than every source. */
export function isWasmBuildCurrent(): boolean {
  const newestSource = Math.max(...sources().map((url) => modifiedMs(url) ?? Infinity));
  return VARIANTS.every((variant) => (modifiedMs(gemmWasmUrl(variant)) ?? -1) >= newestSource);
}

/**
 * Builds the kernels into `build/wasm/` unless they are current (or always, with `force`).
 * Each file is written beside its final name and renamed, so a process reading it (a parallel
 * test, a kernel starting) sees the old module or the new one, never half of one.
 *
 * @returns The paths written (empty when everything was current).
 */
export async function buildWasm({ force = false } = {}): Promise<string[]> {
  if (!force && isWasmBuildCurrent()) return [];
  const { assembleGemmWasm } = await import("../runtime/kernels/wasm_gemm_source.ts");
  const written: string[] = [];
  for (const variant of VARIANTS) {
    const bytes = await assembleGemmWasm({ fma: variant === "fma" });
    const url = gemmWasmUrl(variant);
    await Deno.mkdir(new URL(".", url), { recursive: true });
    await writeAtomically(url, bytes);
    written.push(url.pathname);
  }
  return written;
}

if (import.meta.main) {
  try {
    await buildKernelTypeScript();
  } catch (error) {
    console.error(
      `build_wasm: could not build the kernel's TypeScript module (${(error as Error).message}); ` +
        "kernels load the npm package instead",
    );
  }
  const started = performance.now();
  try {
    const written = await buildWasm({ force: Deno.args.includes("--force") });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (written.length > 0) {
      const names = written.map((path) => path.slice(path.lastIndexOf("/") + 1)).join(", ");
      console.error(`gradbook: built the WebAssembly kernels (${names}) in ${seconds} s.`);
    }
  } catch (error) {
    console.error(
      `build_wasm: could not build the WebAssembly kernels (${(error as Error).message}); ` +
        "the runtime will use its TypeScript kernels",
    );
    if (Deno.args.includes("--strict")) Deno.exit(1);
  }
}
