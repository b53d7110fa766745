import { assert, assertEquals } from "../testing/assert.ts";
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
    // And the float64 run of the same code (on an array of its own) agrees to float32 rounding.
    const f64 = (values: Float32Array) => Float64Array.from(values);
    const forward64 = lstmForward(f64(xg), f64(whh), f64(bias), f64(h0), f64(c0), steps, batch, H);
    const backward64 = lstmBackward(f64(gd), forward64, f64(whh), steps, batch, H, true);
    const expected = [
      forward64.hs,
      forward64.cs,
      forward64.acts,
      backward64.dG,
      backward64.dh,
      backward64.dc,
    ];
    expected.forEach((want, k) => {
      const got = new Float32Array(new Uint32Array(runs[0]![k]!).buffer);
      const worst = got.reduce(
        (w, v, i) => Math.max(w, Math.abs(v - want[i]!) / Math.max(1, Math.abs(want[i]!))),
        0,
      );
      assert(worst < 1e-4, `output ${k}: largest difference from float64 ${worst}`);
    });
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
    const f64 = (values: Float32Array) => Float64Array.from(values);
    const forward64 = gruForward(f64(xg), f64(whh), f64(bi), f64(bh), f64(h0), steps, batch, H);
    const backward64 = gruBackward(f64(gd), forward64, f64(whh), steps, batch, H);
    const expected = [forward64.hs, forward64.saved, backward64.dxg, backward64.dhg, backward64.dh];
    expected.forEach((want, k) => {
      const got = new Float32Array(new Uint32Array(runs[0]![k]!).buffer);
      const worst = got.reduce(
        (w, v, i) => Math.max(w, Math.abs(v - want[i]!) / Math.max(1, Math.abs(want[i]!))),
        0,
      );
      assert(worst < 1e-4, `output ${k}: largest difference from float64 ${worst}`);
    });
  });
}
