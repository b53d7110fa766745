/**
 * The RTS-MNIST data of `tools/train_st_mnist.ts`: MNIST digits rotated, scaled and shifted on a
 * 42x42 canvas (Jaderberg et al. 2015, Table 1), split into training, validation and test digits.
 *
 * @module
 */
import {
  affineGrid,
  Generator,
  gridSample,
  noGrad,
  selectRows,
  Tensor,
} from "../../runtime/mod.ts";
import { loadMnist } from "../../runtime/datasets/mnist.ts";

/** Side of the RTS canvas in pixels. */
export const CANVAS = 42;

/** A digit's pose: angle in degrees, scale, shift in normalised canvas coordinates. */
export interface Pose {
  angle: number;
  scale: number;
  tx: number;
  ty: number;
}

/** Draws flat 28x28 digits `[N, 784]` in the given poses on a `canvas` x `canvas` canvas. */
export function placeDigits(images: Tensor, poses: Pose[], canvas: number): Tensor {
  const n = poses.length;
  const theta = new Float32Array(n * 6);
  poses.forEach(({ angle, scale, tx, ty }, i) => {
    const k = canvas / 28 / scale;
    const c = k * Math.cos(angle * Math.PI / 180);
    const s = k * Math.sin(angle * Math.PI / 180);
    theta.set([c, s, -(c * tx + s * ty), -s, c, -(-s * tx + c * ty)], i * 6);
  });
  return noGrad(() =>
    gridSample(
      images.reshape(n, 1, 28, 28),
      affineGrid(new Tensor(theta, [n, 2, 3]), [n, 1, canvas, canvas]),
    )
  );
}

/** Random RTS poses: angle ±45°, scale 0.7-1.2, shift up to 6 pixels each way. */
export function rtsPoses(count: number, generator: Generator): Pose[] {
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * generator.random();
  const maxShift = 6 / (CANVAS / 2);
  return Array.from({ length: count }, () => ({
    angle: uniform(-45, 45),
    scale: uniform(0.7, 1.2),
    tx: uniform(-maxShift, maxShift),
    ty: uniform(-maxShift, maxShift),
  }));
}

/** One split of RTS digits. */
export interface RtsSplit {
  /** The digits as drawn, `[N, 1, 42, 42]`. */
  x: Tensor;
  /** The same digits upright, flat 28x28 `[N, 784]`. */
  images: Tensor;
  labels: number[];
  poses: Pose[];
}

/**
 * The study's data: MNIST split with `loadMnist({ train: 6000, test: 2000, seed: dataSeed })`; the
 * first 5000 training digits train, the last 1000 validate; poses drawn in that order (train,
 * validation, test) from `new Generator(dataSeed)`.
 */
export async function loadRtsMnist(
  dataSeed: number,
): Promise<{ train: RtsSplit; validation: RtsSplit; test: RtsSplit }> {
  const mnist = await loadMnist({ train: 6000, test: 2000, seed: dataSeed });
  const generator = new Generator(dataSeed);
  const split = (images: Tensor, labels: number[]): RtsSplit => {
    const poses = rtsPoses(labels.length, generator);
    return { x: placeDigits(images, poses, CANVAS), images, labels, poses };
  };
  const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  return {
    train: split(
      selectRows(mnist.train.images, rows(0, 5000)),
      mnist.train.labelList.slice(0, 5000),
    ),
    validation: split(
      selectRows(mnist.train.images, rows(5000, 6000)),
      mnist.train.labelList.slice(5000),
    ),
    test: split(mnist.test.images, mnist.test.labelList),
  };
}
