/**
 * The all-cores rows of `deno task bench`: the workloads of the performance issue with every
 * core (`setThreads(cores)`), beside PyTorch on as many threads. The other sections run on one
 * thread (`section_child.ts` sets it), so each workload has a 1-thread row there and an all-threads
 * row here, measured in the same run. Here each workload also alternates with itself on one
 * thread, so each row carries a speedup measured side by side (what the targets use).
 *
 * @module
 */
import { randn, setThreads, threadsReady } from "gradbook";
import { setParallelMinWork } from "../../runtime/kernels/wasm_gemm.ts";
import { CHAR_MODEL, charModelStep, oursStep as lstmStep } from "./lstm.ts";
import { oursConvStep } from "./conv.ts";
import { makeProblem, oursStep as mlpStep } from "./mlp.ts";
import {
  type BenchOptions,
  type BenchRow,
  type BenchSection,
  ONE_THREAD_MS,
  SPEEDUP,
} from "./section.ts";
import { measurePair } from "./stats.ts";

/** Every core this machine reports. */
export function allThreads(): number {
  return Math.max(1, navigator.hardwareConcurrency ?? 1);
}

/**
 * Runs `fn` on one thread while the pool stays up (its workers sleep), so one-thread and
 * all-thread calls can alternate without restarting workers (`setThreads(1)` stops them).
 */
function onOneThread(fn: () => void): () => void {
  return () => {
    const previous = setParallelMinWork(Infinity);
    try {
      fn();
    } finally {
      setParallelMinWork(previous);
    }
  };
}

/**
 * The rows, measured with `threads` threads. Each workload alternates with the same workload
 * on one thread ({@linkcode measurePair}), so each row also carries a one-thread figure and a
 * speedup measured side by side, which a machine whose speed drifts cannot skew.
 */
export async function threadRows(threads: number, options: BenchOptions): Promise<BenchRow[]> {
  const previous = setThreads(threads);
  try {
    const started = await threadsReady();
    const label = `${threads} thread${threads === 1 ? "" : "s"}`;
    const note = started === threads ? undefined : `only ${started} thread(s) started`;
    const pairOptions = { ...options, samples: options.samples * 2 + 1 };
    const timed = (fn: () => void) => {
      const pair = measurePair(fn, onOneThread(fn), pairOptions);
      return {
        ms: pair.first,
        details: { [ONE_THREAD_MS]: pair.second, [SPEEDUP]: 1 / pair.ratio },
      };
    };
    const size = 512;
    const a = randn([size, size]);
    const b = randn([size, size]);
    const flop = 2 * size ** 3;
    const matmul = timed(() => void a.matmul(b));
    const { batch, steps } = CHAR_MODEL;
    const chars = timed(charModelStep());
    const mlp = timed(mlpStep(makeProblem(256)));
    const conv = timed(oursConvStep());
    const lstm = timed(lstmStep(32));
    // NOTE: `peers` is filled in later, row by row, so each row needs its own object.
    const common = () => ({ peers: {}, note, threads });
    return [
      {
        ...common(),
        workload: `matmul ${size}x${size} f32, ${label}`,
        unit: "GFLOP/s",
        kind: "throughput",
        ours: flop / matmul.ms / 1e6,
        id: `matmul ${size}`,
        work: flop / 1e6,
        details: matmul.details,
      },
      {
        ...common(),
        workload: `MLP step b64 784-256-10, ${label}`,
        unit: "ms",
        kind: "time",
        ours: mlp.ms,
        id: "mlp 256",
        details: mlp.details,
      },
      {
        ...common(),
        workload: `conv2d step b32 1x28x28 8@5x5 fwd+bwd, ${label}`,
        unit: "ms",
        kind: "time",
        ours: conv.ms,
        id: "conv step",
        details: conv.details,
      },
      {
        ...common(),
        workload: `LSTM fwd+bwd b16 len32 in32 h128, ${label}`,
        unit: "ms",
        kind: "time",
        ours: lstm.ms,
        id: "lstm",
        details: lstm.details,
      },
      {
        ...common(),
        workload: `char-LSTM train b${batch} len${steps}, ${label}`,
        unit: "chars/s",
        kind: "throughput",
        ours: (batch * steps) / (chars.ms / 1000),
        id: "char lstm",
        work: batch * steps * 1000,
        details: { "ours ms per step": chars.ms, ...chars.details },
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
