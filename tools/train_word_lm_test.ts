/**
 * Pins the committed pre-trained word LSTM to the script that produced it: the split and
 * vocabulary it records are the ones the script builds today, a rerun retraces the recorded first
 * steps, the kept checkpoint is the one with the lowest validation perplexity in the log, and the
 * recorded perplexities are those of the committed weights.
 */
import { assert, assertEquals } from "../runtime/testing/assert.ts";
import { loadPretrained } from "../runtime/datasets/pretrained.ts";
import { fnv1a } from "./train_char_lm.ts";
import {
  loadWordLMText,
  trainWordLM,
  WORD_LM_CONFIG,
  WORD_LM_NAME,
  WordLMForTraining,
  type WordLMMetadata,
  wordLMPerplexity,
} from "./train_word_lm.ts";

const text = await loadWordLMText(WORD_LM_CONFIG);
const { stateDict, metadata } = await loadPretrained<WordLMMetadata>(WORD_LM_NAME);

Deno.test("the committed word model was trained with today's configuration and split", () => {
  assertEquals(metadata.config, WORD_LM_CONFIG);
  assertEquals(
    [metadata.vocabSize, metadata.vocabHash],
    [text.vocab.length, fnv1a(text.vocab.join(" "))],
  );
  assertEquals(metadata.words, {
    train: text.words.train.length,
    validation: text.words.validation.length,
    test: text.words.test.length,
  });
  assertEquals(metadata.hashes, {
    train: fnv1a(text.words.train.join(" ")),
    validation: fnv1a(text.words.validation.join(" ")),
    test: fnv1a(text.words.test.join(" ")),
  });
  assert(
    metadata.log.steps > 500,
    `the committed model was trained for ${metadata.log.steps} steps`,
  );
});

Deno.test("the kept checkpoint has the lowest validation perplexity of the run", () => {
  const curve = metadata.log.validationPerplexity;
  const best = curve.reduce((a, b) => (b.perplexity < a.perplexity ? b : a));
  assertEquals(metadata.log.bestStep, best.step);
});

Deno.test("rerunning the word script retraces the recorded first steps", () => {
  const { log } = trainWordLM(text, WORD_LM_CONFIG, { maxSteps: 3 });
  const recorded = metadata.log.firstLosses.slice(0, 3);
  for (const [k, loss] of log.firstLosses.entries()) {
    assert(
      Math.abs(loss - recorded[k]!) < 1e-5,
      `step ${k + 1}: loss ${loss}, recorded ${recorded[k]} (the script changed since the run?)`,
    );
  }
});

Deno.test("the recorded word-model perplexities are those of the committed weights", () => {
  const model = new WordLMForTraining(text.vocab.length, WORD_LM_CONFIG);
  model.loadStateDict(stateDict);
  const V = text.vocab.length;
  for (const part of ["validation", "test"] as const) {
    const measured = wordLMPerplexity(model, text.ids[part], V);
    const recorded = part === "test" ? metadata.testPerplexity : metadata.validationPerplexity;
    assert(
      Math.abs(measured - recorded) < 1e-6 * measured,
      `${part}: measured ${measured}, recorded ${recorded}`,
    );
  }
});
