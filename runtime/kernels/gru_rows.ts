/**
 * The GRU recurrence for a block of batch rows, forward ({@linkcode gruForwardRows}) and
 * backward ({@linkcode gruBackwardRows}), as `lstm_rows.ts` does for the LSTM: self-contained
 * functions the thread pool's workers run on the shared memory, every address an element index
 * into `heap`, and `kernels` (`row_kernels.ts`) multiplying there.
 *
 * @module
 */
import type { RowArgs, RowHeap, RowKernels } from "./row_kernels.ts";

/**
 * Forward GRU steps 0..T-1 for rows `[b0, b0 + rows)` (equations in `ops/gru_layer.ts`).
 * `args`, element indices then sizes: `xg` (`[T·B, 3H]`, $x_t W_{ih}^\top$), `whh` (`[3H, H]`),
 * `bi` and `bh` (`[3H]`, the input-side and hidden-side biases), `hs` (`[(T+1)·B, H]`, row 0
 * the initial state), `saved` (`[T·B, 4H]`: r, z, n and $W_{hn} h + b_{hn}$), `hg` (this
 * block's `[rows, 3H]` scratch), then `T`, `B`, `H`, `b0`, `rows`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gruForwardRows } from "./gru_rows.ts";
 * // H = 1, one row, one step, weights and biases zero, h_0 = 1: r = z = σ(0), n = 0,
 * // so h_1 = (1 - z)·n + z·h_0 = 0.5.
 * const heap = new Float64Array(24);
 * heap[8] = 1; // h_0
 * const noProduct = (_a: number, _b: number, c: number) => heap.fill(0, c, c + 3);
 * gruForwardRows({ gemm: noProduct }, heap, [0, 3, 4, 4, 8, 12, 20, 1, 1, 1, 0, 1]);
 * assert.deepEqual([...heap.subarray(12, 16)], [0.5, 0.5, 0, 0]);
 * assert.equal(heap[9], 0.5);
 * ```
 */
export function gruForwardRows(kernels: RowKernels, heap: RowHeap, args: ArrayLike<number>): void {
  const { gemm } = kernels;
  const [xg, whh, bi, bh, hs, saved, hg, steps, batch, H, b0, rows] = Array.from(args) as RowArgs<
    12
  >;
  const G = 3 * H;
  const BH = batch * H;
  // NOTE: a function of its own, called once per step, as in lstm_rows.ts.
  // The module's float32 loop where the heap is its memory (four units at a time).
  const wasmCell = H % 4 === 0 ? kernels.gruCellForward : undefined;
  const cell = (t: number) => {
    for (let q = 0; q < rows; q++) {
      const b = b0 + q;
      const xr = xg + (t * batch + b) * G;
      const hr = hg + q * G;
      const sv = saved + (t * batch + b) * 4 * H;
      const sPrev = hs + t * BH + b * H;
      if (wasmCell !== undefined) {
        wasmCell(xr, hr, bi, bh, sv, sPrev, sPrev + BH, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const r = 1 /
          (1 + Math.exp(-(heap[xr + j]! + heap[bi + j]! + heap[hr + j]! + heap[bh + j]!)));
        const z = 1 /
          (1 +
            Math.exp(
              -(heap[xr + H + j]! + heap[bi + H + j]! + heap[hr + H + j]! + heap[bh + H + j]!),
            ));
        const hn = heap[hr + 2 * H + j]! + heap[bh + 2 * H + j]!;
        const n = Math.tanh(heap[xr + 2 * H + j]! + heap[bi + 2 * H + j]! + r * hn);
        heap[sv + j] = r;
        heap[sv + H + j] = z;
        heap[sv + 2 * H + j] = n;
        heap[sv + 3 * H + j] = hn;
        heap[sPrev + BH + j] = (1 - z) * n + z * heap[sPrev + j]!;
      }
    }
  };
  for (let t = 0; t < steps; t++) {
    gemm(hs + t * BH + b0 * H, whh, hg, rows, G, H, false, true);
    cell(t);
  }
}

/**
 * Backpropagation through time for rows `[b0, b0 + rows)`: the gradients of every step's
 * input-side (`dxg`) and hidden-side (`dhg`) pre-activations, and that of $h_0$ into `dh`.
 * `args`, element indices then sizes: `gd` (the gradient of every $h_t$, `[T·B, H]`), `saved`,
 * `hs`, `whh` (as in {@linkcode gruForwardRows}), `dxg` and `dhg` (`[T·B, 3H]`), `dh` (`[B, H]`,
 * zero at the start), `dhFromGates` (this block's `[rows, H]` scratch), then `T`, `B`, `H`,
 * `b0`, `rows`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gruBackwardRows } from "./gru_rows.ts";
 * // H = 1, one step with r = z = 0.5, n = 0, W_hn h + b_hn = 0, h_0 = 1, dL/dh_1 = 1:
 * // dn = (1 - z)(1 - n²) = 0.5, dz = (h_0 - n)·z(1 - z) = 0.25, dr = dn·hn·r(1-r) = 0,
 * // and dh_0 = z = 0.5 (no product back through the weights here).
 * const heap = new Float64Array(24);
 * heap[0] = 1; // gd
 * heap.set([0.5, 0.5, 0, 0], 1); // saved
 * heap.set([1, 0], 5); // hs
 * const noProduct = (_a: number, _b: number, c: number) => heap.fill(0, c, c + 1);
 * gruBackwardRows({ gemm: noProduct }, heap, [0, 1, 5, 20, 8, 11, 14, 15, 1, 1, 1, 0, 1]);
 * assert.deepEqual([...heap.subarray(8, 14)], [0, 0.25, 0.5, 0, 0.25, 0.25]);
 * assert.equal(heap[14], 0.5);
 * ```
 */
export function gruBackwardRows(kernels: RowKernels, heap: RowHeap, args: ArrayLike<number>): void {
  const { gemm } = kernels;
  const [gd, saved, hs, whh, dxg, dhg, dh, dhFromGates, steps, batch, H, b0, rows] = Array.from(
    args,
  ) as RowArgs<13>;
  const G = 3 * H;
  const BH = batch * H;
  // NOTE: a function of its own, as in gruForwardRows.
  const wasmCell = H % 4 === 0 ? kernels.gruCellBackward : undefined;
  const cell = (t: number) => {
    for (let q = 0; q < rows; q++) {
      const b = b0 + q;
      const gr = (t * batch + b) * G;
      const sv = saved + (t * batch + b) * 4 * H;
      const s = b * H;
      const sPrev = hs + t * BH + s;
      if (wasmCell !== undefined) {
        wasmCell(gd + t * BH + s, dh + s, sv, sPrev, dxg + gr, dhg + gr, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const dht = heap[gd + t * BH + s + j]! + heap[dh + s + j]!;
        const r = heap[sv + j]!;
        const z = heap[sv + H + j]!;
        const n = heap[sv + 2 * H + j]!;
        const hn = heap[sv + 3 * H + j]!;
        const dan = dht * (1 - z) * (1 - n * n);
        const dar = dan * hn * r * (1 - r);
        const daz = dht * (heap[sPrev + j]! - n) * z * (1 - z);
        heap[dxg + gr + j] = dar;
        heap[dxg + gr + H + j] = daz;
        heap[dxg + gr + 2 * H + j] = dan;
        heap[dhg + gr + j] = dar;
        heap[dhg + gr + H + j] = daz;
        heap[dhg + gr + 2 * H + j] = dan * r;
        heap[dh + s + j] = dht * z;
      }
    }
  };
  const rowsAt = dh + b0 * H;
  for (let t = steps - 1; t >= 0; t--) {
    cell(t);
    // dh_{t-1} = dh_t ⊙ z + δ^h_t W_hh for these rows
    gemm(dhg + (t * batch + b0) * G, whh, dhFromGates, rows, H, G, false, false);
    for (let k = 0; k < rows * H; k++) {
      heap[rowsAt + k] = heap[rowsAt + k]! + heap[dhFromGates + k]!;
    }
  }
}
