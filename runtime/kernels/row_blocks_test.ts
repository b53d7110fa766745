import { assertEquals } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { gruBackward, gruForward } from "./gru_kernel.ts";
import { lstmBackward, lstmForward } from "./lstm_kernel.ts";
import { rowBlocks } from "./row_blocks.ts";
import { bits, withThreadCounts } from "./test_helpers.ts";
import { installGemmWasm } from "./wasm_gemm.ts";
import { assembleGemmWasm } from "./wasm_gemm_source.ts";

// NOTE: assembled from this checkout's source, not read from build/wasm/.
installGemmWasm(await assembleGemmWasm());

const random = new Generator(27);
const filled = (size: number, scale = 1) =>
  Float32Array.from({ length: size }, () => scale * random.normal());

Deno.test("rowBlocks() cuts every batch into whole blocks of at least 8 rows, in order", () => {
  for (let batch = 1; batch <= 200; batch++) {
    const blocks = rowBlocks(batch);
    let next = 0;
    for (const [from, rows] of blocks) {
      assertEquals(from, next);
      if (blocks.length > 1) assertEquals(rows >= 8, true, `batch ${batch}: ${rows} rows`);
      next += rows;
    }
    assertEquals(next, batch);
  }
});

for (const H of [13, 12]) {
  // 13 runs the gate loops in JavaScript, 12 (four units at a time) in the module.
  Deno.test(`an LSTM layer's recurrence gives identical bits on 1, 2 and 3 threads (batch 25, hidden ${H})`, async () => {
    const [steps, batch] = [7, 25];
    const G = 4 * H;
    const xg = filled(steps * batch * G);
    const whh = filled(G * H, 0.3);
    const bias = filled(G);
    const h0 = filled(batch * H);
    const c0 = filled(batch * H);
    const gd = filled((steps + 1) * batch * H);
    assertEquals(rowBlocks(batch).length, 3);
    const runs = await withThreadCounts(() => {
      const forward = lstmForward(xg, whh, bias, h0, c0, steps, batch, H);
      const backward = lstmBackward(gd, forward, whh, steps, batch, H, true);
      return [forward.hs, forward.cs, forward.acts, backward.dG, backward.dh, backward.dc]
        .map((values) => bits(Float32Array.from(values)));
    });
    for (const run of runs.slice(1)) assertEquals(run, runs[0]);
    // And the float64 run of the same code agrees to float32 rounding.
    const forward64 = lstmForward(
      Float64Array.from(xg),
      Float64Array.from(whh),
      Float64Array.from(bias),
      Float64Array.from(h0),
      Float64Array.from(c0),
      steps,
      batch,
      H,
    );
    const hs32 = new Float32Array(new Uint32Array(runs[0]![0]!).buffer);
    const worst = hs32.reduce((w, v, i) => Math.max(w, Math.abs(v - forward64.hs[i]!)), 0);
    assertEquals(worst < 1e-5, true, `largest difference from float64: ${worst}`);
  });
}

for (const H of [11, 12]) {
  // 11 runs the gate loops in JavaScript, 12 in the module.
  Deno.test(`a GRU layer's recurrence gives identical bits on 1, 2 and 3 threads (batch 17, hidden ${H})`, async () => {
    const [steps, batch] = [9, 17];
    const G = 3 * H;
    const xg = filled(steps * batch * G);
    const whh = filled(G * H, 0.3);
    const bi = filled(G);
    const bh = filled(G);
    const h0 = filled(batch * H);
    const gd = filled(steps * batch * H);
    assertEquals(rowBlocks(batch).length, 2);
    const runs = await withThreadCounts(() => {
      const forward = gruForward(xg, whh, bi, bh, h0, steps, batch, H);
      const backward = gruBackward(gd, forward, whh, steps, batch, H);
      return [forward.hs, forward.saved, backward.dxg, backward.dhg, backward.dh]
        .map((values) => bits(Float32Array.from(values)));
    });
    for (const run of runs.slice(1)) assertEquals(run, runs[0]);
  });
}
