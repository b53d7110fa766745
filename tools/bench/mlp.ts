/**
 * The MLP training step of issue 2: batch 64, 784-width-10, ReLU, cross-entropy from logits,
 * plain SGD; forward, backward and update, in ms per step. Also the growth check: the same step
 * at widths 128…1024 and the fitted exponent of time against width.
 *
 * @module
 */
import type { Scalar } from "@tensorflow/tfjs";
import { crossEntropy, nn, optim, randint, randn, seed, type Tensor, tensor } from "gradbook";
import type { BenchOptions, BenchSection, Peer } from "./section.ts";
import { fitExponent, measure } from "./stats.ts";
import { loadTfjs, type TfjsBackend, timeTfjsPeers } from "./tfjs.ts";
import { setGemmBackend } from "../../runtime/kernels/gemm.ts";

const BATCH = 64;
const INPUTS = 784;
const CLASSES = 10;
const LEARNING_RATE = 0.01;

/** Inputs, labels and initial weights shared by both implementations, so they do equal work. */
export interface MlpProblem {
  width: number;
  x: Tensor;
  labels: number[];
  w1: Tensor;
  w2: Tensor;
}

export function makeProblem(width: number): MlpProblem {
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
 * One training step of our runtime, written as a learner would: `nn.Sequential` of
 * `nn.Linear` + `nn.ReLU`, `crossEntropy` from logits, `optim.SGD`. The weights are copied from
 * the shared problem so both implementations start from the same point.
 */
export function oursStep(problem: MlpProblem): () => void {
  const { x, labels, width } = problem;
  const model = new nn.Sequential(
    new nn.Linear(INPUTS, width),
    new nn.ReLU(),
    new nn.Linear(width, CLASSES),
  );
  const [first, , last] = model.children() as [nn.Linear, nn.Module, nn.Linear];
  // Our Linear stores W as [out, in]; the shared problem holds [in, out].
  first.weight.data.set(problem.w1.transpose(0, 1).data);
  first.bias!.data.fill(0);
  last.weight.data.set(problem.w2.transpose(0, 1).data);
  last.bias!.data.fill(0);
  const targets = tensor(labels);
  const optimizer = new optim.SGD(model.parameters(), { lr: LEARNING_RATE });
  return () => {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(x), targets);
    loss.backward();
    optimizer.step();
    if (!Number.isFinite(loss.item())) throw new Error("mlp: our loss is not finite");
  };
}

/** The same step in tfjs: variables, `optimizer.minimize`, and the loss read back. */
async function tfjsStep(problem: MlpProblem, backend: TfjsBackend): Promise<() => void> {
  const tf = await loadTfjs(backend);
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

/**
 * ms per step for ours (and, with `typeScript`, ours on the pure TypeScript GEMM) and each
 * peer; a peer that fails gets `null` and a note.
 */
async function timeStep(
  width: number,
  options: BenchOptions,
  { typeScript = false } = {},
): Promise<
  {
    ours: number;
    oursTypeScript?: number;
    peers: Partial<Record<Peer, number | null>>;
    note?: string;
  }
> {
  const problem = makeProblem(width);
  const ours = measure(oursStep(problem), options);
  let oursTypeScript: number | undefined;
  if (typeScript) {
    const previous = setGemmBackend("typescript");
    try {
      oursTypeScript = measure(oursStep(problem), options);
    } finally {
      setGemmBackend(previous);
    }
  }
  const { peers, note } = await timeTfjsPeers((backend) => tfjsStep(problem, backend), options);
  return { ours, oursTypeScript, peers, note };
}

/** The MLP step at width 256. */
export const mlpSection: BenchSection = {
  name: "mlp",
  async run(options) {
    const { ours, oursTypeScript, peers, note } = await timeStep(256, options, {
      typeScript: true,
    });
    const workload = `MLP step b${BATCH} ${INPUTS}-256-${CLASSES}`;
    return [
      { workload, unit: "ms", kind: "time", ours, peers, note, id: "mlp 256" },
      {
        workload: `${workload} (TS kernel)`,
        unit: "ms",
        kind: "time",
        ours: oursTypeScript ?? null,
        peers,
      },
    ];
  },
};

/** Time of the MLP step against hidden width, reduced to the fitted exponent. */
export const mlpGrowthSection: BenchSection = {
  name: "mlp-growth",
  async run(options) {
    const widths = options.quick ? [128, 256] : [128, 256, 512, 1024];
    const ours: number[] = [];
    const theirs: (number | null)[] = [];
    const theirsWasm: (number | null)[] = [];
    const details: Record<string, number | null> = {};
    for (const width of widths) {
      const t = await timeStep(width, options);
      ours.push(t.ours);
      theirs.push(t.peers["tfjs-cpu"] ?? null);
      theirsWasm.push(t.peers["tfjs-wasm"] ?? null);
      details[`ours ms at width ${width}`] = t.ours;
      details[`tfjs-cpu ms at width ${width}`] = t.peers["tfjs-cpu"] ?? null;
      details[`tfjs-wasm ms at width ${width}`] = t.peers["tfjs-wasm"] ?? null;
    }
    const exponent = (times: (number | null)[]) => {
      const known = times.filter((t): t is number => t !== null);
      return known.length === widths.length ? fitExponent(widths, known) : null;
    };
    return [{
      workload: `MLP growth exponent, width ${widths[0]}-${widths.at(-1)}`,
      unit: "",
      kind: "exponent",
      ours: fitExponent(widths, ours),
      peers: { "tfjs-cpu": exponent(theirs), "tfjs-wasm": exponent(theirsWasm) },
      details,
    }];
  },
};
