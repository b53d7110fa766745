/**
 * Runs lesson 3 once and checks every figure its prose quotes, from the `RESULT` lines its cells
 * print: the CNN's (lack of) invariance, the gradcheck, the live matched-size run, the committed
 * three-seed comparison (re-measured by the lesson on the committed weights, which must agree
 * with what `tools/train_st_mnist.ts` recorded), the staged transformers' angle correlation on
 * every seed, the transformer on feature maps, the thin-plate-spline fit, and the exercises.
 */
import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { loadPretrained } from "../../runtime/datasets/pretrained.ts";
import { ST_NAMES, type StMetadata } from "../../tools/train_st_mnist.ts";
import { runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

const LESSON = "lessons/03-spatial-transformers.md";

interface Summary {
  errors: number[];
  mean: number;
  sd: number;
  parameters: number;
  lr: number;
}

Deno.test("the spatial-transformer lesson's figures hold, and its exercises are sound", async () => {
  const { lesson, results } = await runLessonForTest(LESSON);

  // How invariant is a CNN?
  const invariance = results.get("cnn-invariance") as Record<string, number>;
  assert(invariance.upright! > 85, `upright accuracy ${invariance.upright}%`);
  assert(
    invariance.shift2px! > invariance.shift6px! + 30,
    `a 2-pixel shift (${invariance.shift2px}%) should hurt far less than 6 pixels (${invariance.shift6px}%)`,
  );
  assert(
    invariance.shift6px! < invariance.upright! / 2 && invariance.shift6px! > 10,
    `6-pixel shift: ${invariance.shift6px}% should lose most of the accuracy, yet beat guessing (10%)`,
  );
  assert(invariance.upright! - invariance.rotate45! > 25, `45° rotation: ${invariance.rotate45}%`);
  assert(
    invariance.rotate90! < invariance.upright! / 2,
    `a 90° turn should leave a fraction of the upright accuracy: ${invariance.rotate90}%`,
  );
  assert(invariance.scale07! < invariance.upright! - 10, `scale 0.7: ${invariance.scale07}%`);

  assertEquals(results.get("st-gradcheck"), { ok: true });

  // The live run: two networks of the same size (within 10%).
  const live = results.get("rts-error") as Record<string, number>;
  assertEquals(live.seed, 1);
  const ratio = live.baselineParameters! / live.stParameters!;
  assert(
    ratio > 0.9 && ratio < 1.1,
    `live networks: ${live.baselineParameters} vs ${live.stParameters}`,
  );
  assert(live.st! > 0.5 && live.baseline! > 0.8, "the live errors should exceed the paper's");

  // The committed comparison, re-measured by the lesson.
  const matched = results.get("rts-matched") as { cnn: Summary; st: Summary };
  const { metadata } = await loadPretrained<StMetadata>(ST_NAMES.comparison);
  const recorded = (kind: string) =>
    metadata.models.filter((m) => m.prefix.startsWith(kind + ".")).map((m) => m.testError);
  assertEquals(matched.cnn.errors, recorded("cnn"), "the lesson's CNN errors are not the script's");
  assertEquals(
    matched.st.errors,
    recorded("st"),
    "the lesson's ST-CNN errors are not the script's",
  );
  assertEquals(matched.cnn.errors.length, 3);
  const sizeRatio = matched.cnn.parameters / matched.st.parameters;
  assert(
    sizeRatio > 0.9 && sizeRatio < 1.1,
    `parameters ${matched.cnn.parameters} vs ${matched.st.parameters}`,
  );
  assert(
    Math.max(...matched.st.errors) < Math.min(...matched.cnn.errors),
    `every ST-CNN seed should beat every CNN seed: ${matched.st.errors} vs ${matched.cnn.errors}`,
  );

  // What the transformers learned: centring always; rotation that follows the digit's angle
  // only when staged, and then on every seed.
  interface Described {
    angleCorrelation: number;
    rotationSlope: number;
    offCentre: number;
    offImage: number;
    testError: number;
  }
  const pose = results.get("st-pose") as {
    offCentreInput: number;
    plain: Described[];
    staged: Described[];
    stagedParameters: number;
    plainParameters: number;
  };
  // The prose quotes both sizes.
  assertEquals([pose.stagedParameters, pose.plainParameters], [26128, 20144]);
  assertEquals(pose.staged.length, 3);
  for (const d of [...pose.plain, ...pose.staged]) {
    assert(d.offCentre < pose.offCentreInput, `not centred: ${JSON.stringify(d)}`);
  }
  const plainCorrelations = pose.plain.map((d) => d.angleCorrelation);
  assert(plainCorrelations.every((c) => c < 0.5), `plain angle correlations ${plainCorrelations}`);
  for (const d of pose.staged) {
    assert(
      d.angleCorrelation >= 0.6 && d.angleCorrelation > Math.max(...plainCorrelations) + 0.2,
      `every staged seed should turn its grid: ${d.angleCorrelation} vs plain ${plainCorrelations}`,
    );
    assert(d.offImage < 0.5 && d.testError < 10, `a staged seed failed: ${JSON.stringify(d)}`);
  }
  // The prose quotes the staged seeds' correlations and slopes (a little under half a turn).
  const stagedCorrelations = pose.staged.map((d) => d.angleCorrelation.toFixed(2)).join(", ");
  assertEquals(stagedCorrelations, "0.71, 0.70, 0.69", "update the prose's correlations");
  const stagedSlopes = pose.staged.map((d) => d.rotationSlope.toFixed(2)).join(", ");
  assertEquals(stagedSlopes, "0.49, 0.46, 0.44", "update the prose's slopes");
  assert(pose.plain.every((d) => Math.abs(d.rotationSlope) < 0.1), JSON.stringify(pose.plain));

  // A transformer on feature maps, of the same size as the CNN.
  const inner = results.get("inner-st") as { error: number; parameters: number };
  const innerRatio = inner.parameters / live.baselineParameters!;
  assert(innerRatio > 0.9 && innerRatio < 1.1, `inner-ST parameters ${inner.parameters}`);
  assert(inner.error < 50, `inner-ST test error ${inner.error}%`);

  // Thin-plate spline: gradient descent finds the control points that straighten a bent digit.
  const fit = results.get("tps-fit") as { before: number; after: number };
  assert(fit.after < 0.3 * fit.before, `TPS fit: ${fit.before} → ${fit.after}`);

  assert((await validateLessonExercises(lesson)) >= 7);
  console.log(
    `matched comparison (test error %): CNN ${matched.cnn.errors}, ST-CNN ${matched.st.errors}; ` +
      `angle correlation: plain ${plainCorrelations}, staged ${
        pose.staged.map((d) => d.angleCorrelation)
      }`,
  );
});
