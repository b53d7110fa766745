/**
 * Runs lesson 2 (generalization) once, headless, and checks that every claim its prose makes is
 * what its cells measured (via their `RESULT` lines) and that its exercises are sound. The lesson's
 * run time is measured by the bench, not here.
 *
 * @module
 */
import { assert } from "../assert.ts";
import { resultOf, runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

type Metrics = { trainAccuracy: number; testAccuracy: number; testLoss: number };
type MeanStd = { mean: number; std: number };
type Summary = Record<string, { trainAccuracy: MeanStd; testAccuracy: MeanStd; testLoss: MeanStd }>;

Deno.test("lesson 2 reproduces its measured claims and validates its exercises", async (t) => {
  const run = await runLessonForTest("lessons/02-generalization.md");

  await t.step("polynomial fits underfit at low degree and overfit at degree 14", () => {
    const r = resultOf<Record<string, number>>(run, "poly-fit");
    assert(r.bestDegree! >= 3 && r.bestDegree! <= 8, `best degree ${r.bestDegree}`);
    assert(r.trainAtMax! < 1e-6, `degree 14 should interpolate; train MSE ${r.trainAtMax}`);
    assert(r.testAtMax! > 5 * r.testAtBest!, `test MSE ${r.testAtMax} at 14 vs ${r.testAtBest}`);
    assert(r.testAtZero! > 3 * r.testAtBest!, `test MSE ${r.testAtZero} at 0 vs ${r.testAtBest}`);
  });

  await t.step("bias² + variance + noise matches the measured test error", () => {
    const r = resultOf<{ maxRelativeGap: number; bias2: number[]; variance: number[] }>(
      run,
      "bias-variance",
    );
    assert(r.maxRelativeGap < 0.05, `largest relative gap ${r.maxRelativeGap}`);
    assert(r.bias2[1]! > 10 * r.bias2[3]!, `bias² ${r.bias2[1]} at 1 vs ${r.bias2[3]} at 3`);
    assert(r.variance[14]! > 10 * r.variance[3]!, `variance ${r.variance[14]} vs ${r.variance[3]}`);
    for (let d = 1; d < 14; d++) {
      assert(r.variance[d + 1]! > r.variance[d]!, `variance does not grow from ${d} to ${d + 1}`);
    }
  });

  await t.step("lines shatter 3 points but only 14 of 16 XOR labellings", () => {
    const r = resultOf<{ threePoints: number; fourPoints: number }>(run, "shattering");
    assert(r.threePoints === 8 && r.fourPoints === 14, JSON.stringify(r));
  });

  await t.step("an MLP memorises random labels, more slowly, and stays at chance on test", () => {
    const r = resultOf<Record<string, number>>(run, "random-labels");
    assert(r.randomTrainAccuracy! >= 0.95, `random-label train accuracy ${r.randomTrainAccuracy}`);
    assert(
      r.randomTestAccuracy! >= 0.05 && r.randomTestAccuracy! <= 0.16,
      `random-label test accuracy ${r.randomTestAccuracy}`,
    );
    assert(r.trueTrainAccuracy! >= 0.99, `true-label train accuracy ${r.trueTrainAccuracy}`);
    assert(r.trueTestAccuracy! >= 0.75, `true-label test accuracy ${r.trueTestAccuracy}`);
    assert(
      r.epochsTo95Random! > 2 * r.epochsTo95True!,
      `epochs to 95%: random ${r.epochsTo95Random}, true ${r.epochsTo95True}`,
    );
    // About one in ten shuffled labels is still right (the prose says so, nothing more).
    assert(r.labelsStillRight! > 0.05 && r.labelsStillRight! < 0.15, JSON.stringify(r));
  });

  await t.step("weight decay rescues the degree-14 fit and too much of it underfits", () => {
    const r = resultOf<Record<string, number>>(run, "ridge");
    assert(r.testAtBest! < r.testAtZero! / 10, `ridge ${r.testAtBest} vs ${r.testAtZero}`);
    assert(r.testAtLargest! > 1.5 * r.testAtBest!, `λ = 10 gives ${r.testAtLargest}`);
    assert(r.normAtBest! < r.normAtZero!, `‖w‖ ${r.normAtBest} vs ${r.normAtZero}`);
  });

  await t.step("proximal L1 gives exact zeros, subgradient L1 only near-zeros", () => {
    type Row = Record<string, number>;
    const r = resultOf<Record<string, Row>>(run, "l1-sparsity");
    const [none, l2, sub, prox] = ["none", "L2", "L1 subgradient", "L1 proximal"].map((k) => r[k]!);
    assert(none!["exact zeros"] === 0 && l2!["exact zeros"] === 0, JSON.stringify(r));
    assert(sub!["exact zeros"]! <= 2, `subgradient exact zeros ${sub!["exact zeros"]}`);
    assert(sub!["|w| < 1e-3"]! >= 10, `subgradient near-zeros ${sub!["|w| < 1e-3"]}`);
    assert(sub!["largest irrelevant |w|"]! < 0.01, JSON.stringify(sub));
    assert(prox!["exact zeros"]! >= 35, `proximal exact zeros ${prox!["exact zeros"]}`);
    assert(prox!["test MSE"]! < none!["test MSE"]! / 10, JSON.stringify(r));
    assert(sub!["test MSE"]! < l2!["test MSE"]! / 10, JSON.stringify(r));
  });

  await t.step(
    "dropout keeps the mean in train mode by scaling, and is the identity in eval",
    () => {
      const r = resultOf<Record<string, number>>(run, "dropout");
      assert(Math.abs(r.fractionZero! - 0.5) < 0.01, `fraction zeroed ${r.fractionZero}`);
      assert(r.keptValue === 2 && Math.abs(r.trainMean! - 1) < 0.02, JSON.stringify(r));
      assert(r.evalMean === 1, `eval mean ${r.evalMean}`);
    },
  );

  await t.step(
    "the unregularised validation loss is U-shaped and early stopping lowers test loss",
    () => {
      const r = resultOf<
        { bestEpoch: number; minValLoss: number; finalValLoss: number; final: Metrics } & {
          earlyStopped: Metrics;
          stopEpoch: number;
        }
      >(run, "early-stopping");
      assert(r.bestEpoch >= 3 && r.bestEpoch <= 15, `best epoch ${r.bestEpoch}`);
      assert(r.finalValLoss > 1.1 * r.minValLoss, `val loss ${r.minValLoss} -> ${r.finalValLoss}`);
      assert(r.earlyStopped.testLoss < r.final.testLoss, JSON.stringify(r));
      assert(r.earlyStopped.testAccuracy <= r.final.testAccuracy + 0.01, JSON.stringify(r));
    },
  );

  await t.step("augmentation keeps the validation loss falling", () => {
    const r = resultOf<{ plainValLoss: number[]; augmentedValLoss: number[]; augmented: Metrics }>(
      run,
      "augmentation",
    );
    const a = r.augmentedValLoss;
    assert(a.indexOf(Math.min(...a)) >= 14, `augmented val loss ${a}`);
    assert(a.at(-1)! < r.plainValLoss.at(-1)!, `final val loss ${a.at(-1)}`);
    assert(r.augmented.trainAccuracy < 0.99, `augmented train acc ${r.augmented.trainAccuracy}`);
  });

  await t.step(
    "batch norm normalises with batch stats in training and running stats in eval",
    () => {
      const r = resultOf<Record<string, number[] | number>>(run, "batchnorm-stats");
      const close = (a: number[], b: number[], tol: number) =>
        a.every((v, i) => Math.abs(v - b[i]!) <= tol);
      assert(close(r.batchOutputMean as number[], [0, 0, 0], 1e-4), JSON.stringify(r));
      assert(close(r.batchOutputVar as number[], [1, 1, 1], 1e-3), JSON.stringify(r));
      assert(close(r.runningMean as number[], [5, -2, 0], 0.4), JSON.stringify(r));
      assert(close(r.runningVar as number[], [1, 4, 9], 1.5), JSON.stringify(r));
      assert((r.trainModeDifference as number) > 0.05 && r.evalModeDifference === 0);
    },
  );

  await t.step("batch norm trains faster", () => {
    const r = resultOf<Record<string, number>>(run, "batchnorm-training");
    assert(r.batchNormFirstEpochLoss! < r.plainFirstEpochLoss! - 0.3, JSON.stringify(r));
    assert(
      r.batchNormEpochsTo01! > 0 && r.batchNormEpochsTo01! < r.plainEpochsTo01!,
      JSON.stringify(r),
    );
  });

  await t.step("the comparison table backs the lesson's reading of it", () => {
    const r = resultOf<{ seeds: number; summary: Summary }>(run, "comparison");
    const s = r.summary;
    assert(r.seeds >= 3, `${r.seeds} seeds`);
    const none = s["none"]!;
    assert(none.trainAccuracy.mean >= 0.99, `none train ${none.trainAccuracy.mean}`);
    assert(none.trainAccuracy.mean - none.testAccuracy.mean > 0.1, JSON.stringify(none));
    for (const [name, row] of Object.entries(s)) {
      if (name === "none") continue;
      assert(row.testLoss.mean < none.testLoss.mean, `${name} test loss ${row.testLoss.mean}`);
    }
    const best = Object.entries(s).sort((a, b) => b[1].testAccuracy.mean - a[1].testAccuracy.mean);
    assert(best[0]![0] === "batch norm", `highest test accuracy: ${best[0]![0]}`);
    const augmentation = s["augmentation"]!;
    const lowestLoss = Math.min(...Object.values(s).map((row) => row.testLoss.mean));
    assert(augmentation.testLoss.mean === lowestLoss, JSON.stringify(augmentation));
    assert(augmentation.trainAccuracy.mean < 0.99, JSON.stringify(augmentation));
    // Dropout's accuracy gain is not a finding: the gap is smaller than the seed-to-seed spread.
    const dropout = s["dropout (p = 0.3)"]!;
    const spread = Math.hypot(dropout.testAccuracy.std, none.testAccuracy.std) / Math.SQRT2;
    assert(
      Math.abs(dropout.testAccuracy.mean - none.testAccuracy.mean) < spread,
      JSON.stringify({ dropout, none }),
    );
    assert(
      Math.abs(s["L2 (weight decay 5e-3)"]!.testAccuracy.mean - none.testAccuracy.mean) < 0.02,
      JSON.stringify(s),
    );
    assert(s["early stopping"]!.testAccuracy.mean <= none.testAccuracy.mean, JSON.stringify(s));
  });

  await t.step("its exercises are sound (solutions pass, starters fail)", async () => {
    assert((await validateLessonExercises(run.lesson)) >= 6);
  });
});
