/**
 * Lesson 1 (optimization): runs the lesson once, then checks every result its prose relies on,
 * the Kingma & Ba (2015) Figure 2 ordering of mean training loss on MNIST for each of five seeds,
 * and the exercises. The lesson's run time is measured by the bench, not here.
 *
 * @module
 */
import { assert, assertEquals } from "../assert.ts";
import { resultOf, runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

const LESSON = "lessons/01-optimization.md";
/** Seeds (of five) where Adam also has the lowest final loss; the prose quotes this count. */
const FINAL_COUNT = 5;

interface CriticalPoint {
  x: number;
  y: number;
  f: number;
  eigenvalues: [number, number];
  kind: string;
}

interface MnistResult {
  seeds: number[];
  learningRates: Record<string, number>;
  meanLoss: Record<string, number[]>;
  finalLoss: Record<string, number[]>;
  seconds: number;
  adamLowestMean: number;
  adamLowestFinal: number;
}

Deno.test("the optimization lesson's results hold, and its exercises are sound", async (t) => {
  const run = await runLessonForTest(LESSON);

  await t.step("linear and logistic losses pass the midpoint test; the network's fails", () => {
    const c = resultOf<{
      linearViolations: number;
      logisticViolations: number;
      networkEnds: number[];
      networkMiddle: number;
    }>(run, "convexity");
    assertEquals(c.linearViolations, 0);
    assertEquals(c.logisticViolations, 0);
    const worstEnd = Math.max(...c.networkEnds);
    assert(
      c.networkMiddle > 2 * worstEnd + 0.01,
      `network loss halfway ${c.networkMiddle} is not clearly above the ends ${c.networkEnds}`,
    );
  });

  await t.step("the landscape has two minima and a saddle with mixed-sign eigenvalues", () => {
    const points = resultOf<CriticalPoint[]>(run, "critical-points");
    const saddles = points.filter((p) => p.eigenvalues[0] < 0 && p.eigenvalues[1] > 0);
    const minima = points.filter((p) => p.eigenvalues[0] > 0);
    assertEquals(saddles.length, 1, "saddles");
    assertEquals(minima.length, 2, "minima");
    assert(saddles[0]!.kind === "saddle", `the saddle is labelled ${saddles[0]!.kind}`);
    const [deep, shallow] = [...minima].sort((a, b) => a.f - b.f);
    assert(
      deep!.x < saddles[0]!.x && saddles[0]!.x < shallow!.x,
      "the deep minimum is on the left",
    );
  });

  await t.step("the mini-batch gradient error shrinks like 1/sqrt(b)", () => {
    const { batchSizes, errors } = resultOf<{ batchSizes: number[]; errors: number[] }>(
      run,
      "gradient-noise",
    );
    for (let k = 1; k < errors.length; k++) assert(errors[k]! < errors[k - 1]!, `errors ${errors}`);
    for (const [k, b] of batchSizes.entries()) {
      const ratio = errors[k]! * Math.sqrt(b) / errors[0]!;
      assert(ratio > 0.5 && ratio < 2, `error at b = ${b} is ${ratio} times error(1)/sqrt(b)`);
    }
  });

  await t.step(
    "SGD escapes the shallow minimum in more seeds than GD, and leaves the saddle sooner",
    () => {
      const e = resultOf<{
        seeds: number;
        gdEscapes: number;
        sgdEscapes: number;
        gdSaddleSteps: number;
        sgdSaddleSteps: number;
      }>(run, "escape");
      assertEquals(e.gdEscapes, 0, "GD escapes");
      assert(e.sgdEscapes > e.gdEscapes, `SGD escaped in ${e.sgdEscapes} of ${e.seeds} seeds`);
      assert(
        e.sgdSaddleSteps * 5 < e.gdSaddleSteps,
        `steps to leave the saddle: SGD ${e.sgdSaddleSteps}, GD ${e.gdSaddleSteps}`,
      );
    },
  );

  await t.step("the from-scratch optimizers match optim.* to rounding", () => {
    const differences = resultOf<Record<string, number>>(run, "from-scratch");
    assertEquals(Object.keys(differences).sort(), [
      "AdaGrad",
      "Adam",
      "Nesterov",
      "RMSprop",
      "momentum",
    ]);
    for (const [name, diff] of Object.entries(differences)) {
      assert(diff < 1e-12, `${name} differs from optim by ${diff}`);
    }
  });

  await t.step(
    "Kingma & Ba (2015) Fig. 2: Adam's mean training loss is the lowest, in each of 5 seeds",
    () => {
      const m = resultOf<MnistResult>(run, "mnist-optimizers");
      assert(m.seeds.length >= 5, `${m.seeds.length} seeds`);
      for (const [k, seedValue] of m.seeds.entries()) {
        const mean = (name: string) => m.meanLoss[name]![k]!;
        for (const rival of ["SGD", "momentum", "AdaGrad", "RMSprop"]) {
          assert(
            mean("Adam") < mean(rival),
            `seed ${seedValue}: Adam's mean loss ${mean("Adam")} is not below ${rival}'s ${
              mean(rival)
            }`,
          );
        }
        for (const other of ["momentum", "AdaGrad", "RMSprop", "Adam"]) {
          assert(mean("SGD") > mean(other), `seed ${seedValue}: plain SGD is not last vs ${other}`);
        }
        // Every network learned something: chance-level cross-entropy is ln 10 ≈ 2.3.
        for (const name of Object.keys(m.finalLoss)) {
          const final = m.finalLoss[name]![k]!;
          assert(final < 0.5, `seed ${seedValue}: ${name} ended at ${final}`);
        }
      }
      // The prose quotes both counts; the final loss is the weaker, noisier measure.
      assertEquals(m.adamLowestMean, m.seeds.length, "seeds where Adam's mean loss is lowest");
      assertEquals(m.adamLowestFinal, FINAL_COUNT, "seeds where Adam's final loss is lowest");
    },
  );

  await t.step("learning rates: too small is slow, good converges, too large diverges", () => {
    const lr = resultOf<Record<string, number>>(run, "lr-effects");
    const small = lr["too small (0.005)"]!, good = lr["good (0.09)"]!;
    const large = lr["too large (0.105)"]!;
    assert(good < 1e-3, `good lr ended at ${good}`);
    assert(small > 100 * good, `small lr ended at ${small}`);
    assert(large > 10.5, `large lr ended at ${large}, below the starting loss 10.5`);
  });

  await t.step("a schedule ends far below the constant large rate's noise floor", () => {
    const s = resultOf<Record<string, number>>(run, "schedule");
    for (const name of ["cosine", "step"]) {
      assert(s[name]! * 5 < s["constant, large"]!, `${name} ${s[name]} vs ${JSON.stringify(s)}`);
      assert(s[name]! < s["constant, small"]!, `${name} ${s[name]} vs ${JSON.stringify(s)}`);
    }
  });

  await t.step("its exercises' solutions pass and their starters fail", async () => {
    assert((await validateLessonExercises(run.lesson)) >= 6);
  });
});
