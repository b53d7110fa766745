/**
 * How a float32 product C (m×n) is cut into blocks for the thread pool: a grid of row blocks
 * (whole multiples of 12 rows, so every register tile of both builds stays whole) by column
 * blocks (multiples of {@linkcode NR} columns), never along the summation, so every block's
 * elements get the same bits as in one thread's product. A large product gets several blocks
 * per thread: a thread that starts late, or runs on a busier core, then takes fewer of them
 * instead of holding up the rest. Among grids with enough blocks, the one that packs the least
 * (each block packs its rows of A and its columns of B) wins. Convolutions (by samples) and
 * recurrent layers (by batch rows) cut their work with {@linkcode blockRange}.
 *
 * @module
 */
import { NR } from "./wasm_gemm_layout.ts";

/** Rows per row-block step: a multiple of both builds' register tiles (4 and 6 rows). */
const ROW_STEP = 12;
/** Blocks per thread for a product big enough. */
export const BLOCKS_PER_THREAD = 4;
/** Fewest multiply-adds per block beyond one block per thread (about 50 µs of work here). */
export const BLOCK_MIN_WORK = 1 << 21;

/**
 * `[start, end)` of block i when `total` items are cut into `blocks` near-equal blocks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockRange } from "./gemm_blocks.ts";
 * assert.deepEqual([0, 1, 2].map((i) => blockRange(i, 3, 25)), [[0, 8], [8, 16], [16, 25]]);
 * ```
 */
export function blockRange(i: number, blocks: number, total: number): [number, number] {
  return [Math.floor(i * total / blocks), Math.floor((i + 1) * total / blocks)];
}

/** One block of C: rows `[row, row + rows)`, columns `[col, col + cols)`. */
export interface GemmBlock {
  row: number;
  rows: number;
  col: number;
  cols: number;
}

/**
 * The blocks C (m×n, summing over k) is cut into for `threads` threads: at least `threads`
 * where the shape allows, up to {@linkcode BLOCKS_PER_THREAD} per thread when each keeps
 * {@linkcode BLOCK_MIN_WORK} multiply-adds, row-major over the grid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemmBlocks } from "./gemm_blocks.ts";
 * assert.equal(gemmBlocks(512, 512, 512, 2).length, 8); // 4 blocks per thread
 * assert.deepEqual(gemmBlocks(24, 16, 8, 2), [ // too small for more than one per thread
 *   { row: 0, rows: 12, col: 0, cols: 16 },
 *   { row: 12, rows: 12, col: 0, cols: 16 },
 * ]);
 * ```
 */
export function gemmBlocks(m: number, n: number, k: number, threads: number): GemmBlock[] {
  const byWork = Math.floor((m * n * k) / BLOCK_MIN_WORK);
  const wanted = Math.max(threads, Math.min(threads * BLOCKS_PER_THREAD, byWork));
  const rowSteps = Math.ceil(m / ROW_STEP);
  const colSteps = Math.ceil(n / NR);
  let best: { heights: number; widths: number; count: number; cost: number } | null = null;
  for (let rowBlocks = 1; rowBlocks <= Math.min(wanted, rowSteps); rowBlocks++) {
    const colBlocks = Math.min(Math.ceil(wanted / rowBlocks), colSteps);
    const heights = Math.ceil(rowSteps / rowBlocks) * ROW_STEP;
    const widths = Math.ceil(colSteps / colBlocks) * NR;
    const rowsCut = Math.ceil(m / heights);
    const colsCut = Math.ceil(n / widths);
    const count = rowsCut * colsCut;
    // Each column block packs all of A's rows, each row block all of B's columns.
    const cost = colsCut * m + rowsCut * n;
    const enough = Math.min(count, wanted) - Math.min(best?.count ?? 0, wanted);
    if (best === null || enough > 0 || (enough === 0 && cost < best.cost)) {
      best = { heights, widths, count, cost };
    }
  }
  const blocks: GemmBlock[] = [];
  const { heights, widths } = best!;
  for (let row = 0; row < m; row += heights) {
    for (let col = 0; col < n; col += widths) {
      blocks.push({ row, rows: Math.min(heights, m - row), col, cols: Math.min(widths, n - col) });
    }
  }
  return blocks;
}
