/**
 * `Embedding`: a lookup table of learned vectors.
 *
 * @module
 */
import { type DType, type Tensor, zeros } from "../tensor.ts";
import { embedding } from "./functional.ts";
import { normal_ } from "./init.ts";
import { Module, Parameter } from "./module.ts";

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Index whose row stays zero and gets no gradient (e.g. a padding token). */
  paddingIdx?: number;
  /** Weight dtype (default "float32"). */
  dtype?: DType;
}

/**
 * Maps integer indices to rows of `weight`, initialised from $\mathcal N(0, 1)$. The gradient is
 * added into the rows that were looked up (a row used twice gets both contributions).
 *
 * - Input: integer indices of any shape `[*]` (a tensor or nested arrays).
 * - Output: `[*, embeddingDim]`.
 * - `weight`: `[numEmbeddings, embeddingDim]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn } from "gradbook";
 * const emb = new nn.Embedding(10, 4);
 * assert.deepEqual(emb.forward([[1, 2, 3], [4, 5, 6]]).shape, [2, 3, 4]);
 * ```
 */
export class Embedding extends Module<[Tensor | number[] | number[][]], Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let paddingIdx = options.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
      if (!Number.isInteger(paddingIdx) || paddingIdx < 0 || paddingIdx >= numEmbeddings) {
        throw new RangeError(
          `Embedding: paddingIdx ${options.paddingIdx} is out of range for ${numEmbeddings} embeddings`,
        );
      }
    }
    this.paddingIdx = paddingIdx;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: options.dtype }));
    normal_(this.weight);
    if (paddingIdx !== null) {
      this.weight.data.fill(0, paddingIdx * embeddingDim, (paddingIdx + 1) * embeddingDim);
    }
  }

  forward(indices: Tensor | number[] | number[][]): Tensor {
    return embedding(indices, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${
      this.paddingIdx === null ? "" : `, paddingIdx=${this.paddingIdx}`
    }`;
  }
}
