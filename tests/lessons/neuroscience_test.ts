import { assert, assertAlmostEquals } from "../assert.ts";
import { runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

Deno.test("the neuroscience lesson reproduces its quoted numbers (LIF, Oja, STDP, CNN filters, Hopfield, decoding, TD), and its exercises are sound", async () => {
  const { lesson, results } = await runLessonForTest("lessons/06-neuroscience.md");

  // The Euler f-I curve matches 1/(t_ref + tau ln(RI/(RI - V_th))) at dt = 0.02 ms.
  const fi = results.get("lif-fi") as {
    maxRelativeError: number;
    eulerAt2ms: number;
    exactAt2ms: number;
    coarseWorst: number;
    coarseAbove: number;
    coarseBelow: number;
  };
  assert(fi.maxRelativeError < 0.01, `f-I relative error ${fi.maxRelativeError}`);
  // Euler overshoots the rise (the prose quotes 8.347 vs 8.157 mV); the coarse staircase errs both ways.
  assertAlmostEquals(fi.eulerAt2ms, 8.347, 5e-4);
  assertAlmostEquals(fi.exactAt2ms, 8.157, 5e-4);
  assert(
    fi.coarseAbove === 16 && fi.coarseBelow === 14,
    `above ${fi.coarseAbove}, below ${fi.coarseBelow}`,
  );
  assertAlmostEquals(fi.coarseWorst, 0.051, 5e-4);

  // STDP: leading inputs grow by 3.75; independent ones drift down, -0.085, near r r T ∫W = -0.1.
  const stdp = results.get("stdp") as {
    leading: number;
    independent: number;
    predictedIndependent: number;
  };
  assertAlmostEquals(stdp.predictedIndependent, -0.1, 1e-12);
  assertAlmostEquals(stdp.leading, 3.75, 0.005);
  assertAlmostEquals(stdp.independent, -0.085, 0.0005);

  // A CNN's first-layer filters match Gabor filters far better than before training or shuffled.
  const cnn = results.get("cnn-gabor") as {
    learnt: number;
    initial: number;
    shuffled: number;
    testAccuracy: number;
  };
  // The prose quotes about 94% test accuracy and Gabor matches of about 0.76 vs 0.33 and 0.40.
  assertAlmostEquals(cnn.testAccuracy, 0.94, 0.01);
  assertAlmostEquals(cnn.learnt, 0.76, 0.02);
  assertAlmostEquals(cnn.initial, 0.33, 0.005);
  assertAlmostEquals(cnn.shuffled, 0.40, 0.02);
  assert(cnn.learnt > cnn.initial + 0.25 && cnn.learnt > cnn.shuffled + 0.25, JSON.stringify(cnn));

  // Oja (1982): the weight vector converges to the unit first principal component.
  const oja = results.get("oja-cosine") as { cosine: number; norm: number };
  assert(oja.cosine >= 0.99, `|cos(w, first PC)| = ${oja.cosine}`);
  assert(Math.abs(oja.norm - 1) < 0.05, `|w| = ${oja.norm}`);

  // Amit, Gutfreund & Sompolinsky (1985): recall breaks down near 0.14 patterns per neuron.
  const hopfield = results.get("hopfield-breakdown") as {
    neurons: number;
    breakdown: number;
    success: number[];
  };
  assert(hopfield.neurons >= 200, `N = ${hopfield.neurons}`);
  assert(
    hopfield.breakdown > 0.10 && hopfield.breakdown < 0.18,
    `breakdown at load ${hopfield.breakdown}`,
  );
  assert(
    hopfield.success[0] === 1 && hopfield.success.at(-1) === 0,
    "recall goes from all to none",
  );

  // Trained attention finds the matching item.
  const attention = results.get("attention") as { testLoss: number; weightOnTarget: number };
  assert(attention.testLoss < 0.01, `attention test loss ${attention.testLoss}`);
  assert(attention.weightOnTarget > 0.9, `weight on target ${attention.weightOnTarget}`);

  // The population vector is not optimal: least squares and maximum likelihood beat it, and maximum
  // likelihood is the best of the four; the network beats the population vector.
  const decoding = results.get("decoding") as {
    populationVector: number;
    leastSquares: number;
    maximumLikelihood: number;
    network: number;
  };
  assert(
    decoding.network < decoding.populationVector,
    `network ${decoding.network} rad vs population vector ${decoding.populationVector} rad`,
  );
  assert(decoding.leastSquares < decoding.populationVector, JSON.stringify(decoding));
  assert(
    decoding.maximumLikelihood < Math.min(decoding.leastSquares, decoding.network),
    JSON.stringify(decoding),
  );
  // The prose quotes about 11°, 8°, 7° and 8°.
  const degrees = (radians: number) => Math.round((radians * 180) / Math.PI);
  assert(degrees(decoding.populationVector) === 11, JSON.stringify(decoding));
  assert(degrees(decoding.leastSquares) === 8, JSON.stringify(decoding));
  assert(degrees(decoding.maximumLikelihood) === 7, JSON.stringify(decoding));
  assert(degrees(decoding.network) === 8, JSON.stringify(decoding));
  assert(
    decoding.populationVector < 0.35,
    `population vector error ${decoding.populationVector} rad`,
  );

  // Two principal components dominate the population activity.
  const pca = results.get("pca") as { explained: number[] };
  assert(pca.explained[0]! + pca.explained[1]! > 0.4, `PC1+PC2 explain ${pca.explained}`);
  assert(
    pca.explained[1]! > 5 * pca.explained[2]!,
    `PC2 ${pca.explained[1]} vs PC3 ${pca.explained[2]}`,
  );

  // TD learning: the error moves from the reward to the cue, and dips when the reward is withheld.
  const td = results.get("td") as Record<string, number>;
  assert(td.firstAtReward === 1 && td.firstAtCue === 0, JSON.stringify(td));
  assertAlmostEquals(td.learntAtCue!, 0.739, 5e-4);
  assertAlmostEquals(td.predictedCue!, 0.739, 5e-4);
  assert(Math.abs(td.learntAtReward!) < 5e-3, JSON.stringify(td));
  assertAlmostEquals(td.omittedAtReward!, -1, 5e-3);
  assert(td.trialsToHalfCue === 75, `half the cue response after ${td.trialsToHalfCue} trials`);

  assert((await validateLessonExercises(lesson)) >= 6);
});
