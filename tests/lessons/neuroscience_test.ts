import { assert } from "../../runtime/testing/assert.ts";
import { runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

/** The budget for `deno task check lessons/06-neuroscience.md`. */
const BUDGET_SECONDS = 120;

Deno.test("the neuroscience lesson reproduces Oja (1982) and the Hopfield capacity, and its exercises are sound", async () => {
  const { lesson, results, seconds } = await runLessonForTest("lessons/06-neuroscience.md");
  assert(
    seconds < BUDGET_SECONDS,
    `the lesson ran ${seconds.toFixed(1)} s (budget ${BUDGET_SECONDS} s)`,
  );

  // The Euler f-I curve matches 1/(t_ref + tau ln(RI/(RI - V_th))) at dt = 0.02 ms.
  const fi = results.get("lif-fi") as { maxRelativeError: number };
  assert(fi.maxRelativeError < 0.01, `f-I relative error ${fi.maxRelativeError}`);

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

  // The prose says the trained decoder beats the population vector with random preferred directions.
  const decoding = results.get("decoding") as { populationVector: number; network: number };
  assert(
    decoding.network < decoding.populationVector,
    `network ${decoding.network} rad vs population vector ${decoding.populationVector} rad`,
  );
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

  assert((await validateLessonExercises(lesson)) >= 4);
});
