/**
 * Trains lesson 3's pre-trained spatial-transformer networks on RTS-MNIST (digits rotated by up
 * to ±45°, scaled by 0.7-1.2 and shifted by up to 6 pixels on a 42x42 canvas, as in Jaderberg et
 * al. 2015, Table 1) and writes them to `runtime/datasets/pretrained/`.
 *
 *     deno task train:st                   # the full run that produced the committed files
 *     deno task train:st --part upright    # only step 3 (18 minutes on two busy cores)
 *     deno task train:st --quick    # two epochs per run, to try a change
 *
 * The study, in three steps, every choice made on a validation split and never on the test split:
 * 1. **Settings.** For each network (a CNN, and an ST-CNN with the same number of parameters
 *    within 10%), each learning rate in the grid is trained once on the selection seed; the
 *    learning rate and the epoch with the lowest validation error are kept.
 * 2. **Matched comparison.** Each network is trained with its chosen settings on three further
 *    seeds (initial weights, batch order); the weights of the chosen epoch are stored, and their
 *    test error is measured once.
 * 3. **Upright outputs.** An ST-CNN with a larger localization network (`st-large`) is trained in
 *    three stages on the same digits and seeds, and written to `st_upright_rts_mnist.{json,bin}`:
 *    its classifier first learns the training digits in their standard pose (upright, centred,
 *    undistorted), which fixes what "upright" means; then only the transformer trains, on the RTS
 *    digits, with the classifier frozen and the angles growing to their full range over the first
 *    epochs (a curriculum); then both train together. The localization network learns at half the
 *    classifier's rate, starts at the identity, and the epoch with the lowest validation error is
 *    kept. The transformer never sees a pose: it learns from the class labels alone. The lesson
 *    shows its outputs, and measures how well θ's rotation follows each digit's angle.
 *    `UPRIGHT_RUN` records how its settings were chosen (on the validation split, over three
 *    seeds). `--pilot` tries one run with other settings: `--ramp N` grows the angles over N
 *    epochs, `--upright N` and `--frozen N` set the stages, `--loclr` the transformer's learning
 *    rate, `--model st-affine | st-large | st-similarity` the network.
 *
 * @module
 */
import { PRETRAINED_DIR } from "../runtime/datasets/pretrained.ts";
import { loadRtsMnist } from "./st_mnist/data.ts";
import { runPool } from "./st_mnist/pool.ts";
import { ST_NAMES, ST_STUDY, store, UPRIGHT_RUN } from "./st_mnist/study.ts";
import { buildModel, type RunLog, type RunSettings, trainRun } from "./st_mnist/train.ts";
import { parameterCount } from "./st_mnist/models.ts";

export * from "./st_mnist/data.ts";
export * from "./st_mnist/models.ts";
export * from "./st_mnist/pool.ts";
export * from "./st_mnist/study.ts";
export * from "./st_mnist/train.ts";

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
