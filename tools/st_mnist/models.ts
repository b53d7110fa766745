/**
 * The networks of `tools/train_st_mnist.ts`: the classifier, the localization networks, the
 * spatial transformer and the ST-CNN built from them.
 *
 * @module
 */
import { affineGrid, gridSample, nn, Tensor } from "../../runtime/mod.ts";
import { CANVAS } from "./data.ts";

/** The classifier: conv 5x5 (c1) → pool → ReLU → conv 3x3 (c2) → pool → ReLU → linear. */
export function makeClassifier(size: number, c1: number, c2: number): nn.Sequential {
  const side1 = Math.floor((size - 4) / 2);
  const side2 = Math.floor((side1 - 2) / 2);
  return new nn.Sequential(
    new nn.Conv2d(1, c1, 5),
    new nn.MaxPool2d(2),
    new nn.ReLU(),
    new nn.Conv2d(c1, c2, 3),
    new nn.MaxPool2d(2),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(c2 * side2 * side2, 10),
  );
}

/**
 * How θ is parametrised: "affine" reads six outputs as the 2x3 matrix; "similarity" reads four,
 * (a, b, tx, ty), as θ = [[a, −b, tx], [b, a, ty]]: a rotation by atan2(b, a) and a scale by
 * √(a² + b²), with a shift and no shear.
 */
export type Parametrisation = "affine" | "similarity";

const SIMILARITY_TO_AFFINE = new Tensor(
  Float32Array.from([1, 0, 0, 0, 1, 0, 0, -1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
  [4, 6],
);

/** The localization network: avg-pool 2 → conv 5x5 (8) → max-pool 2 → ReLU → 512 → 16 → θ. */
export function makeLocalization(parametrisation: Parametrisation): nn.Sequential {
  const outputs = parametrisation === "affine" ? 6 : 4;
  const last = new nn.Linear(16, outputs);
  last.weight.data.fill(0);
  last.bias!.data.set(parametrisation === "affine" ? [1, 0, 0, 0, 1, 0] : [1, 0, 0, 0]);
  return new nn.Sequential(
    new nn.AvgPool2d(2),
    new nn.Conv2d(1, 8, 5),
    new nn.MaxPool2d(2),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(8 * 8 * 8, 16),
    new nn.ReLU(),
    last,
  );
}

/**
 * A larger localization network, with two convolution layers to judge a digit's orientation:
 * avg-pool 2 → conv 5x5 (16) → max-pool 2 → ReLU → conv 3x3 (32) → max-pool 2 → ReLU → 288 →
 * 32 → θ (affine).
 */
export function makeLargeLocalization(): nn.Sequential {
  const last = new nn.Linear(32, 6);
  last.weight.data.fill(0);
  last.bias!.data.set([1, 0, 0, 0, 1, 0]);
  return new nn.Sequential(
    new nn.AvgPool2d(2),
    new nn.Conv2d(1, 16, 5),
    new nn.MaxPool2d(2),
    new nn.ReLU(),
    new nn.Conv2d(16, 32, 3),
    new nn.MaxPool2d(2),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(32 * 3 * 3, 32),
    new nn.ReLU(),
    last,
  );
}

/** A spatial transformer on `[N, C, H, W]` inputs with an output of the same size. */
export class SpatialTransformer extends nn.Module {
  constructor(public localization: nn.Module, public parametrisation: Parametrisation) {
    super();
  }
  theta(x: Tensor): Tensor {
    const out = this.localization.forward(x);
    const flat = this.parametrisation === "affine" ? out : out.matmul(SIMILARITY_TO_AFFINE);
    return flat.reshape(x.shape[0]!, 2, 3);
  }
  forward(x: Tensor): Tensor {
    return gridSample(x, affineGrid(this.theta(x), x.shape));
  }
}

/**
 * The ST-CNN: a spatial transformer followed by the classifier, as `Sequential(transformer,
 * classifier)` (the lesson builds it the same way, so the state-dict keys match).
 */
export function makeStCnn(parametrisation: Parametrisation): nn.Sequential {
  return new nn.Sequential(
    new SpatialTransformer(makeLocalization(parametrisation), parametrisation),
    makeClassifier(CANVAS, 8, 16),
  );
}

/** Number of trained values of a model. */
export function parameterCount(model: nn.Module): number {
  return model.parameters().reduce((n, p) => n + p.size, 0);
}

/** Widths of the CNN whose parameter count matches the ST-CNN's (within 10%). */
export const MATCHED_CNN = { c1: 10, c2: 28 };
