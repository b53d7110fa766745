/**
 * The all-cores rows of `deno task bench`: the workloads of the performance issue with every
 * core (`setThreads(cores)`), beside PyTorch on as many threads. The other sections run on one
 * thread (`bench/main.ts` sets it), so each workload has a 1-thread row there and an all-threads
 * row here, measured in the same run.
 *
 * @module
 */
import { randn, setThreads, threadsReady } from "gradbook";
import { CHAR_MODEL, charModelStep, oursStep as lstmStep } from "./lstm.ts";
import { oursConvStep } from "./conv.ts";
import { makeProblem, oursStep as mlpStep } from "./mlp.ts";
import type { BenchOptions, BenchRow, BenchSection } from "./section.ts";
import { measure } from "./stats.ts";

/** Every core this machine reports. */
export function allThreads(): number {
  return Math.max(1, navigator.hardwareConcurrency ?? 1);
}

/** The rows, measured with `threads` threads. */
export async function threadRows(threads: number, options: BenchOptions): Promise<BenchRow[]> {
  const previous = setThreads(threads);
  try {
    const started = await threadsReady();
    const label = `${threads} thread${threads === 1 ? "" : "s"}`;
    const note = started === threads ? undefined : `only ${started} thread(s) started`;
    const size = 512;
    const a = randn([size, size]);
    const b = randn([size, size]);
    const flop = 2 * size ** 3;
    const matmulMs = measure(() => void a.matmul(b), options);
    const { batch, steps } = CHAR_MODEL;
    const charMs = measure(charModelStep(), options);
    // NOTE: `peers` is filled in later, row by row, so each row needs its own object.
    const common = () => ({ peers: {}, note, threads });
    return [
      {
        ...common(),
        workload: `matmul ${size}x${size} f32, ${label}`,
        unit: "GFLOP/s",
        kind: "throughput",
        ours: flop / matmulMs / 1e6,
        id: `matmul ${size}`,
        work: flop / 1e6,
      },
      {
        ...common(),
        workload: `MLP step b64 784-256-10, ${label}`,
        unit: "ms",
        kind: "time",
        ours: measure(mlpStep(makeProblem(256)), options),
        id: "mlp 256",
      },
      {
        ...common(),
        workload: `conv2d step b32 1x28x28 8@5x5 fwd+bwd, ${label}`,
        unit: "ms",
        kind: "time",
        ours: measure(oursConvStep(), options),
        id: "conv step",
      },
      {
        ...common(),
        workload: `LSTM fwd+bwd b16 len32 in32 h128, ${label}`,
        unit: "ms",
        kind: "time",
        ours: measure(lstmStep(32), options),
        id: "lstm",
      },
      {
        ...common(),
        workload: `char-LSTM train b${batch} len${steps}, ${label}`,
        unit: "chars/s",
        kind: "throughput",
        ours: (batch * steps) / (charMs / 1000),
        id: "char lstm",
        work: batch * steps * 1000,
        details: { "ours ms per step": charMs },
      },
    ];
  } finally {
    setThreads(previous);
  }
}

/** The same workloads on every core (nothing when the machine has one). */
export const threadsSection: BenchSection = {
  name: "threads",
  async run(options) {
    const threads = allThreads();
    return threads === 1 ? [] : await threadRows(threads, options);
  },
};
