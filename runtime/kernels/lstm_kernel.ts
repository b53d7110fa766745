/**
 * Runs an LSTM layer's recurrence, forward and backward, as blocks of batch rows
 * (`lstm_rows.ts`) that the thread pool shares out (see `row_blocks.ts`).
 *
 * @module
 */
import type { TensorData } from "../core/tensor.ts";
import { planRows, runRowBlocks, workspace } from "./row_blocks.ts";

/** What the forward recurrence leaves for the backward pass (see {@linkcode lstmForward}). */
export interface LstmForwardResult {
  /** $h_0..h_T$, `[(T+1)·B, H]`. */
  hs: TensorData;
  /** $c_0..c_T$, `[(T+1)·B, H]`. */
  cs: TensorData;
  /** The activated gates $i, f, g, o$ of every step, `[T·B, 4H]`. */
  acts: TensorData;
}

/**
 * The forward recurrence of one LSTM layer (equations in `ops/lstm_layer.ts`), given the input
 * projections `xg` (`[T·B, 4H]`, $x_t W_{ih}^\top$, without bias), `whh` (`[4H, H]`), `bias`
 * (`[4H]`, $b_{ih} + b_{hh}$) and the initial states (`[B, H]`, or null for zeros).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstmForward } from "./lstm_kernel.ts";
 * const H = 2, G = 8, zeros = (n: number) => new Float32Array(n);
 * const { hs, acts } = lstmForward(zeros(G), zeros(G * H), zeros(G), null, null, 1, 1, H);
 * assert.deepEqual([...acts], [0.5, 0.5, 0.5, 0.5, 0, 0, 0.5, 0.5]);
 * assert.deepEqual([...hs], [0, 0, 0, 0]);
 * ```
 */
export function lstmForward(
  xg: TensorData,
  whh: TensorData,
  bias: TensorData,
  h0: TensorData | null,
  c0: TensorData | null,
  steps: number,
  batch: number,
  H: number,
): LstmForwardResult {
  const G = 4 * H;
  const BH = batch * H;
  const states = (steps + 1) * BH;
  const plan = planRows(xg, batch, steps * batch * G * H);
  const hgSizes = plan.blocks.map(([, rows]) => rows * G);
  const space = workspace(plan, [
    steps * batch * G,
    G * H,
    G,
    states,
    states,
    steps * batch * G,
    ...hgSizes,
  ]);
  const [xgAt, whhAt, biasAt, hsAt, csAt, actsAt, ...hgAt] = space.at as [number, ...number[]];
  const { heap } = space;
  heap.set(xg, xgAt);
  heap.set(whh, whhAt!);
  heap.set(bias, biasAt!);
  if (h0 !== null) heap.set(h0, hsAt!);
  else heap.fill(0, hsAt!, hsAt! + BH);
  if (c0 !== null) heap.set(c0, csAt!);
  else heap.fill(0, csAt!, csAt! + BH);
  runRowBlocks(space, "lstmForwardRows", plan, (from, rows, i) => [
    xgAt,
    whhAt!,
    biasAt!,
    hsAt!,
    csAt!,
    actsAt!,
    hgAt[i]!,
    steps,
    batch,
    H,
    from,
    rows,
  ]);
  return {
    hs: space.take(hsAt!, states),
    cs: space.take(csAt!, states),
    acts: space.take(actsAt!, steps * batch * G),
  };
}

/** What backpropagation through time gives (see {@linkcode lstmBackward}). */
export interface LstmBackwardResult {
  /** The gate gradients of every step, `[T·B, 4H]`. */
  dG: TensorData;
  /** The gradient of $h_0$ (`[B, H]`; that of $h_1$ unless asked for). */
  dh: TensorData;
  /** The gradient of $c_0$, `[B, H]`. */
  dc: TensorData;
}

/**
 * Backpropagation through time for one LSTM layer, given the gradient of every output
 * (`gd`: `[T·B, H]` for $h_1..h_T$, then `[B, H]` for $c_T$) and what {@linkcode lstmForward}
 * left. `wantsH0` asks for the gradient of $h_0$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstmBackward, lstmForward } from "./lstm_kernel.ts";
 * const H = 1, zeros = (n: number) => new Float64Array(n);
 * const forward = lstmForward(zeros(4), zeros(4), zeros(4), null, null, 1, 1, H);
 * const gd = new Float64Array([1, 0]); // dL/dh_1 = 1, dL/dc_1 = 0
 * const { dG, dc } = lstmBackward(gd, forward, zeros(4), 1, 1, H, false);
 * assert.deepEqual([...dG], [0, 0, 0.25, 0]); // only g's gradient: dc_1·i·(1 - g²)
 * assert.deepEqual([...dc], [0.25]);
 * ```
 */
export function lstmBackward(
  gd: TensorData,
  forward: LstmForwardResult,
  whh: TensorData,
  steps: number,
  batch: number,
  H: number,
  wantsH0: boolean,
): LstmBackwardResult {
  const G = 4 * H;
  const BH = batch * H;
  const states = (steps + 1) * BH;
  const plan = planRows(gd, batch, steps * batch * G * H);
  const space = workspace(plan, [
    steps * BH,
    steps * batch * G,
    states,
    G * H,
    steps * batch * G,
    BH,
    BH,
  ]);
  const [gdAt, actsAt, csAt, whhAt, dGAt, dhAt, dcAt] = space.at as number[];
  const { heap } = space;
  heap.set(gd.subarray(0, steps * BH), gdAt!);
  heap.set(gd.subarray(steps * BH, states), dcAt!);
  heap.set(forward.acts, actsAt!);
  heap.set(forward.cs, csAt!);
  heap.set(whh, whhAt!);
  heap.fill(0, dhAt!, dhAt! + BH);
  runRowBlocks(space, "lstmBackwardRows", plan, (from, rows) => [
    gdAt!,
    actsAt!,
    csAt!,
    whhAt!,
    dGAt!,
    dhAt!,
    dcAt!,
    steps,
    batch,
    H,
    from,
    rows,
    wantsH0 ? 1 : 0,
  ]);
  return {
    dG: space.take(dGAt!, steps * batch * G),
    dh: space.take(dhAt!, BH),
    dc: space.take(dcAt!, BH),
  };
}
