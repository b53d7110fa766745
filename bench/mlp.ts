/**
 * The MLP training step of issue 2: batch 64, 784-width-10, ReLU, cross-entropy from logits,
 * plain SGD; forward, backward and update, in ms per step. Also the growth check: the same step
 * at widths 128…1024 and the fitted exponent of time against width.
 *
 * @module
 */
import type { Scalar } from "@tensorflow/tfjs";
import { randint, randn, seed, Tensor, zeros } from "gradbook";
import type { BenchOptions, BenchSection, Peer } from "./section.ts";
import { fitExponent, measure } from "./stats.ts";
import { loadTfjsCpu } from "./tfjs.ts";

const BATCH = 64;
const INPUTS = 784;
const CLASSES = 10;
const LEARNING_RATE = 0.01;

/** Inputs, labels and initial weights shared by both implementations, so they do equal work. */
interface MlpProblem {
  width: number;
  x: Tensor;
  labels: number[];
  w1: Tensor;
  w2: Tensor;
}

function makeProblem(width: number): MlpProblem {
  seed(0);
  const x = randn([BATCH, INPUTS]);
  const labels = Array.from(randint(0, CLASSES, [BATCH]).data);
  const w1 = randn([INPUTS, width]);
  const w2 = randn([width, CLASSES]);
  // Kaiming-style scale keeps the logits, and so the loss, in a sane range over many steps.
  for (let i = 0; i < w1.data.length; i++) w1.data[i]! *= Math.sqrt(2 / INPUTS);
  for (let i = 0; i < w2.data.length; i++) w2.data[i]! *= Math.sqrt(2 / width);
  return { width, x, labels, w1, w2 };
}

/**
 * Mean cross-entropy of `logits` [N, C] against one-hot targets [N, C], written with primitive
 * ops: $\log\sum_j e^{z_j - m} - (z_y - m)$ with $m$ the row max (a constant, for stability).
 */
function crossEntropyFromLogits(logits: Tensor, oneHot: Tensor): Tensor {
  const [rows, cols] = logits.shape as [number, number];
  const rowMax = zeros([rows, 1]);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, logits.data[r * cols + c]!);
    rowMax.data[r] = m;
  }
  const shifted = logits.sub(rowMax);
  return shifted.exp().sum(1, true).log().sub(shifted.mul(oneHot).sum(1, true)).mean();
}

/**
 * One training step of our runtime, from raw tensors. Returns the step function.
 * TODO(bench): build it from `nn.Linear`, `optim.SGD` and `crossEntropy` once they are exported
 * from `gradbook` (they were not when this was written).
 */
function oursStep(problem: MlpProblem): () => void {
  const { x, labels, width } = problem;
  const oneHot = zeros([BATCH, CLASSES]);
  labels.forEach((label, r) => oneHot.data[r * CLASSES + label] = 1);
  const w1 = new Tensor(problem.w1.data.slice(), [INPUTS, width], true);
  const b1 = zeros([width], { requiresGrad: true });
  const w2 = new Tensor(problem.w2.data.slice(), [width, CLASSES], true);
  const b2 = zeros([CLASSES], { requiresGrad: true });
  const parameters = [w1, b1, w2, b2];
  return () => {
    const hidden = x.matmul(w1).add(b1).relu();
    const loss = crossEntropyFromLogits(hidden.matmul(w2).add(b2), oneHot);
    loss.backward();
    for (const p of parameters) {
      const g = p.grad!.data;
      const d = p.data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! - LEARNING_RATE * g[i]!;
      p.zeroGrad();
    }
    if (!Number.isFinite(loss.item())) throw new Error("mlp: our loss is not finite");
  };
}

/** The same step in tfjs: variables, `optimizer.minimize`, and the loss read back. */
async function tfjsStep(problem: MlpProblem): Promise<() => void> {
  const tf = await loadTfjsCpu();
  const { width } = problem;
  const x = tf.tensor2d(new Float32Array(problem.x.data), [BATCH, INPUTS]);
  const y = tf.oneHot(tf.tensor1d(problem.labels, "int32"), CLASSES).toFloat();
  const w1 = tf.variable(tf.tensor2d(new Float32Array(problem.w1.data), [INPUTS, width]));
  const b1 = tf.variable(tf.zeros([width]));
  const w2 = tf.variable(tf.tensor2d(new Float32Array(problem.w2.data), [width, CLASSES]));
  const b2 = tf.variable(tf.zeros([CLASSES]));
  const optimizer = tf.train.sgd(LEARNING_RATE);
  return () => {
    const cost = optimizer.minimize(() => {
      const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const logits = tf.add(tf.matMul(hidden, w2), b2);
      return tf.losses.softmaxCrossEntropy(y, logits) as Scalar;
    }, true);
    const value = cost!.dataSync()[0]!;
    cost!.dispose();
    if (!Number.isFinite(value)) throw new Error("mlp: the tfjs loss is not finite");
  };
}

/** ms per step for ours and each peer; a peer that fails gets `null` and a note. */
async function timeStep(
  width: number,
  options: BenchOptions,
): Promise<{ ours: number; peers: Partial<Record<Peer, number | null>>; note?: string }> {
  const problem = makeProblem(width);
  const ours = measure(oursStep(problem), options);
  try {
    return { ours, peers: { "tfjs-cpu": measure(await tfjsStep(problem), options) } };
  } catch (error) {
    const note = `tfjs-cpu failed: ${error instanceof Error ? error.message : error}`;
    return { ours, peers: { "tfjs-cpu": null }, note };
  }
}

/** The MLP step at width 256. */
export const mlpSection: BenchSection = {
  name: "mlp",
  async run(options) {
    const { ours, peers, note } = await timeStep(256, options);
    return [{
      workload: `MLP step b${BATCH} ${INPUTS}-256-${CLASSES}`,
      unit: "ms",
      kind: "time",
      ours,
      peers,
      note,
    }];
  },
};

/** Time of the MLP step against hidden width, reduced to the fitted exponent. */
export const mlpGrowthSection: BenchSection = {
  name: "mlp-growth",
  async run(options) {
    const widths = options.quick ? [128, 256] : [128, 256, 512, 1024];
    const ours: number[] = [];
    const theirs: (number | null)[] = [];
    const details: Record<string, number | null> = {};
    for (const width of widths) {
      const t = await timeStep(width, options);
      ours.push(t.ours);
      theirs.push(t.peers["tfjs-cpu"] ?? null);
      details[`ours ms at width ${width}`] = t.ours;
      details[`tfjs-cpu ms at width ${width}`] = t.peers["tfjs-cpu"] ?? null;
    }
    const peerTimes = theirs.filter((t): t is number => t !== null);
    return [{
      workload: `MLP growth exponent, width ${widths[0]}-${widths.at(-1)}`,
      unit: "",
      kind: "exponent",
      ours: fitExponent(widths, ours),
      peers: {
        "tfjs-cpu": peerTimes.length === widths.length ? fitExponent(widths, peerTimes) : null,
      },
      details,
    }];
  },
};
