/**
 * Runs lesson 4 (recurrent networks) once, headless, and checks that what its prose claims is
 * what its cells measured (via their `RESULT` lines): the by-hand recurrence and BPTT product, the
 * vanishing and exploding gradients, clipping, the LSTM step, the long-time-lag reproduction
 * (Hochreiter & Schmidhuber, 1997: lag 100, five seeds), truncated BPTT, the character and word
 * n-gram and LSTM language models (Mikolov et al., 2010, with settings chosen on validation and
 * the test scored once), the name models, stacked and bidirectional taggers, the spam filter,
 * the sequence-to-sequence toy and the question-answering reader; and that its exercises are
 * sound. Its run time is measured by the bench, not here.
 *
 * @module
 */
import { assert } from "../../runtime/testing/assert.ts";
import { resultOf, runLessonForTest, validateLessonExercises } from "./lesson_harness.ts";

Deno.test("lesson 4 reproduces its measured claims and validates its exercises", async (t) => {
  const run = await runLessonForTest("lessons/04-recurrent-networks.md");

  await t.step("the loop by hand matches nn.RNN, and the Jacobian product matches autograd", () => {
    const loop = resultOf<{ maxDiff: number; parameterCount: number }>(run, "rnn-loop");
    assert(loop.maxDiff < 1e-5 && loop.parameterCount === 36, JSON.stringify(loop));
    const bptt = resultOf<{ maxDiff: number }>(run, "bptt-product");
    assert(bptt.maxDiff < 1e-6, JSON.stringify(bptt));
  });

  await t.step(
    "gradients vanish for small gains, explode for large ones, and survive an open LSTM",
    () => {
      const r = resultOf<Record<string, number>>(run, "gradient-norms");
      assert(r["RNN, gain 0.5"]! < 1e-8, JSON.stringify(r));
      assert(r["RNN, gain 1"]! < 1e-2, JSON.stringify(r));
      assert(r["RNN, gain 3"]! > 1e3, JSON.stringify(r));
      assert(r["LSTM, forget bias 0"]! < 1e-6, JSON.stringify(r));
      assert(r["LSTM, forget bias 3"]! > 1e-2, JSON.stringify(r));
    },
  );

  await t.step(
    "clipping lets the exploding RNN learn where the unclipped one stays at chance",
    () => {
      const r = resultOf<Record<string, number>>(run, "clipping");
      assert(r.largestGradNorm! > 50, JSON.stringify(r));
      assert(r.unclippedFinalLoss! > 0.6, JSON.stringify(r));
      assert(r.clippedFinalLoss! < 0.2, JSON.stringify(r));
    },
  );

  await t.step("the LSTM step from the equations matches nn.LSTMCell", () => {
    const r = resultOf<{ maxDiff: number }>(run, "lstm-step");
    assert(r.maxDiff < 1e-5, JSON.stringify(r));
  });

  await t.step(
    "at lag 100 the LSTM solves the task on all five seeds, the vanilla RNN on none",
    () => {
      type LongLag = {
        lag: number;
        seeds: number;
        lag5: { rnn: number; lstm: number };
        rnn: number[];
        lstm: number[];
        rnnSolved: number;
        lstmSolved: number;
      };
      const r = resultOf<LongLag>(run, "long-lag");
      assert(r.lag >= 100 && r.seeds >= 5 && r.rnn.length === r.seeds, JSON.stringify(r));
      assert(r.lag5.rnn >= 0.95 && r.lag5.lstm >= 0.95, `lag 5: ${JSON.stringify(r)}`);
      assert(r.lstmSolved === 1 && r.lstm.every((a) => a >= 0.95), JSON.stringify(r));
      assert(r.rnnSolved === 0 && r.rnn.every((a) => a < 0.6), JSON.stringify(r));
      const gates = resultOf<Record<string, number>>(run, "lag-gates");
      assert(gates.finalCellGap! > 1, JSON.stringify(gates));
      assert(gates.meanForgetTopUnit! > 0.9, JSON.stringify(gates));
      assert(gates.meanInputGateTopUnitLater! < 0.3, JSON.stringify(gates));
    },
  );

  await t.step("truncated BPTT learns a 4-step delay only with windows longer than 4", () => {
    const r = resultOf<{ truncations: number[]; accuracy: number[] }>(run, "tbptt");
    assert(r.truncations.join() === "2,4,8", JSON.stringify(r));
    assert(r.accuracy[0]! < 0.6 && r.accuracy[1]! < 0.6, JSON.stringify(r));
    assert(r.accuracy[2]! > 0.95, JSON.stringify(r));
  });

  await t.step("Kneser-Ney, chosen on validation: better with order up to about 7", () => {
    type Ngram = {
      validationPerplexity: number[];
      bestOrder: number;
      bestDiscount: number;
      bestValidation: number;
      test: number;
    };
    const r = resultOf<Ngram>(run, "ngram");
    const v = r.validationPerplexity;
    assert(v[0]! > 15 && v[0]! < 25, `unigram ${v[0]}`);
    for (let k = 1; k < 6; k++) assert(v[k]! < v[k - 1]!, `order ${k + 1}: ${v}`);
    assert(r.bestOrder >= 6 && r.bestOrder < 10, `best order ${r.bestOrder} (at the grid's edge?)`);
    assert(v[9]! > v[6]!, `10-gram ${v[9]} vs 7-gram ${v[6]}`);
    assert(r.bestValidation <= Math.min(...v), `best ${r.bestValidation} vs D = 0.75: ${v}`);
    assert(r.test > 3.5 && r.test < 4.2, `chosen n-gram's test perplexity ${r.test}`);
  });
  await t.step(
    "the pre-trained LSTM loads, and the lesson measures what its script recorded",
    () => {
      type Pretrained = {
        testPerplexity: number;
        recordedPerplexity: number;
        validationPerplexity: number;
        ngramValidation: number;
        bestStep: number;
        curve: { step: number; perplexity: number }[];
      };
      const r = resultOf<Pretrained>(run, "pretrained-lm");
      const gap = Math.abs(r.testPerplexity - r.recordedPerplexity);
      assert(gap < 1e-3 * r.recordedPerplexity, JSON.stringify(r));
      assert(r.curve.length >= 10, `the training log has ${r.curve.length} evaluations`);
      // The prose says the checkpoint was chosen on validation: the kept step is the lowest point
      // of the validation curve the chart draws, and it beats the n-gram on validation too.
      const lowest = r.curve.reduce((a, b) => (b.perplexity < a.perplexity ? b : a));
      assert(r.bestStep === lowest.step, `kept step ${r.bestStep}, lowest at ${lowest.step}`);
      assert(r.validationPerplexity < r.ngramValidation, JSON.stringify(r));
    },
  );
  await t.step(
    "Mikolov et al. (2010), characters: the pre-trained LSTM beats the chosen n-gram, the mixture both",
    () => {
      type CharLM = {
        validationPerplexity: number;
        testPerplexity: number;
        curve: { perplexity: number }[];
        ngramOrdersBeaten: number[];
      };
      const lm = resultOf<CharLM>(run, "char-lm");
      const curve = lm.curve.map((c) => c.perplexity);
      assert(curve.at(-1)! < curve[0]!, `the validation curve does not fall: ${curve}`);
      const r = resultOf<Record<string, number>>(run, "lm-comparison");
      assert(r.pretrained! < r.bestNgram!, JSON.stringify(r));
      assert(r.mixture! < r.pretrained!, JSON.stringify(r));
      // The lesson's summary quotes these three numbers.
      const quoted = [r.pretrained, r.bestNgram, r.mixture].map((v) => v!.toFixed(2));
      assert(quoted.join() === "3.76,3.86,3.58", `update the summary's numbers: ${quoted}`);
      // The small LSTM beats the low orders but not the chosen n-gram (the prose says so).
      assert(lm.ngramOrdersBeaten.includes(2), JSON.stringify(lm));
      assert(
        r.lstm! > r.bestNgram!,
        `the small LSTM (${r.lstm}) beats the n-gram: update the prose`,
      );
    },
  );
  await t.step("a unit of the pre-trained LSTM clears its memory at spaces", () => {
    const r = resultOf<Record<string, number>>(run, "word-boundary-unit");
    assert(r.forgetAfterLetters! - r.forgetAfterSpaces! > 0.3, JSON.stringify(r));
  });
  await t.step("Mikolov et al. (2010), words: the table the lesson prints", () => {
    type WordLM = {
      vocabulary: number;
      kneserNey: { order: number; discount: number; validation: number; test: number };
      lstm: {
        validation: number;
        test: number;
        recordedTest: number;
        bestStep: number;
        validationCurve: number[];
      };
      mixture: { lambda: number; validation: number; test: number };
    };
    const r = resultOf<WordLM>(run, "word-lm");
    assert(
      Math.abs(r.lstm.test - r.lstm.recordedTest) < 1e-3 * r.lstm.recordedTest,
      `measured ${r.lstm.test}, recorded by the script ${r.lstm.recordedTest}`,
    );
    assert(r.vocabulary === 4009, `vocabulary ${r.vocabulary}`);
    assert(r.kneserNey.order >= 2 && r.kneserNey.order < 5, JSON.stringify(r.kneserNey));
    // The prose says the counts win on words, the mixture beats both, and the LSTM was still
    // improving when its run ended.
    assert(r.kneserNey.test < r.lstm.test, JSON.stringify(r));
    assert(r.mixture.test < r.kneserNey.test && r.mixture.test < r.lstm.test, JSON.stringify(r));
    const curve = r.lstm.validationCurve;
    assert(curve.at(-1)! < curve.at(-2)!, `the validation curve ${curve}`);
    assert(r.mixture.lambda === 0.3, `λ ${r.mixture.lambda}: update the prose`);
    // The prose and the summary quote these three numbers.
    const quoted = [r.kneserNey.test, r.lstm.test, r.mixture.test].map((v) => v.toFixed(1));
    assert(quoted.join() === "176.7,222.2,164.0", `update the prose's numbers: ${quoted}`);
  });
  await t.step("both name models learn, and the GRU has fewer parameters", () => {
    type Names = Record<"LSTM" | "GRU", { validationPerplexity: number; parameters: number }>;
    const r = resultOf<Names>(run, "names");
    assert(r.LSTM.validationPerplexity < 9 && r.GRU.validationPerplexity < 9, JSON.stringify(r));
    assert(
      Math.abs(r.LSTM.validationPerplexity - r.GRU.validationPerplexity) < 1,
      JSON.stringify(r),
    );
    assert(r.GRU.parameters < r.LSTM.parameters, JSON.stringify(r));
  });

  await t.step("only the bidirectional tagger sees two symbols ahead; depth does not", () => {
    const r = resultOf<Record<string, number>>(run, "deep-bidirectional");
    assert(r["one layer"]! < 0.35 && r["two stacked layers"]! < 0.35, JSON.stringify(r));
    assert(r.bidirectional! > 0.95, JSON.stringify(r));
  });

  await t.step("the word-level spam filter beats the majority guess on held-out mail", () => {
    const r = resultOf<Record<string, number>>(run, "spam");
    assert(r.testSize === 250 && r.trainSize === 750, JSON.stringify(r));
    assert(r.testAccuracy! >= 0.8, `test accuracy ${r.testAccuracy}`);
    assert(r.testAccuracy! > r.majorityBaseline! + 0.2, JSON.stringify(r));
  });

  await t.step("the encoder-decoder learns to reverse digit lists, the first output best", () => {
    const r = resultOf<{ digitAccuracy: number; listAccuracy: number; byPosition: number[] }>(
      run,
      "seq2seq",
    );
    assert(r.digitAccuracy > 0.8 && r.listAccuracy > 0.5, JSON.stringify(r));
    assert(r.byPosition[0]! >= Math.max(...r.byPosition.slice(2)), JSON.stringify(r));
  });

  await t.step("the story reader answers, and attends to the answering sentence", () => {
    const r = resultOf<Record<string, number>>(run, "qa");
    assert(r.accuracy! > 0.9 && r.attendsToSupport! > 0.9, JSON.stringify(r));
  });

  await t.step("its exercises are sound (solutions pass, starters fail)", async () => {
    assert((await validateLessonExercises(run.lesson)) >= 6);
  });
});
