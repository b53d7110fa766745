/**
 * Trains lesson 4's pre-trained word-level LSTM language model on *Moby-Dick* and writes it to
 * `datasets/pretrained/word_lstm_moby_dick.{json,bin}`. Seeded: running it again gives the same
 * weights (a few minutes on one idle core).
 *
 *     deno task train:wordlm             # the full run that produced the committed files
 *     deno task train:wordlm --steps 20  # a short run, e.g. to try a change
 *
 * The split is the lesson's: chapters 17 to 20 are the validation text, 21 to 24 the test text,
 * every other chapter is training text. Words come from `tokeniseWords`; the vocabulary is the
 * training words seen at least `minCount` times, every other word is `<unk>`.
 *
 * The recipe is the character model's (`tools/train_char_lm.ts`): contiguous streams read `bptt`
 * words at a time with the state carried over, dropout, Adam with a cosine-decayed learning rate,
 * clipping by global norm. The checkpoint kept is the one with the lowest **validation**
 * perplexity (measured after every pass over the text); the test perplexity is measured once, on
 * that checkpoint, at the end.
 *
 * @module
 */
import { crossEntropy, nn, noGrad, optim, seed, Tensor } from "../runtime/mod.ts";
import { loadMobyDick } from "../runtime/datasets/text.ts";
import { buildVocabulary, tokeniseWords } from "../runtime/datasets/words.ts";
import {
  encodePretrained,
  PRETRAINED_DIR,
  type PretrainedMetadata,
} from "../runtime/datasets/pretrained.ts";
import { fnv1a, roundToFloat16 } from "./train_char_lm.ts";

/** Hyperparameters of the run. */
export interface WordLMConfig {
  minCount: number;
  embedding: number;
  hidden: number;
  dropout: number;
  /** Parallel streams the training text is cut into. */
  batch: number;
  /** Words per truncated-backpropagation window. */
  bptt: number;
  epochs: number;
  lr: number;
  clip: number;
  seed: number;
  validationChapters: number[];
  testChapters: number[];
}

/** The configuration of the committed model. */
export const WORD_LM_CONFIG: WordLMConfig = {
  minCount: 5,
  embedding: 32,
  hidden: 64,
  dropout: 0.2,
  batch: 32,
  bptt: 35,
  epochs: 4,
  lr: 5e-3,
  clip: 1,
  seed: 0,
  validationChapters: [17, 18, 19, 20],
  testChapters: [21, 22, 23, 24],
};

/** Name of the committed model in `datasets/pretrained/`. */
export const WORD_LM_NAME = "word_lstm_moby_dick";

/** The three parts of the split as words and as vocabulary indices, and the vocabulary. */
export interface WordLMText {
  vocab: string[];
  words: { train: string[]; validation: string[]; test: string[] };
  ids: { train: Int32Array; validation: Int32Array; test: Int32Array };
}

/** Loads, tokenises and encodes the split. */
export async function loadWordLMText(config: WordLMConfig): Promise<WordLMText> {
  const chapters = await loadMobyDick();
  const words = (keep: (chapter: number) => boolean) =>
    chapters.filter((c) => keep(c.chapter)).flatMap((c) => tokeniseWords(c.text));
  const held = [...config.validationChapters, ...config.testChapters];
  const split = {
    train: words((n) => !held.includes(n)),
    validation: words((n) => config.validationChapters.includes(n)),
    test: words((n) => config.testChapters.includes(n)),
  };
  const vocabulary = buildVocabulary(split.train, { minCount: config.minCount });
  return {
    vocab: vocabulary.words,
    words: split,
    ids: {
      train: vocabulary.encode(split.train),
      validation: vocabulary.encode(split.validation),
      test: vocabulary.encode(split.test),
    },
  };
}

/**
 * Embedding → dropout → LSTM → dropout → linear. The state dict has the keys of the lesson's
 * `WordLM` (`embed.*`, `lstm.*`, `head.*`): dropout has no weights.
 */
export class WordLMForTraining
  extends nn.Module<[number[][], ([Tensor, Tensor] | null)?], [Tensor, [Tensor, Tensor]]> {
  embed: nn.Embedding;
  dropIn: nn.Dropout;
  lstm: nn.LSTM;
  dropOut: nn.Dropout;
  head: nn.Linear;
  constructor(vocabSize: number, config: WordLMConfig) {
    super();
    this.embed = new nn.Embedding(vocabSize, config.embedding);
    this.dropIn = new nn.Dropout(config.dropout);
    this.lstm = new nn.LSTM(config.embedding, config.hidden, { batchFirst: true });
    this.dropOut = new nn.Dropout(config.dropout);
    this.head = new nn.Linear(config.hidden, vocabSize);
  }
  forward(ids: number[][], state: [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const [out, next] = this.lstm.forward(this.dropIn.forward(this.embed.forward(ids)), state);
    const flat = this.dropOut.forward(out).reshape(-1, this.lstm.hiddenSize);
    return [this.head.forward(flat), next];
  }
}

/**
 * Perplexity the way the lesson measures it: one stream read 256 words at a time with the state
 * carried over, every word after the first predicted from all the words before it.
 */
export function wordLMPerplexity(
  model: nn.Module<[number[][], ([Tensor, Tensor] | null)?], [Tensor, [Tensor, Tensor]]>,
  ids: Int32Array,
  vocabSize: number,
): number {
  let logSum = 0;
  let state: [Tensor, Tensor] | null = null;
  const wasTraining = model.training;
  model.eval();
  noGrad(() => {
    for (let start = 0; start < ids.length - 1; start += 256) {
      const n = Math.min(256, ids.length - 1 - start);
      const [logits, next] = model.forward([Array.from(ids.subarray(start, start + n))], state);
      state = next;
      const logp = logits.logSoftmax(-1).data;
      for (let k = 0; k < n; k++) logSum += logp[k * vocabSize + ids[start + k + 1]!]!;
    }
  });
  model.train(wasTraining);
  return Math.exp(-logSum / (ids.length - 1));
}

/** What the run records in the metadata. */
export interface WordLMLog {
  /** Loss of each of the first steps, to check that a rerun retraces the same path. */
  firstLosses: number[];
  /** Mean training loss (nats per word) of every 50 steps, and the step it ends at. */
  trainLoss: { step: number; loss: number }[];
  /** Validation perplexity after every pass over the training text. */
  validationPerplexity: { step: number; perplexity: number }[];
  /** The step of the checkpoint kept: the lowest validation perplexity. */
  bestStep: number;
  steps: number;
  seconds: number;
}

/** Metadata of the committed model. */
export interface WordLMMetadata extends PretrainedMetadata {
  config: WordLMConfig;
  vocabSize: number;
  vocabHash: string;
  words: { train: number; validation: number; test: number };
  hashes: { train: string; validation: string; test: string };
  /** Of the stored (float16) weights. */
  validationPerplexity: number;
  /** Of the stored (float16) weights, measured once at the end. */
  testPerplexity: number;
  log: WordLMLog;
}

/**
 * Trains the model and keeps the checkpoint with the lowest validation perplexity; stops after
 * `maxSteps` if given (the schedule still spans the full run, so a short run retraces the first
 * steps of the full one exactly).
 */
export function trainWordLM(
  text: WordLMText,
  config: WordLMConfig,
  options: { maxSteps?: number; onProgress?: (line: string) => void } = {},
): { model: WordLMForTraining; log: WordLMLog } {
  const V = text.vocab.length;
  const trainIds = text.ids.train;
  seed(config.seed);
  const model = new WordLMForTraining(V, config);
  const params = model.parameters();
  const streamLength = Math.floor(trainIds.length / config.batch);
  const windowsPerEpoch = Math.floor((streamLength - 1) / config.bptt);
  const totalSteps = windowsPerEpoch * config.epochs;
  const optimizer = new optim.Adam(params, { lr: config.lr });
  const schedule = new optim.CosineAnnealingLR(optimizer, { tMax: totalSteps });
  const steps = Math.min(totalSteps, options.maxSteps ?? totalSteps);
  const log: WordLMLog = {
    firstLosses: [],
    trainLoss: [],
    validationPerplexity: [],
    bestStep: 0,
    steps,
    seconds: 0,
  };
  const started = performance.now();
  const window = (offset: number) =>
    Array.from(
      { length: config.batch },
      (_, s) =>
        Array.from(
          trainIds.subarray(s * streamLength + offset, s * streamLength + offset + config.bptt),
        ),
    );
  let best = { perplexity: Infinity, state: model.stateDict() };
  let state: [Tensor, Tensor] | null = null;
  let recent = 0;
  for (let step = 1; step <= steps; step++) {
    const w = (step - 1) % windowsPerEpoch;
    if (w === 0) state = null; // a new pass over the text starts from a fresh state
    const offset = w * config.bptt;
    const [logits, next] = model.forward(window(offset), state);
    state = [next[0].detach(), next[1].detach()];
    const loss = crossEntropy(logits, window(offset + 1).flat());
    optimizer.zeroGrad();
    loss.backward();
    optim.clipGradNorm(params, config.clip);
    optimizer.step();
    schedule.step();
    const value = loss.item();
    if (log.firstLosses.length < 5) log.firstLosses.push(value);
    recent += value;
    if (step % 50 === 0 || step === steps) {
      log.trainLoss.push({ step, loss: recent / (step % 50 || 50) });
      recent = 0;
    }
    if (step % windowsPerEpoch === 0 || step === steps) {
      const perplexity = wordLMPerplexity(model, text.ids.validation, V);
      log.validationPerplexity.push({ step, perplexity });
      if (perplexity < best.perplexity) {
        best = { perplexity, state: model.stateDict() };
        log.bestStep = step;
      }
      const seconds = (performance.now() - started) / 1000;
      options.onProgress?.(
        `step ${step}/${steps}: train loss ${log.trainLoss.at(-1)!.loss.toFixed(3)}, ` +
          `validation perplexity ${perplexity.toFixed(2)}, ${seconds.toFixed(0)} s`,
      );
    }
  }
  model.loadStateDict(best.state);
  log.seconds = (performance.now() - started) / 1000;
  return { model, log };
}

/** The metadata for a trained model (rounds its weights to float16 first, in place). */
export function describeWordLM(
  model: WordLMForTraining,
  text: WordLMText,
  config: WordLMConfig,
  log: WordLMLog,
): WordLMMetadata {
  roundToFloat16(model);
  const V = text.vocab.length;
  return {
    producedBy: "tools/train_word_lm.ts",
    config,
    vocabSize: V,
    vocabHash: fnv1a(text.vocab.join(" ")),
    words: {
      train: text.words.train.length,
      validation: text.words.validation.length,
      test: text.words.test.length,
    },
    hashes: {
      train: fnv1a(text.words.train.join(" ")),
      validation: fnv1a(text.words.validation.join(" ")),
      test: fnv1a(text.words.test.join(" ")),
    },
    validationPerplexity: wordLMPerplexity(model, text.ids.validation, V),
    testPerplexity: wordLMPerplexity(model, text.ids.test, V),
    log,
  };
}

async function main(): Promise<void> {
  const args = Deno.args;
  const flag = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const maxSteps = flag("steps") === undefined ? undefined : Number(flag("steps"));
  const outDir = flag("out") ?? PRETRAINED_DIR;
  const config = WORD_LM_CONFIG;
  const text = await loadWordLMText(config);
  console.log(
    `words: training ${text.words.train.length}, validation ${text.words.validation.length}, ` +
      `test ${text.words.test.length}; vocabulary ${text.vocab.length}`,
  );
  const { model, log } = trainWordLM(text, config, { maxSteps, onProgress: console.log });
  const metadata = describeWordLM(model, text, config, log);
  const { json, bin } = encodePretrained(model.stateDict(), metadata);
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(`${outDir}/${WORD_LM_NAME}.json`, json + "\n");
  await Deno.writeFile(`${outDir}/${WORD_LM_NAME}.bin`, bin);
  console.log(
    `${log.steps} steps in ${log.seconds.toFixed(0)} s; best validation step ${log.bestStep}; ` +
      `float16 weights: validation ${metadata.validationPerplexity.toFixed(2)}, ` +
      `test ${metadata.testPerplexity.toFixed(2)}; wrote ${outDir}/${WORD_LM_NAME}.{json,bin}`,
  );
}

if (import.meta.main) await main();
