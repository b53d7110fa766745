/**
 * The sandboxed kernel runs float32 matrix products on the WebAssembly SIMD kernel: the kernel
 * process reads `build/wasm/gemm.wasm` and hands the bytes to its permissionless cell worker.
 */
import { KernelProcess } from "../notebook/kernel/kernel_process.ts";
import { buildWasm } from "../tools/build_wasm.ts";
import { assertEquals } from "../runtime/testing/assert.ts";

// The cell multiplies an 8×100 by a 100×16 float32 matrix and counts the entries equal to a
// float32 sum accumulated in the wasm kernel's order (one rounding per multiply and per add),
// and those equal to the TypeScript kernel's float64 sum rounded once. The two disagree on most
// entries, so the counts tell which kernel ran.
const CELL = `
import { tensor } from "gradbook";
const m = 8, k = 100, n = 16;
const a = new Float32Array(m * k).map((_, i) => Math.sin(i * 1.3));
const b = new Float32Array(k * n).map((_, i) => Math.cos(i * 0.7));
const c = tensor(Array.from(a)).reshape(m, k).matmul(tensor(Array.from(b)).reshape(k, n)).data;
let wasmOrder = 0;
let float64Sum = 0;
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) {
    let s32 = 0;
    let s64 = 0;
    for (let p = 0; p < k; p++) {
      s32 = Math.fround(s32 + Math.fround(a[i * k + p] * b[p * n + j]));
      s64 += a[i * k + p] * b[p * n + j];
    }
    if (s32 === c[i * n + j]) wasmOrder++;
    if (Math.fround(s64) === c[i * n + j]) float64Sum++;
  }
}
console.log(JSON.stringify({ wasmOrder, float64Sum }));
`;

Deno.test("a kernel cell's float32 matmul runs on the WebAssembly kernel inside the sandbox", async () => {
  await buildWasm();
  const kernel = new KernelProcess();
  try {
    let output = "";
    const reply = await kernel.execute("c1", CELL, (event) => {
      if (event.type === "stream") output += event.text;
      if (event.type === "error") throw new Error(`cell failed: ${event.message}`);
    });
    assertEquals(reply.status, "ok");
    const counts = JSON.parse(output);
    assertEquals(counts.wasmOrder, 128, `counts ${output}`);
  } finally {
    await kernel.shutdown();
  }
});
