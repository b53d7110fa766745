/**
 * One realistic example spec per chart kind, used by the tests and for looking at the charts.
 *
 * @module
 */
import type { ChartSpec } from "./spec.ts";

/** A deterministic pseudo-random generator (mulberry32) so examples are stable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rosenbrock(x: number, y: number): number {
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
}

/** Runs gradient descent with momentum on Rosenbrock's function from (-1.5, 2). */
function descend(lr: number, momentum: number, steps: number): { x: number[]; y: number[] } {
  let [x, y, vx, vy] = [-1.5, 2, 0, 0];
  const xs = [x];
  const ys = [y];
  for (let i = 0; i < steps; i++) {
    const gx = -2 * (1 - x) - 400 * x * (y - x * x);
    const gy = 200 * (y - x * x);
    vx = momentum * vx - lr * gx;
    vy = momentum * vy - lr * gy;
    x += vx;
    y += vy;
    xs.push(x);
    ys.push(y);
  }
  return { x: xs, y: ys };
}

/** Runs Adam (Kingma & Ba, 2015) on Rosenbrock's function from (-1.5, 2). */
function adam(lr: number, steps: number): { x: number[]; y: number[] } {
  let [x, y] = [-1.5, 2];
  const m = [0, 0];
  const v = [0, 0];
  const xs = [x];
  const ys = [y];
  for (let t = 1; t <= steps; t++) {
    const g = [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
    const step = [0, 1].map((k) => {
      m[k] = 0.9 * m[k]! + 0.1 * g[k]!;
      v[k] = 0.999 * v[k]! + 0.001 * g[k]! ** 2;
      return (lr * (m[k]! / (1 - 0.9 ** t))) / (Math.sqrt(v[k]! / (1 - 0.999 ** t)) + 1e-8);
    });
    x -= step[0]!;
    y -= step[1]!;
    xs.push(x);
    ys.push(y);
  }
  return { x: xs, y: ys };
}

/**
 * Returns one example spec per chart kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exampleSpecs } from "./examples.ts";
 * assert.equal(exampleSpecs().line.kind, "line");
 * ```
 */
export function exampleSpecs(): Record<ChartSpec["kind"], ChartSpec> {
  const rand = random(42);
  const steps = Array.from({ length: 300 }, (_, i) => i);
  const gx = Array.from({ length: 161 }, (_, i) => -2 + (i * 4) / 160);
  const gy = Array.from({ length: 121 }, (_, j) => -1 + (j * 4) / 120);
  const digit = (k: number) =>
    Array.from({ length: 28 * 28 }, (_, p) => {
      const [r, c] = [Math.floor(p / 28) - 14, (p % 28) - 14];
      const ring = Math.abs(Math.hypot(r * (1 + k * 0.1), c) - 8);
      return Math.max(0, 1 - ring / 2.5);
    });
  const mesh = (shift: number) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        x.push(6 + c * 3.2 + r * shift);
        y.push(6 + r * 3.2 - c * shift * 0.5);
      }
    }
    return { x, y };
  };
  return {
    line: {
      kind: "line",
      title: "Training loss",
      xLabel: "step",
      yLabel: "loss",
      logY: true,
      series: [
        { name: "train", y: steps.map((s) => 2.3 * Math.exp(-s / 60) + 0.02 + 0.03 * rand()) },
        {
          name: "validation",
          y: steps.map((s) => 2.3 * Math.exp(-s / 70) + 0.08 + 0.0001 * s * s / 300),
          dashed: true,
        },
        { name: "lr × 10", y: steps.map((s) => (s < 150 ? 1 : 0.1)) },
      ],
      markers: [{ x: 150, label: "lr decay" }],
    },
    scatter: {
      kind: "scatter",
      title: "Two moons",
      xLabel: "x₁",
      yLabel: "x₂",
      x: Array.from(
        { length: 200 },
        (_, i) =>
          (i < 100 ? Math.cos((i / 100) * Math.PI) : 1 - Math.cos(((i - 100) / 100) * Math.PI)) +
          0.15 * (rand() - 0.5),
      ),
      y: Array.from(
        { length: 200 },
        (_, i) =>
          (i < 100 ? Math.sin((i / 100) * Math.PI) : 0.5 - Math.sin(((i - 100) / 100) * Math.PI)) +
          0.15 * (rand() - 0.5),
      ),
      labels: Array.from({ length: 200 }, (_, i) => (i < 100 ? "class 0" : "class 1")),
    },
    heatmap: {
      kind: "heatmap",
      title: "Attention weights",
      xLabel: "key",
      yLabel: "query",
      values: Array.from({ length: 6 }, (_, r) => {
        const row = Array.from({ length: 6 }, (_, c) => Math.exp(-((r - c) ** 2) / 2 + rand()));
        const sum = row.reduce((a, b) => a + b, 0);
        return row.map((v) => v / sum);
      }),
      rowLabels: ["the", "cat", "sat", "on", "the", "mat"],
      colLabels: ["the", "cat", "sat", "on", "the", "mat"],
      annotate: true,
    },
    images: {
      kind: "images",
      title: "Spatial transformer: sampling grids",
      images: [0, 1, 2, 3, 4, 5].map(digit),
      imageWidth: 28,
      imageHeight: 28,
      captions: ["label 0", "label 1", "label 2", "label 3", "label 4", "label 5"],
      overlays: [0, 0.3, 0.6, -0.3, 0, 0.2].map(mesh),
    },
    bar: {
      kind: "bar",
      title: "Q-values",
      xLabel: "action",
      yLabel: "Q(s, a)",
      labels: ["left", "right", "up", "down"],
      values: [0.42, 1.37, -0.25, 0.88],
      name: "online",
      series: [{ name: "target", values: [0.5, 1.2, -0.1, 0.95] }],
    },
    contour: {
      kind: "contour",
      title: "Rosenbrock: SGD, momentum and Adam",
      xLabel: "x",
      yLabel: "y",
      x: gx,
      y: gy,
      values: gy.map((y) => gx.map((x) => rosenbrock(x, y))),
      levels: 14,
      logLevels: true,
      paths: [
        { name: "SGD (lr 1e-3)", ...descend(1e-3, 0, 1500) },
        { name: "momentum 0.9 (lr 5e-4)", ...descend(5e-4, 0.9, 600) },
        { name: "Adam (lr 0.05)", ...adam(0.05, 1000) },
      ],
      points: [{ x: 1, y: 1, label: "minimum (1, 1)" }],
    },
    raster: {
      kind: "raster",
      title: "Spiking network",
      spikes: Array.from(
        { length: 30 },
        (_, n) =>
          Array.from({ length: 40 }, () => rand() * 1000).filter(() =>
            rand() < 0.2 + (n % 5) * 0.12
          )
            .sort((a, b) => a - b),
      ),
      tMax: 1000,
      xLabel: "time (ms)",
    },
  };
}
