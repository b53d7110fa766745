/**
 * What the fused recurrent layers share (`lstm_layer.ts`, `gru_layer.ts`, `rnn_layer.ts`: a whole
 * layer of an LSTM, a GRU or an Elman RNN over a sequence as ONE recorded op with a hand-written
 * backward, backpropagation through time, and the single-step cells built on them; `nn.RNN`,
 * `nn.LSTM`, `nn.GRU` and their cells call these): the checks of sizes, bias sums, the weight
 * gradients, scratch buffers and `takeRows` / `stackStates`.
 *
 * Weights follow PyTorch's layout, so state dicts carry over: `wIh` is `[gates·H, I]`, `wHh` is
 * `[gates·H, H]`, biases `[gates·H]`; gate order LSTM $i, f, g, o$ and GRU $r, z, n$.
 *
 * How the work is laid out (the point of fusing):
 * - forward: one GEMM $X W_{ih}^\top$ for every time step at once, then per step one GEMM
 *   $h_{t-1} W_{hh}^\top$ and one loop that computes all gates, the cell and the new state;
 * - backward: per step one loop for the gate gradients and one GEMM $\delta_t W_{hh}$ for the
 *   gradient of $h_{t-1}$; after the loop one GEMM each for $\partial W_{ih}$, $\partial W_{hh}$
 *   and $\partial X$ over all steps, and column sums for the biases.
 *
 * So the recorded graph holds one node per layer whatever the sequence length, and backward
 * never recurses. The LSTM's and GRU's per-step work runs as blocks of batch rows that the
 * thread pool shares out (`kernels/lstm_kernel.ts`, `kernels/gru_kernel.ts`, `kernels/row_blocks.ts`).
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { gemm } from "../kernels/gemm.ts";
import { formatShape, shapeSize } from "../core/shape.ts";
import { allocate, type DType, Tensor, type TensorData } from "../core/tensor.ts";
import { reshape } from "./reshape.ts";

/** Sizes of one recurrent layer, checked by {@link checkLayer}. */
export interface LayerSizes {
  steps: number;
  batch: number;
  inputSize: number;
  hiddenSize: number;
  dtype: DType;
}

export function checkLayer(
  op: string,
  gates: number,
  input: Tensor,
  states: readonly (Tensor | null)[],
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
): LayerSizes {
  const all = [input, ...states, wIh, wHh, bIh, bHh];
  for (const t of all) {
    if (t !== null && !(t instanceof Tensor)) {
      throw new TypeError(
        `${op}: expected Tensors, got ${Array.isArray(t) ? "an array" : typeof t}`,
      );
    }
  }
  if (input.ndim !== 3) {
    throw new RangeError(
      `${op}: input must have shape [steps, batch, inputSize], got ${formatShape(input.shape)}`,
    );
  }
  const [steps, batch, inputSize] = input.shape as [number, number, number];
  if (steps === 0) {
    throw new RangeError(`${op}: the input sequence is empty (shape ${formatShape(input.shape)})`);
  }
  if (wIh.ndim !== 2 || wIh.shape[0]! % gates !== 0 || wIh.shape[1] !== inputSize) {
    throw new RangeError(
      `${op}: weight_ih must have shape [${gates}·hiddenSize, ${inputSize}], got ${
        formatShape(wIh.shape)
      }`,
    );
  }
  const hiddenSize = wIh.shape[0]! / gates;
  const expect = (t: Tensor | null, shape: number[], name: string) => {
    if (t !== null && t.shape.join() !== shape.join()) {
      throw new RangeError(
        `${op}: ${name} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`,
      );
    }
  };
  expect(wHh, [gates * hiddenSize, hiddenSize], "weight_hh");
  expect(bIh, [gates * hiddenSize], "bias_ih");
  expect(bHh, [gates * hiddenSize], "bias_hh");
  for (const s of states) expect(s, [batch, hiddenSize], "the initial state");
  const dtype = input.dtype;
  for (const t of all) {
    if (t !== null && t.dtype !== dtype) {
      throw new TypeError(
        `${op}: dtype mismatch: the input is ${dtype} but a weight or state is ${t.dtype}`,
      );
    }
  }
  return { steps, batch, inputSize, hiddenSize, dtype };
}

/** $b_{ih} + b_{hh}$ (either may be absent), length `size`. */
export function addBiases(dtype: DType, size: number, bIh: Tensor | null, bHh: Tensor | null) {
  const b = allocate(dtype, size);
  for (const t of [bIh, bHh]) {
    if (t === null) continue;
    const d = t.data;
    for (let j = 0; j < size; j++) b[j] = b[j]! + d[j]!;
  }
  return b;
}

/** Sums the `rows` rows of `d` (width `cols`) into a new tensor of shape [cols]. */
export function columnSums(d: TensorData, rows: number, cols: number, dtype: DType): Tensor {
  const out = allocate(dtype, cols);
  for (let r = 0; r < rows; r++) addInto(out, d.subarray(r * cols, (r + 1) * cols));
  return new Tensor(out, [cols]);
}

/**
 * Gradients shared by every cell type once the per-step gate gradients are known:
 * $\partial W_{ih} = \sum_t \delta^x_t{}^\top x_t$, $\partial W_{hh} = \sum_t \delta^h_t{}^\top
 * h_{t-1}$, $\partial X = \delta^x W_{ih}$ and the bias sums; `dxg`/`dhg` are [steps·batch, G].
 */
export function weightGradients(
  sizes: LayerSizes,
  gateWidth: number,
  dxg: TensorData,
  dhg: TensorData,
  input: Tensor,
  hPrev: TensorData,
  wIh: Tensor,
  wHh: Tensor,
  bIh: Tensor | null,
  bHh: Tensor | null,
) {
  const { steps, batch, inputSize, hiddenSize, dtype } = sizes;
  const rows = steps * batch;
  let dInput: Tensor | null = null;
  let dWih: Tensor | null = null;
  let dWhh: Tensor | null = null;
  if (input.requiresGrad) {
    const d = allocate(dtype, rows * inputSize);
    gemm(dxg, 0, wIh.data, 0, d, 0, { m: rows, n: inputSize, k: gateWidth });
    dInput = new Tensor(d, input.shape);
  }
  if (wIh.requiresGrad) {
    const d = allocate(dtype, gateWidth * inputSize);
    gemm(dxg, 0, input.data, 0, d, 0, { m: gateWidth, n: inputSize, k: rows, transA: true });
    dWih = new Tensor(d, wIh.shape);
  }
  if (wHh.requiresGrad) {
    const d = allocate(dtype, gateWidth * hiddenSize);
    gemm(dhg, 0, hPrev, 0, d, 0, { m: gateWidth, n: hiddenSize, k: rows, transA: true });
    dWhh = new Tensor(d, wHh.shape);
  }
  const dBih = bIh?.requiresGrad ? columnSums(dxg, rows, gateWidth, dtype) : null;
  // The LSTM's two biases get the same gradient (dxg is dhg): sum once.
  const dBhh = !bHh?.requiresGrad
    ? null
    : dBih !== null && dhg === dxg
    ? new Tensor(dBih.data.slice(), [gateWidth])
    : columnSums(dhg, rows, gateWidth, dtype);
  return { dInput, dWih, dWhh, dBih, dBhh };
}

/** Inputs of a recorded layer op, absent ones (null) dropped, and a way to map grads back. */
export function recordedInputs(
  list: (Tensor | null)[],
): { inputs: Tensor[]; place: (grads: (Tensor | null)[]) => (Tensor | null)[] } {
  const inputs: Tensor[] = [];
  const present: boolean[] = [];
  for (const t of list) {
    present.push(t !== null);
    if (t !== null) inputs.push(t);
  }
  return {
    inputs,
    place: (grads) => grads.filter((_, i) => present[i]),
  };
}

/**
 * Rows `start`..`start+count-1` of `x` along its first axis, copied, in the given `shape`, as a
 * differentiable op (how the layers split their one recorded output, and how `nn.LSTM` picks one
 * layer's initial state out of `[numLayers, batch, hidden]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * import { takeRows } from "./recurrent.ts";
 * assert.deepEqual(takeRows(tensor([[1, 2], [3, 4], [5, 6]]), 1, 2, [2, 2]).toArray(), [[3, 4], [5, 6]]);
 * ```
 */
export function takeRows(
  x: Tensor,
  start: number,
  count: number,
  shape: readonly number[],
  op = "takeRows",
): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / x.shape[0]!;
  if (
    x.ndim === 0 || start < 0 || start + count > x.shape[0]! || shapeSize(shape) !== count * rowSize
  ) {
    throw new RangeError(
      `${op}: cannot take ${count} rows from row ${start} of ${formatShape(x.shape)} as ${
        formatShape(shape)
      }`,
    );
  }
  const from = start * rowSize;
  const out = new Tensor(x.data.slice(from, from + count * rowSize), shape);
  return recordOp(out, op, [x], (g) => {
    const d = allocate(x.dtype, x.size);
    d.set(g.data, from);
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Stacks same-shaped tensors along a new first axis (the per-layer final states into
 * `[numLayers, batch, hidden]`), as a differentiable op.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "gradbook";
 * import { stackStates } from "./recurrent.ts";
 * assert.deepEqual(stackStates([tensor([1, 2]), tensor([3, 4])]).toArray(), [[1, 2], [3, 4]]);
 * ```
 */
export function stackStates(states: readonly Tensor[]): Tensor {
  const first = states[0];
  if (first === undefined) throw new RangeError("stackStates: expected at least one state");
  const out = allocate(first.dtype, first.size * states.length);
  states.forEach((s, i) => out.set(s.data, i * first.size));
  return recordOp(
    new Tensor(out, [states.length, ...first.shape]),
    "stackStates",
    states,
    (g) =>
      states.map((s, i) =>
        s.requiresGrad
          ? new Tensor(g.data.slice(i * first.size, (i + 1) * first.size), s.shape)
          : null
      ),
  );
}

// ---- scratch buffers --------------------------------------------------------------------------
// NOTE: the gate pre-activations (forward) and gate gradients (backward) are large ([steps·batch,
// gates·hidden]) but live only inside one call, so they come from reused module-level buffers,
// like the GEMM's packing panels: fresh ones cost a memset and, more, garbage-collector pressure
// (external memory) that made step times swing. Every user writes them in full before reading.

const scratchBuffers: Record<DType, TensorData[]> = { float32: [], float64: [] };

/** A buffer of `size` values in slot `slot` (0-2), valid until the next call for that slot. */
export function scratch(slot: number, dtype: DType, size: number): TensorData {
  const pool = scratchBuffers[dtype];
  let buffer = pool[slot];
  if (buffer === undefined || buffer.length < size) {
    buffer = allocate(dtype, Math.max(size, 2 * (buffer?.length ?? 0)));
    pool[slot] = buffer;
  }
  return buffer.subarray(0, size);
}

// ---- per-step loops ----------------------------------------------------------------------------
// NOTE: each step's loop lives in its own function, called once per step, so V8 optimises it as
// a function; left inline in the long per-layer functions it was on-stack-replaced and
// deoptimised over and over, and step times swung between 80 and 140 ms.

/** `into += from`, elementwise. */
export function addInto(into: TensorData, from: TensorData): void {
  for (let k = 0; k < into.length; k++) into[k] = into[k]! + from[k]!;
}

export function asSequence(x: Tensor, op: string): Tensor {
  if (!(x instanceof Tensor) || x.ndim !== 2) {
    throw new RangeError(
      `${op}: input must have shape [batch, inputSize], got ${
        x instanceof Tensor ? formatShape(x.shape) : typeof x
      }`,
    );
  }
  // A view of the same storage with a leading step axis of 1; gradients flow through reshape.
  return reshape(x, [1, x.shape[0]!, x.shape[1]!]);
}
