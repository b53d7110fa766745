/**
 * One training run of `tools/train_st_mnist.ts` (its settings, the seeded model it builds, the
 * staged and curriculum schedules) and the two measures it logs: error rate and angle correlation.
 *
 * @module
 */
import { nn, noGrad, optim, seed, selectRows, shuffle, type Tensor } from "../../runtime/mod.ts";
import { CANVAS, placeDigits, type RtsSplit } from "./data.ts";
import {
  makeClassifier,
  makeLargeLocalization,
  makeStCnn,
  MATCHED_CNN,
  SpatialTransformer,
} from "./models.ts";

/** Percentage of `x` the model misclassifies. */
export function errorRate(model: nn.Module, x: Tensor, labels: number[]): number {
  let wrong = 0;
  noGrad(() => {
    for (let start = 0; start < labels.length; start += 250) {
      const rows = Array.from(
        { length: Math.min(250, labels.length - start) },
        (_, i) => start + i,
      );
      const predicted = model.forward(selectRows(x, rows)).argmax(1).data;
      rows.forEach((r, i) => {
        if (predicted[i] !== labels[r]) wrong++;
      });
    }
  });
  return 100 * wrong / labels.length;
}

/** Pearson correlation between the rotation in θ (degrees) and the digits' true angles. */
export function angleCorrelation(transformer: SpatialTransformer, split: RtsSplit): number {
  const thetas = noGrad(() => transformer.theta(split.x)).data;
  const recovered = split.poses.map((_, i) => {
    const [a, b, , c, d] = thetas.subarray(6 * i, 6 * i + 6);
    return Math.atan2(c! - b!, a! + d!) * 180 / Math.PI;
  });
  const truth = split.poses.map((p) => p.angle);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [mr, mt] = [mean(recovered), mean(truth)];
  const cov = mean(recovered.map((r, i) => (r - mr) * (truth[i]! - mt)));
  const sd = (v: number[], m: number) => Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
  return cov / (sd(recovered, mr) * sd(truth, mt));
}

/** A training run's settings. */
export interface RunSettings {
  /** "st-large": an affine ST-CNN with the larger localization network. */
  model: "cnn" | "st-affine" | "st-similarity" | "st-large";
  lr: number;
  /** Learning rate of the localization network (the ST-CNNs only); defaults to `lr`. */
  locLr?: number;
  epochs: number;
  seed: number;
  /**
   * Curriculum: over the first `rampEpochs` epochs every training digit's angle is scaled by
   * epoch / rampEpochs (0 or absent: no curriculum, the full angles from the start).
   */
  rampEpochs?: number;
  /** Epochs the classifier first trains alone on the digits upright and centred (ST-CNNs). */
  uprightEpochs?: number;
  /** Epochs, after those, in which only the transformer trains (the classifier frozen). */
  frozenEpochs?: number;
  /** Stops after this many steps (only for trying the script quickly; absent in real runs). */
  maxSteps?: number;
}

/** What a run records: validation error per epoch, and the chosen (lowest-validation) epoch. */
export interface RunLog {
  settings: RunSettings;
  validationError: number[];
  bestEpoch: number;
  firstLosses: number[];
  seconds: number;
}

/** Builds the model a run trains, seeded. */
export function buildModel(settings: RunSettings): nn.Module {
  seed(settings.seed);
  return settings.model === "cnn"
    ? makeClassifier(CANVAS, MATCHED_CNN.c1, MATCHED_CNN.c2)
    : settings.model === "st-large"
    ? new nn.Sequential(
      new SpatialTransformer(makeLargeLocalization(), "affine"),
      makeClassifier(CANVAS, 8, 16),
    )
    : makeStCnn(settings.model === "st-affine" ? "affine" : "similarity");
}

/**
 * Trains one model with Adam (batch 32) and keeps the state of the epoch with the lowest
 * validation error.
 */
export function trainRun(
  data: { train: RtsSplit; validation: RtsSplit },
  settings: RunSettings,
  onProgress: (line: string) => void = () => {},
): { model: nn.Module; best: nn.StateDict; log: RunLog } {
  const maxSteps = settings.maxSteps ?? Infinity;
  const model = buildModel(settings);
  const locLr = settings.locLr ?? settings.lr;
  const transformer = settings.model === "cnn"
    ? null
    : (model as nn.Sequential).at(0) as SpatialTransformer;
  const classifier = transformer === null ? model : (model as nn.Sequential).at(1);
  const classifierOptimizer = new optim.Adam(classifier.parameters(), { lr: settings.lr });
  const locOptimizer = transformer === null
    ? null
    : new optim.Adam(transformer.parameters(), { lr: locLr });
  if (settings.uprightEpochs) {
    const uprightX = placeDigits(
      data.train.images,
      data.train.poses.map(() => ({ angle: 0, scale: 1, tx: 0, ty: 0 })),
      CANVAS,
    );
    for (let epoch = 0; epoch < settings.uprightEpochs; epoch++) {
      const order = shuffle(data.train.labels.length);
      for (let start = 0; start + 32 <= order.length; start += 32) {
        const rows = order.slice(start, start + 32);
        classifierOptimizer.zeroGrad();
        nn.F.crossEntropy(
          classifier.forward(selectRows(uprightX, rows)),
          rows.map((r) => data.train.labels[r]!),
        ).backward();
        classifierOptimizer.step();
      }
    }
  }
  const log: RunLog = { settings, validationError: [], bestEpoch: 0, firstLosses: [], seconds: 0 };
  let best = model.stateDict();
  const started = performance.now();
  const { labels } = data.train;
  let steps = 0;
  for (let epoch = 1; epoch <= settings.epochs && steps < maxSteps; epoch++) {
    const ramp = settings.rampEpochs ? Math.min(1, epoch / settings.rampEpochs) : 1;
    const x = ramp === 1 ? data.train.x : placeDigits(
      data.train.images,
      data.train.poses.map((p) => ({ ...p, angle: ramp * p.angle })),
      CANVAS,
    );
    const order = shuffle(labels.length);
    for (let start = 0; start + 32 <= order.length && steps < maxSteps; start += 32, steps++) {
      const rows = order.slice(start, start + 32);
      classifierOptimizer.zeroGrad();
      locOptimizer?.zeroGrad();
      const loss = nn.F.crossEntropy(
        model.forward(selectRows(x, rows)),
        rows.map((r) => labels[r]!),
      );
      loss.backward();
      if (epoch > (settings.frozenEpochs ?? 0)) classifierOptimizer.step();
      locOptimizer?.step();
      if (log.firstLosses.length < 3) log.firstLosses.push(loss.item());
    }
    const error = errorRate(model, data.validation.x, data.validation.labels);
    log.validationError.push(error);
    if (error < (log.validationError[log.bestEpoch - 1] ?? Infinity)) {
      log.bestEpoch = epoch;
      best = model.stateDict();
    }
    const extra = transformer !== null
      ? `, angle correlation ${angleCorrelation(transformer, data.validation).toFixed(2)}`
      : "";
    onProgress(
      `${settings.model} lr ${settings.lr} seed ${settings.seed} epoch ${epoch}: ` +
        `validation error ${error.toFixed(1)}%${extra}, ${
          ((performance.now() - started) / 1000).toFixed(0)
        } s`,
    );
  }
  log.seconds = (performance.now() - started) / 1000;
  return { model, best, log };
}
