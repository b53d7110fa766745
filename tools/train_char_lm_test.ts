/**
 * Pins the committed pre-trained character LSTM to the script that produced it: the split it
 * records is the one the script builds today, a rerun retraces the recorded first steps, the
 * kept checkpoint is the one with the lowest validation perplexity, and the recorded validation
 * and test perplexities are those of the committed weights.
 */
import { assert, assertEquals } from "../runtime/testing/assert.ts";
import { loadPretrained } from "../runtime/datasets/pretrained.ts";
import {
  CHAR_LM_CONFIG,
  CHAR_LM_NAME,
  CharLMForTraining,
  type CharLMMetadata,
  charLMTestPerplexity,
  fnv1a,
  loadCharLMText,
  trainCharLM,
} from "./train_char_lm.ts";

const text = await loadCharLMText(CHAR_LM_CONFIG.testChapters, CHAR_LM_CONFIG.validationChapters);
const { stateDict, metadata } = await loadPretrained<CharLMMetadata>(CHAR_LM_NAME);

Deno.test("the committed model was trained with today's configuration, on today's split", () => {
  assertEquals(metadata.config, CHAR_LM_CONFIG);
  assertEquals(metadata.vocab, text.vocab.join(""));
  assertEquals(
    [metadata.trainCharacters, metadata.trainHash, metadata.testCharacters, metadata.testHash],
    [text.trainText.length, fnv1a(text.trainText), text.testText.length, fnv1a(text.testText)],
  );
  assertEquals(
    [metadata.validationCharacters, metadata.validationHash],
    [text.validationText.length, fnv1a(text.validationText)],
  );
  assert(
    metadata.log.steps > 1000,
    `the committed model was trained for ${metadata.log.steps} steps`,
  );
});

Deno.test("rerunning the script retraces the recorded first steps", () => {
  const { log } = trainCharLM(text, CHAR_LM_CONFIG, { maxSteps: 3 });
  const recorded = metadata.log.firstLosses.slice(0, 3);
  for (const [k, loss] of log.firstLosses.entries()) {
    assert(
      Math.abs(loss - recorded[k]!) < 1e-5,
      `step ${k + 1}: loss ${loss}, recorded ${recorded[k]} (the script changed since the run?)`,
    );
  }
});

Deno.test("the committed checkpoint is the one with the lowest validation perplexity, chosen without the test text", () => {
  const curve = metadata.log.validationPerplexity;
  assert(curve.length >= 10, `the training log has ${curve.length} evaluations`);
  const lowest = curve.reduce((a, b) => (b.perplexity < a.perplexity ? b : a));
  assertEquals(metadata.log.bestStep, lowest.step);
  assertEquals(metadata.log.testPerplexity, [], "the test text was scored during training");
});

Deno.test("the recorded validation and test perplexities are those of the committed weights", () => {
  const model = new CharLMForTraining(text.vocab.length, CHAR_LM_CONFIG);
  model.loadStateDict(stateDict);
  for (
    const [ids, recorded] of [
      [text.validationIds, metadata.validationPerplexity],
      [text.testIds, metadata.testPerplexity],
    ] as const
  ) {
    const perplexity = charLMTestPerplexity(model, ids, text.vocab.length);
    assert(
      Math.abs(perplexity - recorded) < 1e-6 * perplexity,
      `measured ${perplexity}, recorded ${recorded}`,
    );
  }
});

Deno.test("with validation chapters, the kept weights are those of the lowest validation perplexity, and the test text is never scored", () => {
  const split = text;
  assert(
    !split.trainText.includes(split.validationText.slice(0, 2000)),
    "the validation chapters are still in the training text",
  );
  // A small model on 512 training characters overfits them: its validation perplexity falls,
  // then rises, so the kept step is not the last one.
  const small = {
    ...split,
    trainIds: split.trainIds.subarray(0, 4 * 16 * 8),
    validationIds: split.validationIds.subarray(0, 3000),
  };
  const config = {
    ...CHAR_LM_CONFIG,
    hidden: 32,
    embedding: 8,
    dropout: 0,
    batch: 4,
    bptt: 16,
    epochs: 16,
    lr: 0.03,
  };
  const { model, log } = trainCharLM(small, config, { evalEvery: 4 });
  const curve = log.validationPerplexity;
  assert(curve.length >= 10, `${curve.length} evaluations`);
  assertEquals(log.testPerplexity, [], "the test text was scored during training");
  const lowest = curve.reduce((a, b) => (b.perplexity < a.perplexity ? b : a));
  assertEquals(log.bestStep, lowest.step);
  assert(lowest.step < log.steps, `the last step is the best one: ${JSON.stringify(curve)}`);
  const kept = charLMTestPerplexity(model, small.validationIds, split.vocab.length);
  assert(
    Math.abs(kept - lowest.perplexity) < 1e-9 * kept,
    `the returned weights score ${kept} on validation, the best evaluation ${lowest.perplexity}`,
  );
});
