import { assert, assertEquals } from "../testing/assert.ts";
import { BLOCK_MIN_WORK, BLOCKS_PER_THREAD, gemmBlocks } from "./gemm_blocks.ts";
import { NR } from "./wasm_gemm_layout.ts";

const shapes: [number, number, number][] = [
  [37, 53, 29],
  [130, 259, 515],
  [512, 512, 512],
  [64, 256, 784],
  [256, 784, 64],
  [16, 512, 128],
  [13, 1000, 300],
  [2000, 9, 300],
];

for (const [m, n, k] of shapes) {
  for (const threads of [2, 3, 4]) {
    Deno.test(`gemmBlocks cuts ${m}x${n} (k ${k}) for ${threads} threads into whole tiles`, () => {
      const blocks = gemmBlocks(m, n, k, threads);
      const covered = new Uint8Array(m * n);
      for (const { row, rows, col, cols } of blocks) {
        assertEquals(row % 12, 0, "rows start on a register tile");
        assertEquals(col % NR, 0, "columns start on a micro-panel");
        assert(rows > 0 && cols > 0, "no empty block");
        for (let i = row; i < row + rows; i++) {
          for (let j = col; j < col + cols; j++) covered[i * n + j]! += 1;
        }
      }
      assert(covered.every((times) => times === 1), "every element of C in exactly one block");
      const possible = Math.ceil(m / 12) * Math.ceil(n / NR);
      assert(blocks.length >= Math.min(threads, possible), `${blocks.length} blocks`);
      assert(blocks.length <= Math.max(threads, threads * BLOCKS_PER_THREAD));
      if (m * n * k >= threads * BLOCKS_PER_THREAD * BLOCK_MIN_WORK && possible >= 64) {
        assert(blocks.length >= threads * BLOCKS_PER_THREAD, `only ${blocks.length} blocks`);
      }
    });
  }
}
