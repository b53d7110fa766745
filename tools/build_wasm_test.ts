import { assertEquals } from "../runtime/testing/assert.ts";
import { gemmWasmUrl } from "../runtime/kernels/wasm_gemm.ts";
import { assembleGemmWasm } from "../runtime/kernels/wasm_gemm_source.ts";
import { buildWasm, isWasmBuildCurrent } from "./build_wasm.ts";

Deno.test("buildWasm() leaves current kernels that match their source, then skips", async () => {
  await buildWasm();
  assertEquals(isWasmBuildCurrent(), true);
  assertEquals(await buildWasm(), []);
  assertEquals(Deno.readFileSync(gemmWasmUrl("exact")), await assembleGemmWasm());
  assertEquals(Deno.readFileSync(gemmWasmUrl("fma")), await assembleGemmWasm({ fma: true }));
});
