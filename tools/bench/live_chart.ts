/**
 * What a live chart costs a training loop: the same MLP training cell runs in one kernel with
 * and without a `display(plot.line(losses))` handle updated on every step (`h.update(...)`,
 * which `runtime/display/display.ts` coalesces to at most 10 sends a second). Runs alternate (plain,
 * chart, chart, plain, ...) so drift in the machine's load hits both alike; the slowdown is
 * the median over the pairs of each pair's ratio. Target (issue 15): at most 5%.
 *
 * Run alone: `deno run --allow-all --unstable-worker-options tools/bench/live_chart.ts [seconds]`
 *
 * @module
 */
import { KernelProcess } from "../../notebook/kernel/kernel_process.ts";
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";

/** What {@link measureLiveChart} reports. */
export interface LiveChartMeasurement {
  /** Training steps per run (calibrated to about the requested seconds). */
  steps: number;
  /** Median wall time of a run without a chart (execute → reply), in ms. */
  plainMs: number;
  /** Median wall time of a run with the chart updated every step, in ms. */
  chartMs: number;
  /** Median over adjacent (plain, chart) pairs of `100 * (chart / plain - 1)`. */
  slowdownPercent: number;
  /** Median number of display updates that reached the bench per chart run. */
  updatesSent: number;
  /**
   * Coalesced updates per second of the median chart run, leaving out the one the kernel
   * flushes when the cell ends (that one always comes, whatever the rate).
   */
  updatesPerSecond: number;
}

const SETUP = `
import { crossEntropy, nn, optim, randint, randn, seed } from "gradbook";
import { display, plot } from "gradbook/display";
seed(1);
const x = randn([64, 784]);
const targets = randint(0, 10, [64]);
function train(steps, withChart) {
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
  const losses = [];
  const h = withChart ? display(plot.line(losses, { title: "loss" })) : null;
  for (let i = 0; i < steps; i++) {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(x), targets);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    h?.update(plot.line(losses, { title: "loss" }));
  }
  return losses.length;
}
globalThis.benchTrain = train;
`;

/**
 * Measures the live chart's overhead on a ~`seconds`-long training loop, `pairs` times each way.
 */
export async function measureLiveChart(
  { seconds = 2, pairs = 5 } = {},
): Promise<LiveChartMeasurement> {
  const kernel = new KernelProcess();
  try {
    await kernel.start();
    await run(kernel, SETUP);
    // Calibrate: time 50 steps (after 10 of warm-up) to pick a step count of ~`seconds`.
    await run(kernel, "benchTrain(10, false)");
    const probe = await run(kernel, "benchTrain(50, false)");
    const steps = Math.max(20, Math.round((seconds * 1000 * 50) / probe.ms));
    const plain: number[] = [];
    const chart: { ms: number; updates: number }[] = [];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const withChart of order) {
        const r = await run(kernel, `benchTrain(${steps}, ${withChart})`);
        if (withChart) chart.push(r);
        else plain.push(r.ms);
      }
    }
    const plainMs = median(plain);
    const chartMs = median(chart.map((r) => r.ms));
    const ratios = plain.map((ms, i) => chart[i]!.ms / ms);
    const updatesSent = median(chart.map((r) => r.updates));
    return {
      steps,
      plainMs: round(plainMs),
      chartMs: round(chartMs),
      slowdownPercent: round(100 * (median(ratios) - 1)),
      updatesSent,
      updatesPerSecond: round(Math.max(0, updatesSent - 1) / (chartMs / 1000)),
    };
  } finally {
    await kernel.shutdown();
  }
}

/** Runs one cell; resolves with its wall time and the display updates it sent. */
async function run(kernel: KernelProcess, code: string): Promise<{ ms: number; updates: number }> {
  let updates = 0;
  const errors: string[] = [];
  const onEvent = (event: KernelEvent) => {
    if (event.type === "display" && event.update) updates++;
    if (event.type === "error") errors.push(`${event.name}: ${event.message}`);
  };
  const t0 = performance.now();
  const reply = await kernel.execute("live-chart", code, onEvent);
  const ms = performance.now() - t0;
  if (reply.status !== "ok") {
    throw new Error(
      `Live-chart bench cell ended with status ${reply.status}: ${errors.join("; ")}`,
    );
  }
  return { ms, updates };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.main) {
  console.log(await measureLiveChart({ seconds: Number(Deno.args[0] ?? 2) }));
}
