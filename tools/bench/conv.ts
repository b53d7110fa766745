/**
 * Vision workloads: the conv step of the performance issue (batch 32, 1x28x28, 8 filters 5x5,
 * forward and backward, beside tfjs-cpu), one epoch of a small CNN on 1000 28x28 images, and a
 * spatial-transformer sampler (affineGrid + gridSample) forward and backward on [64, 1, 42, 42].
 * The last two have no tfjs peer; they size the spatial-transformer lesson's training budget.
 *
 * @module
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import {
  affineGrid,
  conv2d,
  gridSample,
  nn,
  optim,
  randint,
  randn,
  seed,
  type Tensor,
  tensor,
} from "gradbook";
import { benchOptions } from "./options.ts";
import type { BenchOptions, BenchRow, BenchSection } from "./section.ts";
import { measure } from "./stats.ts";
import { loadTfjs, type TfjsBackend, timeTfjsPeers } from "./tfjs.ts";

const BATCH = 32;
const SIZE = 28;
const FILTERS = 8;
const KERNEL = 5;

/** Input, weight and bias of the conv step, shared by ours and tfjs. */
function convProblem(): { x: Tensor; w: Tensor; b: Tensor } {
  seed(0);
  return {
    x: randn([BATCH, 1, SIZE, SIZE]),
    w: randn([FILTERS, 1, KERNEL, KERNEL]).mul(0.2),
    b: randn([FILTERS]).mul(0.1),
  };
}

/** Our conv step: forward, then gradients for the input, the weight and the bias. */
export function oursConvStep(): () => void {
  const problem = convProblem();
  const x = problem.x.detach().requiresGrad_();
  const w = problem.w.detach().requiresGrad_();
  const b = problem.b.detach().requiresGrad_();
  return () => {
    x.grad = w.grad = b.grad = null;
    conv2d(x, w, b).sum().backward();
    if (!Number.isFinite(w.grad!.data[0]!)) throw new Error("conv: our gradient is not finite");
  };
}

/** The same step in tfjs (NHWC): `tf.grads` of the summed convolution for x, filter and bias. */
async function tfjsConvStep(backend: TfjsBackend): Promise<() => void> {
  const tf = await loadTfjs(backend);
  const problem = convProblem();
  // NCHW with C = 1 has the same memory order as NHWC; the filter goes [O,1,kh,kw] → [kh,kw,1,O].
  const x = tf.tensor4d(new Float32Array(problem.x.data), [BATCH, SIZE, SIZE, 1]);
  const w = tf.tensor4d(new Float32Array(problem.w.data), [FILTERS, KERNEL, KERNEL, 1])
    .transpose<Tensor4D>([1, 2, 3, 0]);
  const b = tf.tensor1d(new Float32Array(problem.b.data));
  const grads = tf.grads((x, w, b) =>
    tf.conv2d(x as Tensor4D, w as Tensor4D, 1, "valid").add(b).sum()
  );
  return () => {
    const [dx, dw, db] = grads([x, w, b]);
    const value = dw!.dataSync()[0]!;
    tf.dispose([dx!, dw!, db!]);
    if (!Number.isFinite(value)) throw new Error("conv: the tfjs gradient is not finite");
  };
}

/** Our forward pass alone (no gradient recorded), for the tfjs-wasm comparison. */
function oursConvForward(): () => void {
  const { x, w, b } = convProblem();
  return () => void conv2d(x, w, b);
}

/**
 * The forward pass alone in tfjs, read back: tfjs-wasm has a conv2d forward kernel (XNNPACK) but
 * no filter gradient, so this is the one conv workload it can be compared on.
 */
async function tfjsConvForward(backend: TfjsBackend): Promise<() => void> {
  const tf = await loadTfjs(backend);
  const problem = convProblem();
  const x = tf.tensor4d(new Float32Array(problem.x.data), [BATCH, SIZE, SIZE, 1]);
  const w = tf.tensor4d(new Float32Array(problem.w.data), [FILTERS, KERNEL, KERNEL, 1])
    .transpose<Tensor4D>([1, 2, 3, 0]);
  const b = tf.tensor1d(new Float32Array(problem.b.data));
  return () => {
    const y = tf.tidy(() => tf.conv2d(x, w, 1, "valid").add(b));
    y.dataSync();
    y.dispose();
  };
}

/**
 * Milliseconds per conv step (batch 32, 1x28x28, 8 filters 5x5, forward + backward for input,
 * weight and bias), the median of the bench's samples.
 *
 * @example
 * ```ts ignore
 * import { benchConv } from "./conv.ts";
 * console.log((await benchConv()).ms);
 * ```
 */
export function benchConv(options: BenchOptions = benchOptions([])): Promise<{ ms: number }> {
  return Promise.resolve({ ms: measure(oursConvStep(), options) });
}

/** Milliseconds for one epoch (1000 images, batch 32, SGD) of conv 8@5x5 → ReLU → maxpool 2 → linear 10. */
function cnnEpochMs(): number {
  seed(1);
  const images = randn([1000, 1, SIZE, SIZE]);
  const labels = Array.from(randint(0, 10, [1000]).data);
  const model = new nn.Sequential(
    new nn.Conv2d(1, FILTERS, KERNEL),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(FILTERS * 12 * 12, 10),
  );
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
  const pixels = SIZE * SIZE;
  const epoch = () => {
    for (let start = 0; start < 1000; start += BATCH) {
      const end = Math.min(1000, start + BATCH);
      const x = tensor(images.data.subarray(start * pixels, end * pixels), {
        shape: [end - start, 1, SIZE, SIZE],
      });
      optimizer.zeroGrad();
      const loss = nn.F.crossEntropy(model.forward(x), labels.slice(start, end));
      loss.backward();
      optimizer.step();
    }
  };
  epoch(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    epoch();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1]!;
}

/** One sampler step of a spatial transformer: affineGrid + gridSample on [64, 1, 42, 42], fwd + bwd. */
function gridSampleStep(): () => void {
  seed(2);
  const input = randn([64, 1, 42, 42]).requiresGrad_();
  const base = [[0.9, -0.2, 0.05], [0.15, 1.1, -0.1]];
  const theta = tensor(Array.from({ length: 64 }, () => base), { requiresGrad: true });
  return () => {
    input.grad = theta.grad = null;
    gridSample(input, affineGrid(theta, [64, 1, 42, 42])).sum().backward();
  };
}

/** The vision rows of `deno task bench`. */
export const convSection: BenchSection = {
  name: "conv",
  async run(options): Promise<BenchRow[]> {
    const ours = (await benchConv(options)).ms;
    // NOTE: tfjs-wasm has no conv2d filter-gradient kernel, so its column reads n/a.
    const { peers, note } = await timeTfjsPeers(tfjsConvStep, {
      ...options,
      minSampleMs: 0,
      samples: 3,
    });
    const forward = await timeTfjsPeers(tfjsConvForward, options);
    return [
      {
        workload: `conv2d forward b${BATCH} 1x${SIZE}x${SIZE} ${FILTERS}@${KERNEL}x${KERNEL}`,
        unit: "ms",
        kind: "time",
        ours: measure(oursConvForward(), options),
        peers: forward.peers,
        note: forward.note,
        id: "conv forward",
      },
      {
        workload: `conv2d step b${BATCH} 1x${SIZE}x${SIZE} ${FILTERS}@${KERNEL}x${KERNEL} fwd+bwd`,
        unit: "ms",
        kind: "time",
        ours,
        peers,
        note,
        id: "conv step",
      },
      {
        workload: "CNN epoch: 1000 28x28, conv 8@5x5-relu-maxpool2-linear10, b32",
        unit: "ms",
        kind: "time",
        ours: options.quick ? null : cnnEpochMs(),
        peers: {},
        note: options.quick ? "skipped with --quick" : undefined,
      },
      {
        workload: "affineGrid+gridSample [64,1,42,42] fwd+bwd",
        unit: "ms",
        kind: "time",
        ours: measure(gridSampleStep(), options),
        peers: {},
      },
    ];
  },
};
