/**
 * Square float32 matmul, ours (`Tensor.matmul`) against `tf.matMul`, in GFLOP/s.
 *
 * @module
 */
import { randn } from "gradbook";
import type { BenchOptions, BenchRow, BenchSection } from "./section.ts";
import { measure } from "./stats.ts";
import { loadTfjsCpu } from "./tfjs.ts";

async function benchSize(size: number, options: BenchOptions): Promise<BenchRow> {
  const flop = 2 * size ** 3;
  const a = randn([size, size]);
  const b = randn([size, size]);
  const oursMs = measure(() => void a.matmul(b), options);
  const row: BenchRow = {
    workload: `matmul ${size}x${size} f32`,
    unit: "GFLOP/s",
    kind: "throughput",
    ours: flop / oursMs / 1e6,
    peers: {},
  };
  try {
    const tf = await loadTfjsCpu();
    const ta = tf.tensor2d(new Float32Array(a.data), [size, size]);
    const tb = tf.tensor2d(new Float32Array(b.data), [size, size]);
    const tfMs = measure(() => tf.matMul(ta, tb).dispose(), options);
    ta.dispose();
    tb.dispose();
    row.peers["tfjs-cpu"] = flop / tfMs / 1e6;
  } catch (error) {
    row.note = `tfjs-cpu failed: ${error instanceof Error ? error.message : error}`;
  }
  return row;
}

/** Matmul at 128, 256 and 512 (128 only with `--quick`). */
export const matmulSection: BenchSection = {
  name: "matmul",
  async run(options) {
    const sizes = options.quick ? [128] : [128, 256, 512];
    const rows: BenchRow[] = [];
    for (const size of sizes) rows.push(await benchSize(size, options));
    return rows;
  },
};
