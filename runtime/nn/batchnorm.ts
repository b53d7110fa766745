/**
 * `BatchNorm1d`: batch normalisation over features (Ioffe & Szegedy, 2015).
 *
 * @module
 */
import { type DType, full, type Tensor, zeros } from "../tensor.ts";
import { batchNorm } from "./functional.ts";
import { Module, Parameter } from "./module.ts";

/** Options of {@link BatchNorm1d}. */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /**
   * Weight of each new batch in the running averages (default 0.1); `null` averages all batches
   * so far equally (PyTorch's `momentum=None`).
   */
  momentum?: number | null;
  /** Learn a per-feature scale `weight` and shift `bias` (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); if false, eval uses batch stats. */
  trackRunningStats?: boolean;
  /** Dtype of parameters and buffers (default "float32"). */
  dtype?: DType;
}

/**
 * Normalises each feature with the batch mean and (biased) variance in training mode, and with
 * running averages in eval mode, then scales and shifts: $y = \gamma \hat x + \beta$. Running
 * stats move by `momentum` towards the batch mean and the unbiased batch variance.
 *
 * - Input: `[N, C]` or `[N, C, L]` with `C = numFeatures`. Output: the same shape.
 * - Parameters `weight` (ones) and `bias` (zeros): `[C]`.
 * - Buffers `runningMean` (zeros), `runningVar` (ones): `[C]`; `numBatchesTracked`: `[]`; in
 *   state dicts they are PyTorch's `running_mean`, `running_var` and `num_batches_tracked`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const bn = new nn.BatchNorm1d(3);
 * const y = bn.forward(randn([16, 3])); // training: batch statistics
 * // each column now has mean ~0
 * assert.ok(y.mean(0).toFlatArray().every((m) => Math.abs(m) < 1e-5));
 * bn.eval();
 * // eval: normalises with bn.runningMean and bn.runningVar instead
 * assert.deepEqual(bn.forward(randn([2, 3])).shape, [2, 3]);
 * ```
 */
export class BatchNorm1d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new RangeError(
        `BatchNorm1d: numFeatures must be a positive integer, got ${numFeatures}`,
      );
    }
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    const dtype = options.dtype ?? "float32";
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(full([numFeatures], 1, { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    if (options.trackRunningStats ?? true) {
      // State-dict keys as in PyTorch, so that a BatchNorm's state carries over.
      this.registerBuffer("runningMean", zeros([numFeatures], { dtype }), "running_mean");
      this.registerBuffer("runningVar", full([numFeatures], 1, { dtype }), "running_var");
      this.registerBuffer("numBatchesTracked", zeros([], { dtype }), "num_batches_tracked");
    } else {
      this.runningMean = null;
      this.runningVar = null;
      this.numBatchesTracked = null;
    }
  }

  forward(input: Tensor): Tensor {
    if (input.ndim < 2 || input.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `BatchNorm1d: expected input [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], ` +
          `got [${input.shape.join(", ")}]`,
      );
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked !== null) {
      this.numBatchesTracked.data[0]! += 1;
      if (this.momentum === null) factor = 1 / this.numBatchesTracked.data[0]!;
    }
    const useBatchStats = this.training || this.runningMean === null;
    return batchNorm(input, {
      runningMean: useBatchStats && !this.training ? null : this.runningMean,
      runningVar: useBatchStats && !this.training ? null : this.runningVar,
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${
      this.weight !== null
    }, trackRunningStats=${this.runningMean !== null}`;
  }
}
