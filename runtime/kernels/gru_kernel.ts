/**
 * Runs a GRU layer's recurrence, forward and backward, as blocks of batch rows (`gru_rows.ts`)
 * that the thread pool shares out (see `row_blocks.ts`).
 *
 * @module
 */
import type { TensorData } from "../core/tensor.ts";
import { planRows, runRowBlocks, workspace } from "./row_blocks.ts";

/** What the forward recurrence leaves for the backward pass (see {@linkcode gruForward}). */
export interface GruForwardResult {
  /** $h_0..h_T$, `[(T+1)·B, H]`. */
  hs: TensorData;
  /** r, z, n and $W_{hn} h + b_{hn}$ of every step, `[T·B, 4H]`. */
  saved: TensorData;
}

/**
 * The forward recurrence of one GRU layer (equations in `ops/gru_layer.ts`), given the input
 * projections `xg` (`[T·B, 3H]`, without bias), `whh` (`[3H, H]`), the input-side and
 * hidden-side biases (`[3H]` each) and the initial state (`[B, H]`, or null for zeros).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gruForward } from "./gru_kernel.ts";
 * const H = 1, zeros = (n: number) => new Float32Array(n);
 * const { hs, saved } = gruForward(zeros(3), zeros(3), zeros(3), zeros(3), new Float32Array([1]), 1, 1, H);
 * assert.deepEqual([...saved], [0.5, 0.5, 0, 0]);
 * assert.deepEqual([...hs], [1, 0.5]);
 * ```
 */
export function gruForward(
  xg: TensorData,
  whh: TensorData,
  bi: TensorData,
  bh: TensorData,
  h0: TensorData | null,
  steps: number,
  batch: number,
  H: number,
): GruForwardResult {
  const G = 3 * H;
  const BH = batch * H;
  const states = (steps + 1) * BH;
  const plan = planRows(xg, batch, steps * batch * G * H);
  const hgSizes = plan.blocks.map(([, rows]) => rows * G);
  const savedSize = steps * batch * 4 * H;
  const space = workspace(plan, [steps * batch * G, G * H, G, G, states, savedSize, ...hgSizes]);
  const [xgAt, whhAt, biAt, bhAt, hsAt, savedAt, ...hgAt] = space.at as number[];
  const { heap } = space;
  heap.set(xg, xgAt);
  heap.set(whh, whhAt!);
  heap.set(bi, biAt!);
  heap.set(bh, bhAt!);
  if (h0 !== null) heap.set(h0, hsAt!);
  else heap.fill(0, hsAt!, hsAt! + BH);
  runRowBlocks(space, "gruForwardRows", plan, (from, rows, i) => [
    xgAt!,
    whhAt!,
    biAt!,
    bhAt!,
    hsAt!,
    savedAt!,
    hgAt[i]!,
    steps,
    batch,
    H,
    from,
    rows,
  ]);
  return { hs: space.take(hsAt!, states), saved: space.take(savedAt!, savedSize) };
}

/** What backpropagation through time gives (see {@linkcode gruBackward}). */
export interface GruBackwardResult {
  /** The gradients of the input-side pre-activations of every step, `[T·B, 3H]`. */
  dxg: TensorData;
  /** The gradients of the hidden-side pre-activations of every step, `[T·B, 3H]`. */
  dhg: TensorData;
  /** The gradient of $h_0$, `[B, H]`. */
  dh: TensorData;
}

/**
 * Backpropagation through time for one GRU layer, given the gradient of every output (`gd`,
 * `[T·B, H]`) and what {@linkcode gruForward} left.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gruBackward, gruForward } from "./gru_kernel.ts";
 * const H = 1, zeros = (n: number) => new Float64Array(n);
 * const forward = gruForward(zeros(3), zeros(3), zeros(3), zeros(3), new Float64Array([1]), 1, 1, H);
 * const { dxg, dh } = gruBackward(new Float64Array([1]), forward, zeros(3), 1, 1, H);
 * assert.deepEqual([...dxg], [0, 0.25, 0.5]); // r, z, n
 * assert.deepEqual([...dh], [0.5]); // z, with zero weights
 * ```
 */
export function gruBackward(
  gd: TensorData,
  forward: GruForwardResult,
  whh: TensorData,
  steps: number,
  batch: number,
  H: number,
): GruBackwardResult {
  const G = 3 * H;
  const BH = batch * H;
  const plan = planRows(gd, batch, steps * batch * G * H);
  const gates = steps * batch * G;
  const scratchSizes = plan.blocks.map(([, rows]) => rows * H);
  const space = workspace(plan, [
    steps * BH,
    forward.saved.length,
    forward.hs.length,
    G * H,
    gates,
    gates,
    BH,
    ...scratchSizes,
  ]);
  const [gdAt, savedAt, hsAt, whhAt, dxgAt, dhgAt, dhAt, ...scratchAt] = space.at as number[];
  const { heap } = space;
  heap.set(gd, gdAt);
  heap.set(forward.saved, savedAt!);
  heap.set(forward.hs, hsAt!);
  heap.set(whh, whhAt!);
  heap.fill(0, dhAt!, dhAt! + BH);
  runRowBlocks(space, "gruBackwardRows", plan, (from, rows, i) => [
    gdAt!,
    savedAt!,
    hsAt!,
    whhAt!,
    dxgAt!,
    dhgAt!,
    dhAt!,
    scratchAt[i]!,
    steps,
    batch,
    H,
    from,
    rows,
  ]);
  return {
    dxg: space.take(dxgAt!, gates),
    dhg: space.take(dhgAt!, gates),
    dh: space.take(dhAt!, BH),
  };
}
