/**
 * Data helpers: seeded shuffling, mini-batches over tensors (`DataLoader`), and a
 * train/validation split. Every random choice comes from a seeded {@link Generator}, so a lesson
 * that calls `seed(n)` first sees the same batches every run.
 *
 * @module
 */
import { tick } from "./core/interrupt.ts";
import { Generator, globalGenerator } from "./random.ts";
import { formatShape } from "./core/shape.ts";
import { allocate, Tensor } from "./tensor.ts";

/**
 * A random permutation of `0..n-1` (Fisher-Yates), from `generator` (default: the global one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Generator, shuffle } from "gradbook";
 * const p = shuffle(5, new Generator(0));
 * assert.deepEqual([...p].sort(), [0, 1, 2, 3, 4]); // a permutation
 * assert.deepEqual(shuffle(5, new Generator(0)), p); // same seed, same order
 * ```
 */
export function shuffle(n: number, generator: Generator = globalGenerator): number[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`shuffle: n must be a non-negative integer, got ${n}`);
  }
  return generator.permutation(n);
}

/**
 * The rows `indices` of `t` along its first dimension, as a new tensor (not tracked by autodiff).
 *
 * @param t Shape `[N, *rest]`.
 * @returns Shape `[indices.length, *rest]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectRows, tensor } from "gradbook";
 * assert.deepEqual(selectRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]).toArray(), [[5, 6], [1, 2]]);
 * ```
 */
export function selectRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  if (t.ndim === 0) throw new RangeError("selectRows: cannot index rows of a scalar tensor");
  const n = t.shape[0]!;
  const rowSize = n === 0 ? 0 : t.size / n;
  const out = allocate(t.dtype, indices.length * rowSize);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new RangeError(
        `selectRows: row ${r} is out of range for a tensor of shape ${formatShape(t.shape)}`,
      );
    }
    out.set(t.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

function checkSameLength(tensors: readonly Tensor[], op: string): number {
  if (tensors.length === 0) throw new RangeError(`${op}: expected at least one tensor`);
  const n = tensors[0]!.shape[0];
  for (const [i, t] of tensors.entries()) {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: item ${i} is not a Tensor`);
    if (t.ndim === 0 || t.shape[0] !== n) {
      throw new RangeError(
        `${op}: all tensors need the same first dimension; tensor 0 has shape ${
          formatShape(tensors[0]!.shape)
        } and tensor ${i} has shape ${formatShape(t.shape)}`,
      );
    }
  }
  return n!;
}

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions {
  /** Rows per batch (default 32). */
  batchSize?: number;
  /** Reshuffle the rows at the start of every pass (default false). */
  shuffle?: boolean;
  /** Skip a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Where shuffles come from (default: the global generator, so `seed(n)` fixes them). */
  generator?: Generator;
  /** Shortcut for `generator: new Generator(seed)`. */
  seed?: number;
}

/**
 * Mini-batches over tensors that share their first dimension (like PyTorch's `DataLoader` over a
 * `TensorDataset`). Iterating yields one array per batch with a slice of every tensor; each
 * pass reshuffles when `shuffle` is on. Checks for interrupts (`tick()`) before every batch.
 *
 * - Input tensors: `[N, ...]` each. Batches: `[batchSize, ...]` each (the last may be smaller).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataLoader, randn, randint } from "gradbook";
 * const x = randn([100, 2]);
 * const y = randint(0, 2, [100]);
 * const loader = new DataLoader([x, y], { batchSize: 32, shuffle: true, seed: 0 });
 * const rows: number[] = [];
 * for (const [xb, yb] of loader) {
 *   assert.equal(xb.shape[1], 2);
 *   assert.equal(yb.shape[0], xb.shape[0]);
 *   rows.push(xb.shape[0]!);
 * }
 * assert.equal(loader.length, 4);
 * assert.deepEqual(rows, [32, 32, 32, 4]);
 * ```
 */
export class DataLoader<T extends Tensor[] = Tensor[]> implements Iterable<T> {
  /** The tensors batched together; they share their first dimension. */
  readonly tensors: T;
  /** Rows per batch. */
  readonly batchSize: number;
  /** Whether each pass visits the rows in a new random order. */
  readonly shuffle: boolean;
  /** Whether a final batch smaller than `batchSize` is skipped. */
  readonly dropLast: boolean;
  /** The generator that orders the rows (seeded, so epochs are reproducible). */
  readonly generator: Generator;
  /** Number of rows. */
  readonly size: number;

  /**
   * Creates a loader over `tensors`.
   * @param tensors Tensors with the same first dimension, sliced into batches together.
   */
  constructor(tensors: [...T], options: DataLoaderOptions = {}) {
    this.size = checkSameLength(tensors, "DataLoader");
    this.tensors = tensors as T;
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize <= 0) {
      throw new RangeError(
        `DataLoader: batchSize must be a positive integer, got ${this.batchSize}`,
      );
    }
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ??
      (options.seed === undefined ? globalGenerator : new Generator(options.seed));
  }

  /** Number of batches per pass. */
  get length(): number {
    return this.dropLast
      ? Math.floor(this.size / this.batchSize)
      : Math.ceil(this.size / this.batchSize);
  }

  /** One pass over the data: yields one batch (one slice of every tensor) at a time. */
  *[Symbol.iterator](): Iterator<T> {
    const order = this.shuffle
      ? this.generator.permutation(this.size)
      : Array.from({ length: this.size }, (_, i) => i);
    for (let b = 0; b < this.length; b++) {
      tick();
      const rows = order.slice(b * this.batchSize, (b + 1) * this.batchSize);
      yield this.tensors.map((t) => selectRows(t, rows)) as T;
    }
  }
}

/** Options of {@link trainValSplit}. */
export interface TrainValSplitOptions {
  /** Fraction of rows for validation, in [0, 1] (default 0.2); rounded down to whole rows. */
  valFraction?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Where the shuffle comes from (default: the global generator). */
  generator?: Generator;
  /** Shortcut for `generator: new Generator(seed)`. */
  seed?: number;
}

/**
 * Splits tensors that share their first dimension into training and validation rows, after a
 * seeded shuffle. The same rows go to the same side in every tensor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randn, randint, trainValSplit } from "gradbook";
 * const x = randn([100, 2]);
 * const y = randint(0, 2, [100]);
 * const { train, val } = trainValSplit([x, y], { valFraction: 0.2, seed: 0 });
 * const [xTrain, yTrain] = train;
 * const [xVal, yVal] = val;
 * assert.deepEqual(xTrain.shape, [80, 2]);
 * assert.deepEqual(yTrain.shape, [80]);
 * assert.deepEqual(xVal.shape, [20, 2]);
 * assert.deepEqual(yVal.shape, [20]);
 * ```
 */
export function trainValSplit<T extends Tensor[]>(
  tensors: [...T],
  options: TrainValSplitOptions = {},
): { train: T; val: T } {
  const n = checkSameLength(tensors, "trainValSplit");
  const valFraction = options.valFraction ?? 0.2;
  if (!(valFraction >= 0 && valFraction <= 1)) {
    throw new RangeError(`trainValSplit: valFraction must be in [0, 1], got ${valFraction}`);
  }
  const generator = options.generator ??
    (options.seed === undefined ? globalGenerator : new Generator(options.seed));
  const order = (options.shuffle ?? true)
    ? generator.permutation(n)
    : Array.from({ length: n }, (_, i) => i);
  const nVal = Math.floor(n * valFraction);
  const trainRows = order.slice(0, n - nVal);
  const valRows = order.slice(n - nVal);
  return {
    train: tensors.map((t) => selectRows(t, trainRows)) as T,
    val: tensors.map((t) => selectRows(t, valRows)) as T,
  };
}
