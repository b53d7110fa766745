/**
 * The study of `tools/train_st_mnist.ts`: its configuration, the committed files' names and
 * metadata, and how a run's chosen weights are measured and stored.
 *
 * @module
 */
import type { nn } from "../../runtime/mod.ts";
import { encodePretrained, type PretrainedMetadata } from "../../runtime/datasets/pretrained.ts";
import type { RtsSplit } from "./data.ts";
import { parameterCount } from "./models.ts";
import { angleCorrelation, buildModel, errorRate, type RunLog, type RunSettings } from "./train.ts";
import type { SpatialTransformer } from "./models.ts";

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
  // The previous recipe (st-affine, the localization net at the classifier's rate, 2 + 4 + 2
  // epochs) turned its grid on two seeds and collapsed on the third. This one was chosen on the
  // validation split's angle correlation after 10 epochs on seeds 1-3: st-affine with the
  // localization net at 1e-3 and a 4-epoch angle curriculum 0.60, 0.58, 0.51; the same with the
  // larger localization net 0.66, 0.65, 0.65 (st-similarity: 0.64 on seed 1); then trained longer.
  model: "st-large",
  lr: 2e-3,
  locLr: 1e-3,
  uprightEpochs: 3,
  frozenEpochs: 10,
  rampEpochs: 6,
  epochs: 16,
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
export async function store(
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
