/**
 * Trains lesson 3's pre-trained spatial-transformer networks on RTS-MNIST (digits rotated by up
 * to ±45°, scaled by 0.7-1.2 and shifted by up to 6 pixels on a 42x42 canvas, as in Jaderberg et
 * al. 2015, Table 1) and writes them to `runtime/datasets/pretrained/st_cnn_rts_mnist.{json,bin}`.
 *
 *     deno task train:st            # the full run that produced the committed files
 *     deno task train:st --quick    # two epochs per run, to try a change
 *
 * The study, in three steps, every choice made on a validation split and never on the test split:
 * 1. **Settings.** For each network (a CNN, and an ST-CNN with the same number of parameters
 *    within 10%), each learning rate in the grid is trained once on the selection seed; the
 *    learning rate and the epoch with the lowest validation error are kept.
 * 2. **Matched comparison.** Each network is trained with its chosen settings on three further
 *    seeds (initial weights, batch order); the weights of the chosen epoch are stored, and their
 *    test error is measured once.
 * 3. **Upright outputs.** An ST-CNN of the same architecture is trained in three stages on the
 *    same digits and seeds: its classifier first learns the training digits in their standard
 *    pose (upright, centred, undistorted), which fixes what "upright" means; then only the
 *    transformer trains, on the RTS digits, with the classifier frozen; then both train together.
 *    The transformer never sees a pose: it learns from the class labels alone. The lesson shows
 *    its outputs, and measures how well θ's rotation follows each digit's angle. (It is not
 *    robust: on one seed the grid leaves the image in the frozen stage and never comes back.
 *    `--pilot` tries other settings: `--ramp N` grows the angles over N epochs, `--upright N` and
 *    `--frozen N` set the stages, `--loclr` the transformer's learning rate, `--model st-large` a
 *    larger localization network, `--model st-similarity` a rotation-scale-shift θ.)
 *
 * @module
 */
import {
  affineGrid,
  Generator,
  gridSample,
  nn,
  noGrad,
  optim,
  seed,
  selectRows,
  shuffle,
  Tensor,
} from "../runtime/mod.ts";
import { loadMnist } from "../runtime/datasets/mnist.ts";
import {
  encodePretrained,
  PRETRAINED_DIR,
  type PretrainedMetadata,
} from "../runtime/datasets/pretrained.ts";

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

/** Widths of the CNN whose parameter count matches the ST-CNN's (within 10%). */
export const MATCHED_CNN = { c1: 10, c2: 28 };

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

/** One run from the command line, to try settings: `--pilot --model st-affine --lr 0.002`. */
async function pilot(): Promise<void> {
  const args = Deno.args;
  const flag = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const data = await loadRtsMnist(0);
  const settings: RunSettings = {
    model: (flag("model") ?? "st-similarity") as RunSettings["model"],
    lr: Number(flag("lr") ?? 2e-3),
    locLr: flag("loclr") === undefined ? undefined : Number(flag("loclr")),
    epochs: Number(flag("epochs") ?? 8),
    seed: Number(flag("seed") ?? 0),
    rampEpochs: Number(flag("ramp") ?? 0),
    uprightEpochs: Number(flag("upright") ?? 0),
    frozenEpochs: Number(flag("frozen") ?? 0),
  };
  console.log(`parameters: ${parameterCount(buildModel(settings))}`);
  trainRun(data, settings, console.log);
}

/** Runs `runs` on a pool of `workers` workers; returns the results in the order of `runs`. */
export async function runPool(
  runs: RunSettings[],
  workers: number,
  onProgress: (line: string) => void = () => {},
): Promise<{ best: nn.StateDict; log: RunLog }[]> {
  const results: { best: nn.StateDict; log: RunLog }[] = new Array(runs.length);
  let next = 0;
  const startWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL("./train_st_mnist_worker.ts", import.meta.url), {
        type: "module",
      });
      let current = -1;
      const give = () => {
        if (next >= runs.length) {
          worker.terminate();
          resolve();
          return;
        }
        current = next++;
        worker.postMessage(runs[current]);
      };
      worker.onmessage = (event) => {
        if (event.data !== "ready") {
          results[current] = event.data;
          onProgress(`done: ${JSON.stringify(runs[current])}`);
        }
        give();
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(`a training worker failed: ${event.message}`));
      };
    });
  await Promise.all(Array.from({ length: Math.min(workers, runs.length) }, startWorker));
  return results;
}

/** The study's configuration. */
export const ST_STUDY = {
  dataSeed: 0,
  /** Seed of the runs that choose the settings. */
  selectionSeed: 0,
  /** Seeds of the runs whose test errors are reported. */
  testSeeds: [1, 2, 3],
  learningRates: [1e-3, 3e-3],
  epochs: 6,
};

/** The upright ST-CNN's settings, trained on each of the study's test seeds. */
export const UPRIGHT_RUN: Omit<RunSettings, "seed"> = {
  model: "st-affine",
  lr: 2e-3,
  uprightEpochs: 2,
  frozenEpochs: 4,
  epochs: 6,
};

/** Names of the committed files in `runtime/datasets/pretrained/`: the comparison, the upright ST-CNNs. */
export const ST_NAMES = { comparison: "st_cnn_rts_mnist", upright: "st_upright_rts_mnist" };

/** A stored model: which run produced it, and the figures measured on its float16 weights. */
export interface StoredModel {
  /** Prefix of its tensors in the state dict, e.g. `cnn.seed1.`. */
  prefix: string;
  settings: RunSettings;
  parameters: number;
  bestEpoch: number;
  validationError: number[];
  firstLosses: number[];
  testError: number;
  /** ST-CNNs only: correlation of θ's rotation with the digits' angles on the test split. */
  angleCorrelation?: number;
}

/** Metadata of either committed file. */
export interface StMetadata extends PretrainedMetadata {
  dataSeed: number;
  /** The comparison only: the settings tried on the validation split, and the chosen ones. */
  study?: typeof ST_STUDY;
  selection?: { settings: RunSettings; validationError: number[] }[];
  chosen?: { cnn: number; st: number };
  /** The upright file only: its settings. */
  upright?: Omit<RunSettings, "seed">;
  models: StoredModel[];
  seconds: number;
}

/** Rounds every value of a state dict to float16, as the stored files will hold them. */
export function roundStateDict(state: nn.StateDict): nn.StateDict {
  return Object.fromEntries(
    Object.entries(state).map(([k, t]) => [k, { ...t, data: t.data.map((v) => Math.f16round(v)) }]),
  );
}

/** The stored models' figures: parameters, test error and angle correlation of `state`. */
export function measureStored(
  settings: RunSettings,
  state: nn.StateDict,
  test: RtsSplit,
): { parameters: number; testError: number; angleCorrelation?: number } {
  const model = buildModel(settings);
  model.loadStateDict(state);
  const figures: { parameters: number; testError: number; angleCorrelation?: number } = {
    parameters: parameterCount(model),
    testError: errorRate(model, test.x, test.labels),
  };
  if (settings.model !== "cnn") {
    figures.angleCorrelation = angleCorrelation(
      (model as nn.Sequential).at(0) as SpatialTransformer,
      test,
    );
  }
  return figures;
}

/** Rounds the runs' chosen weights to float16, measures them, and writes one pre-trained file. */
async function store(
  name: string,
  runs: { best: nn.StateDict; log: RunLog }[],
  prefixes: string[],
  test: RtsSplit,
  metadata: Omit<StMetadata, "models" | "producedBy">,
  outDir: string,
  log: (line: string) => void,
): Promise<void> {
  const stateDict: nn.StateDict = {};
  const models: StoredModel[] = runs.map(({ best, log: runLog }, k) => {
    const prefix = prefixes[k]!;
    const rounded = roundStateDict(best);
    for (const [key, t] of Object.entries(rounded)) stateDict[prefix + key] = t;
    const stored: StoredModel = {
      prefix,
      settings: runLog.settings,
      bestEpoch: runLog.bestEpoch,
      validationError: runLog.validationError,
      firstLosses: runLog.firstLosses,
      ...measureStored(runLog.settings, rounded, test),
    };
    log(`${prefix} test error ${stored.testError}%, angle correlation ${stored.angleCorrelation}`);
    return stored;
  });
  const { json, bin } = encodePretrained(stateDict, {
    producedBy: "tools/train_st_mnist.ts",
    ...metadata,
    models,
  });
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(`${outDir}/${name}.json`, json + "\n");
  await Deno.writeFile(`${outDir}/${name}.bin`, bin);
  log(`wrote ${outDir}/${name}.{json,bin}`);
}

async function main(): Promise<void> {
  const args = Deno.args;
  const flag = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const workers = Number(flag("workers") ?? 2);
  const outDir = flag("out") ?? PRETRAINED_DIR;
  const part = flag("part") ?? "all";
  const quick = args.includes("--quick");
  // --quick: two epochs of 5 steps per run, to try the whole script in a minute.
  const study = quick ? { ...ST_STUDY, epochs: 2 } : ST_STUDY;
  const upright = quick
    ? { ...UPRIGHT_RUN, epochs: 2, uprightEpochs: 1, frozenEpochs: 1 }
    : UPRIGHT_RUN;
  const limit = quick ? { maxSteps: 5 } : {};
  const started = performance.now();
  const data = await loadRtsMnist(study.dataSeed);
  const log = (line: string) =>
    console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);

  const doComparison = part === "all" || part === "comparison";
  const doUpright = part === "all" || part === "upright";
  // 1. Settings, on the validation split; the upright runs need none, so they share the pool.
  const selectionRuns: RunSettings[] = doComparison
    ? (["cnn", "st-affine"] as const).flatMap((model) =>
      study.learningRates.map((lr) => ({
        model,
        lr,
        epochs: study.epochs,
        seed: study.selectionSeed,
        ...limit,
      }))
    )
    : [];
  const uprightRuns: RunSettings[] = doUpright
    ? study.testSeeds.map((seed) => ({ ...upright, seed, ...limit }))
    : [];
  const firstPool = await runPool([...selectionRuns, ...uprightRuns], workers, log);
  if (doUpright) {
    // 3. The upright ST-CNN on the test seeds.
    await store(
      ST_NAMES.upright,
      firstPool.slice(selectionRuns.length),
      uprightRuns.map((r) => `upright.seed${r.seed}.`),
      data.test,
      { dataSeed: study.dataSeed, upright, seconds: (performance.now() - started) / 1000 },
      outDir,
      log,
    );
  }
  if (!doComparison) return;
  const selected = firstPool.slice(0, selectionRuns.length);
  const bestOf = (model: string) => {
    const candidates = selected.filter((r) => r.log.settings.model === model);
    const score = (r: { log: RunLog }) => r.log.validationError[r.log.bestEpoch - 1]!;
    return candidates.reduce((a, b) => (score(b) < score(a) ? b : a)).log.settings.lr;
  };
  const chosen = { cnn: bestOf("cnn"), st: bestOf("st-affine") };
  log(`chosen learning rates: CNN ${chosen.cnn}, ST-CNN ${chosen.st}`);
  // 2. The matched comparison on the test seeds.
  const finalRuns: RunSettings[] = study.testSeeds.flatMap((seed) => [
    { model: "cnn" as const, lr: chosen.cnn, epochs: study.epochs, seed, ...limit },
    { model: "st-affine" as const, lr: chosen.st, epochs: study.epochs, seed, ...limit },
  ]);
  const finals = await runPool(finalRuns, workers, log);
  await store(
    ST_NAMES.comparison,
    finals,
    finalRuns.map((r) => `${r.model === "cnn" ? "cnn" : "st"}.seed${r.seed}.`),
    data.test,
    {
      dataSeed: study.dataSeed,
      study,
      selection: selected.map((r) => ({
        settings: r.log.settings,
        validationError: r.log.validationError,
      })),
      chosen,
      seconds: (performance.now() - started) / 1000,
    },
    outDir,
    log,
  );
}

if (import.meta.main) {
  if (Deno.args.includes("--pilot")) await pilot();
  else await main();
}
