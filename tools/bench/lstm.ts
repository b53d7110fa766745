/**
 * The LSTM workload of the performance issue: batch 16, length 32, input 32, hidden 128, one
 * layer, forward and backward (gradients of every weight), in ms per step, beside tfjs-cpu's
 * `basicLSTMCell` unrolled under `variableGrads`. Also the growth check (length 16…256, fitted
 * exponent; linear in length is 1) and the training speed of a character-level LSTM language
 * model (vocabulary 60, embedding 32, hidden 128, batch 32, length 64) in characters per second.
 *
 * @module
 */
import type { Rank, Scalar, Tensor as TfTensor, Tensor2D, Variable } from "@tensorflow/tfjs";
import { crossEntropy, nn, optim, randint, randn, seed, type Tensor } from "gradbook";
import type { BenchOptions, BenchRow, BenchSection } from "./section.ts";
import { fitExponent, measure } from "./stats.ts";
import { loadTfjs, type TfjsBackend, timeTfjsPeers } from "./tfjs.ts";

const BATCH = 16;
const STEPS = 32;
const INPUTS = 32;
const HIDDEN = 128;

/** Median of 5 after 5 warm-up steps (fewer leave V8 still tiering up), when no options are given. */
const DEFAULT_OPTIONS: BenchOptions = { quick: false, warmup: 5, samples: 5, minSampleMs: 0 };

/** Our step: `nn.LSTM` forward on `[steps, batch, input]`, sum of the outputs, backward. */
export function oursStep(steps: number): () => void {
  seed(0);
  const lstm = new nn.LSTM(INPUTS, HIDDEN);
  const x = randn([steps, BATCH, INPUTS]);
  return () => {
    lstm.zeroGrad();
    const [output] = lstm.forward(x);
    const loss = output.sum();
    loss.backward();
    if (!Number.isFinite(loss.item())) throw new Error("lstm: our loss is not finite");
  };
}

/**
 * The same in tfjs: `basicLSTMCell` (one `[x, h]·W` matmul per step, the fused form) unrolled
 * over the sequence, loss = sum of every $h_t$, gradients of the kernel and bias.
 */
async function tfjsStep(steps: number, backend: TfjsBackend): Promise<() => void> {
  const tf = await loadTfjs(backend);
  seed(0);
  const scale = 1 / Math.sqrt(HIDDEN);
  const kernel = tf.variable(
    tf.tensor2d(randn([INPUTS + HIDDEN, 4 * HIDDEN]).data as Float32Array, [
      INPUTS + HIDDEN,
      4 * HIDDEN,
    ]).mul(scale),
  ) as Variable<Rank.R2>;
  const bias = tf.variable(
    tf.tensor1d(randn([4 * HIDDEN]).data as Float32Array).mul(scale),
  ) as Variable<Rank.R1>;
  const xs = tf.tensor3d(randn([steps, BATCH, INPUTS]).data as Float32Array, [
    steps,
    BATCH,
    INPUTS,
  ]);
  const inputs = tf.unstack(xs) as Tensor2D[];
  const forgetBias = tf.scalar(1);
  return () => {
    const { value, grads } = tf.variableGrads(() => {
      let c = tf.zeros([BATCH, HIDDEN]) as Tensor2D;
      let h = tf.zeros([BATCH, HIDDEN]) as Tensor2D;
      let total = tf.scalar(0) as TfTensor;
      for (const x of inputs) {
        [c, h] = tf.basicLSTMCell(forgetBias, kernel, bias, x, c, h);
        total = total.add(h.sum());
      }
      return total as Scalar;
    });
    const loss = value.dataSync()[0]!;
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
    if (!Number.isFinite(loss)) throw new Error("lstm: the tfjs loss is not finite");
  };
}

/**
 * Times the LSTM step (ms, forward + backward) on our runtime and on tfjs-cpu. Runs
 * alone (`deno run -A tools/bench/lstm.ts`) or as the `lstm` section of `deno task bench`.
 */
export async function benchLstm(options: BenchOptions = DEFAULT_OPTIONS): Promise<BenchRow> {
  const ours = measure(oursStep(STEPS), options);
  const { peers, note } = await timeTfjsPeers((backend) => tfjsStep(STEPS, backend), options);
  return {
    workload: `LSTM fwd+bwd b${BATCH} len${STEPS} in${INPUTS} h${HIDDEN}`,
    unit: "ms",
    kind: "time",
    ours,
    peers,
    note,
    id: "lstm",
  };
}

/** Our LSTM step time against sequence length 16…256, reduced to the fitted exponent. */
export function benchLstmGrowth(options: BenchOptions = DEFAULT_OPTIONS): BenchRow {
  const lengths = options.quick ? [16, 64] : [16, 32, 64, 128, 256];
  const details: Record<string, number> = {};
  const times = lengths.map((length) => {
    const ms = measure(oursStep(length), options);
    details[`ours ms at length ${length}`] = ms;
    return ms;
  });
  return {
    workload: `LSTM growth exponent, length ${lengths[0]}-${lengths.at(-1)}`,
    unit: "",
    kind: "exponent",
    ours: fitExponent(lengths, times),
    peers: {},
    note: "tfjs-cpu not timed here (seconds per step at length 256)",
    details,
  };
}

/** Sizes of the character-level language model of the RNN lesson. */
export const CHAR_MODEL = { vocab: 60, embedding: 32, hidden: 128, batch: 32, steps: 64 };

/**
 * One training step of a character-level LSTM language model: embedding, LSTM, linear to the
 * vocabulary, cross-entropy on the next character, gradient clipping at 1, Adam.
 */
export function charModelStep(): () => void {
  const { vocab, embedding, hidden, batch, steps } = CHAR_MODEL;
  seed(0);
  const embed = new nn.Embedding(vocab, embedding);
  const lstm = new nn.LSTM(embedding, hidden, { batchFirst: true });
  const head = new nn.Linear(hidden, vocab);
  const parameters = [...embed.parameters(), ...lstm.parameters(), ...head.parameters()];
  const optimizer = new optim.Adam(parameters, { lr: 2e-3 });
  const text = Array.from(randint(0, vocab, [batch * (steps + 1)]).data);
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let b = 0; b < batch; b++) {
    const row = text.slice(b * (steps + 1), (b + 1) * (steps + 1));
    inputs.push(row.slice(0, steps));
    targets.push(...row.slice(1));
  }
  return () => {
    optimizer.zeroGrad();
    const [output] = lstm.forward(embed.forward(inputs));
    const logits: Tensor = head.forward(output.reshape(batch * steps, hidden));
    const loss = crossEntropy(logits, targets);
    loss.backward();
    optim.clipGradNorm(parameters, 1);
    optimizer.step();
    if (!Number.isFinite(loss.item())) throw new Error("char LSTM: the loss is not finite");
  };
}

/** Training throughput of {@link CHAR_MODEL} in characters (predicted tokens) per second. */
export function benchCharModel(options: BenchOptions = DEFAULT_OPTIONS): BenchRow {
  const { vocab, embedding, hidden, batch, steps } = CHAR_MODEL;
  const ms = measure(charModelStep(), options);
  return {
    workload: `char-LSTM train v${vocab} e${embedding} h${hidden} b${batch} len${steps}`,
    unit: "chars/s",
    kind: "throughput",
    ours: (batch * steps) / (ms / 1000),
    peers: {},
    details: { "ours ms per step": ms },
    id: "char lstm",
    work: batch * steps * 1000,
  };
}

/** The LSTM step beside tfjs-cpu. */
export const lstmSection: BenchSection = {
  name: "lstm",
  async run(options) {
    return [await benchLstm(options)];
  },
};

/** LSTM growth with length, and the char-level model's training speed (ours only). */
export const lstmGrowthSection: BenchSection = {
  name: "lstm-growth",
  run(options) {
    return Promise.resolve([benchLstmGrowth(options), benchCharModel(options)]);
  },
};

if (import.meta.main) {
  for (const row of [await benchLstm(), benchLstmGrowth(), benchCharModel()]) {
    console.log(JSON.stringify(row));
  }
}
