/**
 * Square float32 matmul, ours (`Tensor.matmul`) against `tf.matMul` on tfjs's CPU and wasm
 * backends, in GFLOP/s. Ours runs on the WebAssembly SIMD kernel when it is built; the row
 * marked "TS kernel" forces the pure TypeScript kernel for comparison.
 *
 * @module
 */
import { randn, type Tensor } from "gradbook";
import { type GemmBackend, setGemmBackend } from "../../runtime/kernels/gemm.ts";
import type { BenchOptions, BenchRow, BenchSection } from "./section.ts";
import { measure } from "./stats.ts";
import { loadTfjs, timeTfjsPeers } from "./tfjs.ts";

/** ms per product of `a` and `b` on our runtime with the given GEMM backend. */
function timeOurs(a: Tensor, b: Tensor, backend: GemmBackend, options: BenchOptions): number {
  const previous = setGemmBackend(backend);
  try {
    return measure(() => void a.matmul(b), options);
  } finally {
    setGemmBackend(previous);
  }
}

/** The size's row, and with `typeScriptRow` a second row for the pure TypeScript kernel. */
async function benchSize(
  size: number,
  options: BenchOptions,
  typeScriptRow: boolean,
): Promise<BenchRow[]> {
  const flop = 2 * size ** 3;
  const throughput = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? null : flop / ms / 1e6;
  const a = randn([size, size]);
  const b = randn([size, size]);
  const ours = timeOurs(a, b, "auto", options);
  const { peers, note } = await timeTfjsPeers(async (backend) => {
    const tf = await loadTfjs(backend);
    const ta = tf.tensor2d(new Float32Array(a.data), [size, size]);
    const tb = tf.tensor2d(new Float32Array(b.data), [size, size]);
    // NOTE: read the result back, as ours has it in a typed array. Not inside tf.tidy(): tidy
    // walks a returned typed array element by element looking for tensors (~20x slower).
    return () => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    };
  }, options);
  const row: BenchRow = {
    workload: `matmul ${size}x${size} f32`,
    unit: "GFLOP/s",
    kind: "throughput",
    ours: throughput(ours),
    peers: {
      "tfjs-cpu": throughput(peers["tfjs-cpu"]),
      "tfjs-wasm": throughput(peers["tfjs-wasm"]),
    },
    note,
    id: `matmul ${size}`,
    work: flop / 1e6,
  };
  if (!typeScriptRow) return [row];
  const typeScript = timeOurs(a, b, "typescript", options);
  return [row, {
    ...row,
    workload: `${row.workload} (TS kernel)`,
    ours: throughput(typeScript),
    id: undefined,
  }];
}

/** Matmul at 128, 256 and 512 (128 only with `--quick`); the TypeScript kernel at 256 too. */
export const matmulSection: BenchSection = {
  name: "matmul",
  async run(options) {
    const sizes = options.quick ? [128] : [128, 256, 512];
    const rows: BenchRow[] = [];
    for (const size of sizes) {
      rows.push(...await benchSize(size, options, size === (options.quick ? 128 : 256)));
    }
    return rows;
  },
};
