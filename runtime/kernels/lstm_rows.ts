/**
 * The LSTM recurrence for a block of batch rows, forward ({@linkcode lstmForwardRows}) and
 * backward ({@linkcode lstmBackwardRows}): every step's recurrent product and gate loop for rows
 * `[b0, b0 + rows)` only. Batch rows never interact within a layer, so the rows of a batch can
 * be cut into blocks that threads run at the same time, each over the whole sequence, with no
 * synchronisation per step; `lstm_kernel.ts` cuts and runs them.
 *
 * Both functions are self-contained (they use only their arguments and `Math`): the thread pool
 * sends their text to its workers (`thread_pool.ts`), where they run on the shared WebAssembly
 * memory, so any thread computes a block with the same code and the same bits.
 *
 * Every address is an element index into `heap`; `kernels` (`row_kernels.ts`) multiply
 * there.
 *
 * @module
 */

import type { RowArgs, RowHeap, RowKernels } from "./row_kernels.ts";

/**
 * Forward LSTM steps 0..T-1 for rows `[b0, b0 + rows)` (equations in `ops/lstm_layer.ts`).
 * `args`, element indices then sizes: `xg` (input projections, `[T·B, 4H]`), `whh` (`[4H, H]`),
 * `bias` (`[4H]`, $b_{ih} + b_{hh}$), `hs` and `cs` (`[(T+1)·B, H]`, row 0 holding the initial
 * states), `acts` (the activated gates, `[T·B, 4H]`), `hg` (this block's `[rows, 4H]` scratch),
 * then `T`, `B`, `H`, `b0`, `rows`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstmForwardRows } from "./lstm_rows.ts";
 * // H = 1, one row, one step, all weights zero: i = f = o = σ(0), g = 0, so c = h = 0.
 * const heap = new Float64Array(20);
 * const noProduct = (_a: number, _b: number, c: number) => heap.fill(0, c, c + 4);
 * lstmForwardRows({ gemm: noProduct }, heap, [0, 4, 4, 8, 10, 12, 16, 1, 1, 1, 0, 1]);
 * assert.deepEqual([...heap.subarray(12, 16)], [0.5, 0.5, 0, 0.5]);
 * assert.equal(heap[9], 0); // h_1
 * ```
 */
export function lstmForwardRows(kernels: RowKernels, heap: RowHeap, args: ArrayLike<number>): void {
  const { gemm } = kernels;
  const [xg, whh, bias, hs, cs, acts, hg, steps, batch, H, b0, rows] = Array.from(args) as RowArgs<
    12
  >;
  const G = 4 * H;
  const BH = batch * H;
  // NOTE: the gate loop is a function of its own, called once per step, so V8 optimises it as
  // a function; left inline in the step loop it was on-stack-replaced and deoptimised over and
  // over, and step times swung.
  // The module's float32 loop where the heap is its memory (four units at a time).
  const wasmCell = H % 4 === 0 ? kernels.lstmCellForward : undefined;
  const cell = (t: number) => {
    for (let r = 0; r < rows; r++) {
      const b = b0 + r;
      const xr = xg + (t * batch + b) * G;
      const ar = acts + (t * batch + b) * G;
      const hr = hg + r * G;
      const sPrev = t * BH + b * H;
      const sNext = sPrev + BH;
      if (wasmCell !== undefined) {
        wasmCell(xr, hr, bias, ar, cs + sPrev, cs + sNext, hs + sNext, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const i = 1 / (1 + Math.exp(-(heap[xr + j]! + heap[hr + j]! + heap[bias + j]!)));
        const f = 1 /
          (1 + Math.exp(-(heap[xr + H + j]! + heap[hr + H + j]! + heap[bias + H + j]!)));
        const g = Math.tanh(
          heap[xr + 2 * H + j]! + heap[hr + 2 * H + j]! + heap[bias + 2 * H + j]!,
        );
        const o = 1 /
          (1 +
            Math.exp(-(heap[xr + 3 * H + j]! + heap[hr + 3 * H + j]! + heap[bias + 3 * H + j]!)));
        heap[ar + j] = i;
        heap[ar + H + j] = f;
        heap[ar + 2 * H + j] = g;
        heap[ar + 3 * H + j] = o;
        const c = f * heap[cs + sPrev + j]! + i * g;
        heap[cs + sNext + j] = c;
        heap[hs + sNext + j] = o * Math.tanh(c);
      }
    }
  };
  for (let t = 0; t < steps; t++) {
    gemm(hs + t * BH + b0 * H, whh, hg, rows, G, H, false, true);
    cell(t);
  }
}

/**
 * Backpropagation through time for rows `[b0, b0 + rows)`: the gate gradients of every step
 * into `dG`, and the gradients of $h_0$ and $c_0$ into `dh` and `dc`. `args`, element indices
 * then sizes: `gd` (the gradient of every $h_t$, `[T·B, H]`), `acts`, `cs`, `whh` (as in
 * {@linkcode lstmForwardRows}), `dG` (`[T·B, 4H]`), `dh` (`[B, H]`, zero at the start), `dc`
 * (`[B, H]`, the gradient of $c_T$ at the start), then `T`, `B`, `H`, `b0`, `rows`, and 1 when
 * the gradient of $h_0$ is wanted (else `dh` is left holding that of $h_1$).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstmBackwardRows } from "./lstm_rows.ts";
 * // H = 1, one step, gates i = f = g = o = 0.5 and c_0 = c_1 = 0, dL/dh_1 = 1: then
 * // dc_1 = o·(1 - tanh²c_1) = 0.5, the gate gradients are dc_1·g·i(1-i), dc_1·c_0·f(1-f),
 * // dc_1·i·(1-g²) and tanh(c_1)·o(1-o), and dc_0 = dc_1·f.
 * const heap = new Float64Array(20);
 * heap.set([1], 0); // gd
 * heap.set([0.5, 0.5, 0.5, 0.5], 1); // acts
 * const noProduct = (_a: number, _b: number, c: number) => heap.fill(0, c, c + 1);
 * lstmBackwardRows({ gemm: noProduct }, heap, [0, 1, 5, 7, 11, 16, 15, 1, 1, 1, 0, 1, 0]);
 * assert.deepEqual([...heap.subarray(11, 15)], [0.0625, 0, 0.1875, 0]);
 * assert.equal(heap[15], 0.25);
 * ```
 */
export function lstmBackwardRows(
  kernels: RowKernels,
  heap: RowHeap,
  args: ArrayLike<number>,
): void {
  const { gemm } = kernels;
  const [gd, acts, cs, whh, dG, dh, dc, steps, batch, H, b0, rows, wantsH0] = Array.from(
    args,
  ) as RowArgs<13>;
  const G = 4 * H;
  const BH = batch * H;
  // NOTE: a function of its own, as in lstmForwardRows.
  const wasmCell = H % 4 === 0 ? kernels.lstmCellBackward : undefined;
  const cell = (t: number) => {
    for (let r = 0; r < rows; r++) {
      const b = b0 + r;
      const gr = (t * batch + b) * G;
      const s = b * H;
      const sPrev = t * BH + s;
      const sNext = sPrev + BH;
      if (wasmCell !== undefined) {
        wasmCell(gd + t * BH + s, dh + s, dc + s, acts + gr, cs + sPrev, cs + sNext, dG + gr, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const dht = heap[gd + t * BH + s + j]! + heap[dh + s + j]!;
        const i = heap[acts + gr + j]!;
        const f = heap[acts + gr + H + j]!;
        const g = heap[acts + gr + 2 * H + j]!;
        const o = heap[acts + gr + 3 * H + j]!;
        const tc = Math.tanh(heap[cs + sNext + j]!);
        const dct = heap[dc + s + j]! + dht * o * (1 - tc * tc);
        heap[dG + gr + j] = dct * g * i * (1 - i);
        heap[dG + gr + H + j] = dct * heap[cs + sPrev + j]! * f * (1 - f);
        heap[dG + gr + 2 * H + j] = dct * i * (1 - g * g);
        heap[dG + gr + 3 * H + j] = dht * tc * o * (1 - o);
        heap[dc + s + j] = dct * f;
      }
    }
  };
  for (let t = steps - 1; t >= 0; t--) {
    cell(t);
    // dh_{t-1} = δ_t W_hh for these rows (it held the recurrent part of dh_t until now)
    if (t > 0 || wantsH0 === 1) {
      gemm(dG + (t * batch + b0) * G, whh, dh + b0 * H, rows, H, G, false, false);
    }
  }
}
