/**
 * Pins the committed pre-trained character LSTM to the script that produced it: the split it
 * records is the one the script builds today, a rerun retraces the recorded first steps, and the
 * recorded test perplexity is that of the committed weights.
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

const text = await loadCharLMText(CHAR_LM_CONFIG.testChapters);
const { stateDict, metadata } = await loadPretrained<CharLMMetadata>(CHAR_LM_NAME);

Deno.test("the committed model was trained with today's configuration, on today's split", () => {
  assertEquals(metadata.config, CHAR_LM_CONFIG);
  assertEquals(metadata.vocab, text.vocab.join(""));
  assertEquals(
    [metadata.trainCharacters, metadata.trainHash, metadata.testCharacters, metadata.testHash],
    [text.trainText.length, fnv1a(text.trainText), text.testText.length, fnv1a(text.testText)],
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

Deno.test("the recorded test perplexity is that of the committed weights", () => {
  const model = new CharLMForTraining(text.vocab.length, CHAR_LM_CONFIG);
  model.loadStateDict(stateDict);
  const perplexity = charLMTestPerplexity(model, text.testIds, text.vocab.length);
  assert(
    Math.abs(perplexity - metadata.testPerplexity) < 1e-6 * perplexity,
    `measured ${perplexity}, recorded ${metadata.testPerplexity}`,
  );
});
