/**
 * Trains lesson 4's pre-trained character-level LSTM language model on *Moby-Dick* and writes
 * it to `runtime/datasets/pretrained/char_lstm_moby_dick.{json,bin}`. The lesson loads it because the
 * training (about an hour on one core) does not fit its time budget; everything here is
 * seeded, so running it again gives the same weights.
 *
 *     deno task train:charlm             # the full run that produced the committed files
 *     deno task train:charlm --steps 20  # a short run, e.g. to try a change
 *
 * The split is the lesson's: chapters 21 to 24 are the held-out test text, chapters 17 to 20 the
 * validation text, every other chapter is training text, all normalised with
 * `normaliseForCharacterModels`.
 *
 * Choosing the checkpoint: the validation perplexity is measured every 200 steps, the weights
 * with the lowest one are kept, and the test text is scored once, at the end, on those weights.
 * The full run takes about an hour on an idle core (about 1 s a step, 351 steps an epoch).
 *
 * Training follows the usual recipe for recurrent language models: the training text is cut
 * into `batch` contiguous streams, read `bptt` characters at a time with the LSTM state carried
 * over (and detached) from one window to the next; dropout on the embeddings and on the LSTM's
 * outputs; Adam with a cosine-decayed learning rate; gradient clipping by global norm.
 *
 * @module
 */
import { crossEntropy, nn, noGrad, optim, seed, Tensor } from "../runtime/mod.ts";
import { loadMobyDick, normaliseForCharacterModels } from "../runtime/datasets/text.ts";
import {
  encodePretrained,
  PRETRAINED_DIR,
  type PretrainedMetadata,
} from "../runtime/datasets/pretrained.ts";

/** Hyperparameters of the run. */
export interface CharLMConfig {
  embedding: number;
  hidden: number;
  dropout: number;
  /** Parallel streams the training text is cut into. */
  batch: number;
  /** Characters per truncated-backpropagation window. */
  bptt: number;
  epochs: number;
  lr: number;
  clip: number;
  seed: number;
  testChapters: number[];
  /** Chapters held out to choose the checkpoint (the lowest validation perplexity). */
  validationChapters: number[];
}

/** The configuration of the committed model. */
export const CHAR_LM_CONFIG: CharLMConfig = {
  embedding: 32,
  hidden: 512,
  dropout: 0.1,
  batch: 32,
  bptt: 100,
  epochs: 10,
  lr: 3e-3,
  clip: 1,
  seed: 0,
  testChapters: [21, 22, 23, 24],
  validationChapters: [17, 18, 19, 20],
};

/** Name of the committed model in `runtime/datasets/pretrained/`. */
export const CHAR_LM_NAME = "char_lstm_moby_dick";

/**
 * Training and test text of the split, the vocabulary (sorted characters of the training text)
 * and both texts as vocabulary indices.
 */
export interface CharLMText {
  trainText: string;
  /** Empty when the split has no validation chapters. */
  validationText: string;
  testText: string;
  vocab: string[];
  trainIds: Int32Array;
  validationIds: Int32Array;
  testIds: Int32Array;
}

/**
 * Loads and normalises the split: the test chapters, the validation chapters (none by default),
 * and every other chapter for training.
 */
export async function loadCharLMText(
  testChapters: number[],
  validationChapters: number[] = [],
): Promise<CharLMText> {
  const chapters = await loadMobyDick();
  const join = (keep: (chapter: number) => boolean) =>
    normaliseForCharacterModels(
      chapters.filter((c) => keep(c.chapter)).map((c) => c.text).join(" "),
    );
  const held = [...testChapters, ...validationChapters];
  const trainText = join((n) => !held.includes(n));
  const validationText = validationChapters.length === 0
    ? ""
    : join((n) => validationChapters.includes(n));
  const testText = join((n) => testChapters.includes(n));
  const vocab = [...new Set(trainText)].sort();
  const index = new Map(vocab.map((ch, i) => [ch, i]));
  // A character the training text lacks (none in Moby-Dick's held-out chapters) would be lost.
  const ids = (text: string) => Int32Array.from(text, (ch) => index.get(ch)!);
  return {
    trainText,
    validationText,
    testText,
    vocab,
    trainIds: ids(trainText),
    validationIds: ids(validationText),
    testIds: ids(testText),
  };
}

/** 32-bit FNV-1a of a string's UTF-16 code units, as 8 hex digits: identifies a text cheaply. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * The model: embedding → dropout → LSTM → dropout → linear. Dropout has no weights, so the
 * state dict has the same keys as the lesson's `CharLM` (`embed.*`, `lstm.*`, `head.*`).
 */
export class CharLMForTraining
  extends nn.Module<[number[][], ([Tensor, Tensor] | null)?], [Tensor, [Tensor, Tensor]]> {
  embed: nn.Embedding;
  dropIn: nn.Dropout;
  lstm: nn.LSTM;
  dropOut: nn.Dropout;
  head: nn.Linear;
  constructor(vocabSize: number, config: CharLMConfig) {
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
 * Test perplexity the way the lesson measures it: the test text cut into 16 streams read 256
 * characters at a time with the state carried over, every character predicted from all the
 * characters before it in its stream; the last few characters (fewer than 16) get a uniform guess.
 */
export function charLMTestPerplexity(
  model: CharLMForTraining,
  ids: Int32Array,
  vocabSize: number,
): number {
  const streams = 16;
  const length = Math.floor((ids.length - 1) / streams);
  let logSum = (ids.length - 1 - streams * length) * Math.log(1 / vocabSize);
  let state: [Tensor, Tensor] | null = null;
  const wasTraining = model.training;
  model.eval();
  noGrad(() => {
    for (let start = 0; start < length; start += 256) {
      const n = Math.min(256, length - start);
      const rows = Array.from(
        { length: streams },
        (_, s) => Array.from(ids.subarray(s * length + start, s * length + start + n)),
      );
      const [logits, next] = model.forward(rows, state);
      state = next;
      const p = logits.softmax(-1).data;
      for (let s = 0; s < streams; s++) {
        for (let k = 0; k < n; k++) {
          logSum += Math.log(p[(s * n + k) * vocabSize + ids[s * length + start + k + 1]!]!);
        }
      }
    }
  });
  model.train(wasTraining);
  return Math.exp(-logSum / (ids.length - 1));
}

/** What the run records in the metadata. */
export interface CharLMLog {
  /** Loss of each of the first steps, to check that a rerun retraces the same path. */
  firstLosses: number[];
  /** Mean training loss (nats per character) of every 50 steps, and the step it ends at. */
  trainLoss: { step: number; loss: number }[];
  /**
   * Test perplexities measured while training: always empty (an earlier run, without validation
   * chapters, logged them), so the log itself says the test text chose nothing.
   */
  testPerplexity: { step: number; perplexity: number }[];
  /** Validation perplexity every `evalEvery` steps and at the end. */
  validationPerplexity: { step: number; perplexity: number }[];
  /** The step whose weights were kept: the lowest validation perplexity. */
  bestStep: number;
  steps: number;
  seconds: number;
}

/** Metadata of the committed model. */
export interface CharLMMetadata extends PretrainedMetadata {
  config: CharLMConfig;
  vocab: string;
  trainCharacters: number;
  trainHash: string;
  testCharacters: number;
  testHash: string;
  /** The validation chapters' size, hash, and the stored weights' perplexity on them. */
  validationCharacters: number;
  validationHash: string;
  validationPerplexity: number;
  /** Test perplexity of the stored (float16) weights. */
  testPerplexity: number;
  log: CharLMLog;
}

/**
 * Trains the model; stops after `maxSteps` if given (the schedule still spans the full run, so a
 * short run retraces the first steps of the full one exactly). The model returned holds the
 * weights of the evaluation with the lowest validation perplexity; the test text is never read.
 */
export function trainCharLM(
  text: CharLMText,
  config: CharLMConfig,
  options: { maxSteps?: number; evalEvery?: number; onProgress?: (line: string) => void } = {},
): { model: CharLMForTraining; log: CharLMLog } {
  const { trainIds, validationIds } = text;
  if (validationIds.length === 0) throw new Error("no validation text to choose the checkpoint");
  seed(config.seed);
  const model = new CharLMForTraining(text.vocab.length, config);
  const params = model.parameters();
  const streamLength = Math.floor(trainIds.length / config.batch);
  const windowsPerEpoch = Math.floor((streamLength - 1) / config.bptt);
  const totalSteps = windowsPerEpoch * config.epochs;
  const optimizer = new optim.Adam(params, { lr: config.lr });
  const schedule = new optim.CosineAnnealingLR(optimizer, { tMax: totalSteps });
  const steps = Math.min(totalSteps, options.maxSteps ?? totalSteps);
  const evalEvery = options.evalEvery ?? 200;
  const log: CharLMLog = {
    firstLosses: [],
    trainLoss: [],
    testPerplexity: [],
    validationPerplexity: [],
    bestStep: 0,
    steps,
    seconds: 0,
  };
  let best = { perplexity: Infinity, step: 0, state: model.stateDict() };
  const started = performance.now();
  const window = (offset: number) =>
    Array.from(
      { length: config.batch },
      (_, s) =>
        Array.from(
          trainIds.subarray(s * streamLength + offset, s * streamLength + offset + config.bptt),
        ),
    );
  let state: [Tensor, Tensor] | null = null;
  let recent = 0;
  for (let step = 1; step <= steps; step++) {
    const w = (step - 1) % windowsPerEpoch;
    if (w === 0) state = null; // a new pass over the text starts from a fresh state
    const offset = w * config.bptt;
    const inputs = window(offset);
    const targets = window(offset + 1).flat();
    const [logits, next] = model.forward(inputs, state);
    state = [next[0].detach(), next[1].detach()];
    const loss = crossEntropy(logits, targets);
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
    if (step % evalEvery === 0 || step === steps) {
      const perplexity = charLMTestPerplexity(model, validationIds, text.vocab.length);
      log.validationPerplexity.push({ step, perplexity });
      if (perplexity < best.perplexity) {
        best = { perplexity, step, state: model.stateDict() };
      }
      const seconds = (performance.now() - started) / 1000;
      options.onProgress?.(
        `step ${step}/${steps}: train loss ${log.trainLoss.at(-1)!.loss.toFixed(3)}, ` +
          `validation perplexity ${perplexity.toFixed(3)}, ` +
          `${seconds.toFixed(0)} s`,
      );
    }
  }
  model.loadStateDict(best.state);
  log.bestStep = best.step;
  log.seconds = (performance.now() - started) / 1000;
  return { model, log };
}

/** Rounds every parameter to float16 in place, as the stored files will hold them. */
export function roundToFloat16(model: nn.Module<never[], unknown>): void {
  noGrad(() => {
    for (const p of model.parameters()) {
      for (let i = 0; i < p.data.length; i++) p.data[i] = Math.f16round(p.data[i]!);
    }
  });
}

async function main(): Promise<void> {
  const args = Deno.args;
  const flag = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const maxSteps = flag("steps") === undefined ? undefined : Number(flag("steps"));
  const outDir = flag("out") ?? PRETRAINED_DIR;
  const config = CHAR_LM_CONFIG;
  const text = await loadCharLMText(config.testChapters, config.validationChapters);
  console.log(
    `training text ${text.trainText.length} characters, validation text ` +
      `${text.validationText.length}, test text ${text.testText.length}, vocabulary ${text.vocab.length}`,
  );
  const { model, log } = trainCharLM(text, config, { maxSteps, onProgress: console.log });
  roundToFloat16(model);
  // The test text's only use: scored once, on the kept (float16) weights.
  const testPerplexity = charLMTestPerplexity(model, text.testIds, text.vocab.length);
  const metadata: CharLMMetadata = {
    producedBy: "tools/train_char_lm.ts",
    config,
    vocab: text.vocab.join(""),
    trainCharacters: text.trainText.length,
    trainHash: fnv1a(text.trainText),
    testCharacters: text.testText.length,
    testHash: fnv1a(text.testText),
    validationCharacters: text.validationText.length,
    validationHash: fnv1a(text.validationText),
    validationPerplexity: charLMTestPerplexity(model, text.validationIds, text.vocab.length),
    testPerplexity,
    log,
  };
  const { json, bin } = encodePretrained(model.stateDict(), metadata);
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(`${outDir}/${CHAR_LM_NAME}.json`, json + "\n");
  await Deno.writeFile(`${outDir}/${CHAR_LM_NAME}.bin`, bin);
  console.log(
    `${log.steps} steps in ${log.seconds.toFixed(0)} s; kept step ${log.bestStep}; ` +
      `test perplexity of the float16 weights ` +
      `${testPerplexity.toFixed(4)}; wrote ${outDir}/${CHAR_LM_NAME}.{json,bin}`,
  );
}

if (import.meta.main) await main();
