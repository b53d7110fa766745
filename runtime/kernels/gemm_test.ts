import { assert, assertEquals } from "../../tests/assert.ts";
import { Generator } from "../random.ts";
import type { TensorData } from "../tensor.ts";
import { gemm } from "./gemm.ts";

type ArrayKind = typeof Float32Array | typeof Float64Array;

const SENTINEL = -12345;

/** A [rows, cols] matrix of uniform values in [-1, 1) stored after `offset` sentinel cells. */
function randomMatrix(
  kind: ArrayKind,
  g: Generator,
  offset: number,
  size: number,
): TensorData {
  const data = new kind(offset + size + 3).fill(SENTINEL);
  for (let i = 0; i < size; i++) data[offset + i] = g.random() * 2 - 1;
  return data;
}

/** Naive float64 reference; also returns Σ|a||b| per cell as the error scale. */
function reference(
  a: TensorData,
  aOffset: number,
  b: TensorData,
  bOffset: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = a[aOffset + (transA ? p * m + i : i * k + p)]!;
        const y = b[bOffset + (transB ? j * k + p : p * n + j)]!;
        s += x * y;
        t += Math.abs(x * y);
      }
      value[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { value, scale };
}

function checkCase(
  kind: ArrayKind,
  g: Generator,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const tolerance = kind === Float64Array ? 1e-12 : 1e-5;
  const aOffset = g.randint(0, 5);
  const bOffset = g.randint(0, 5);
  const cOffset = g.randint(0, 5);
  const a = randomMatrix(kind, g, aOffset, m * k);
  const b = randomMatrix(kind, g, bOffset, k * n);
  const c = new kind(cOffset + m * n + 3).fill(SENTINEL);
  gemm(a, aOffset, b, bOffset, c, cOffset, { m, n, k, transA, transB });
  const { value, scale } = reference(a, aOffset, b, bOffset, m, n, k, transA, transB);
  const label = `${kind.name} m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`;
  for (let i = 0; i < m * n; i++) {
    const error = Math.abs(c[cOffset + i]! - value[i]!);
    const bound = tolerance * Math.max(scale[i]!, 1e-30);
    assert(
      error <= bound,
      `${label}: cell ${i} is ${c[cOffset + i]}, expected ${value[i]} (error ${error} > ${bound})`,
    );
  }
  for (let i = 0; i < cOffset; i++) assertEquals(c[i], SENTINEL, `${label}: wrote before C`);
  for (let i = cOffset + m * n; i < c.length; i++) {
    assertEquals(c[i], SENTINEL, `${label}: wrote past C`);
  }
}

const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [
  true,
  true,
]];

/** Edge sizes around the 4×4 tile, plus shapes that cross the KC (256), MC (64), NC (1024) blocks. */
const SMALL_SIZES = [1, 3, 5, 17];
const LARGE_SHAPES: [number, number, number][] = [
  [64, 64, 64],
  [130, 130, 130],
  [130, 17, 5],
  [5, 130, 64],
  [17, 64, 130],
  [1, 130, 64],
  [130, 1, 17],
  [3, 5, 600],
  [67, 9, 300],
  [5, 1030, 9],
];

for (const kind of [Float32Array, Float64Array]) {
  Deno.test(`gemm() matches a naive product for ${kind.name} sizes 1, 3, 5, 17 in every layout`, () => {
    const g = new Generator(1);
    for (const [transA, transB] of TRANSPOSES) {
      for (const m of SMALL_SIZES) {
        for (const n of SMALL_SIZES) {
          for (const k of SMALL_SIZES) checkCase(kind, g, m, n, k, transA, transB);
        }
      }
    }
  });

  Deno.test(`gemm() matches a naive product for ${kind.name} shapes up to 130 and across cache blocks`, () => {
    const g = new Generator(2);
    for (const [transA, transB] of TRANSPOSES) {
      for (const [m, n, k] of LARGE_SHAPES) checkCase(kind, g, m, n, k, transA, transB);
    }
  });
}

Deno.test("gemm() zeroes C when the inner dimension is 0", () => {
  const c = new Float32Array([7, 7, 7, 7, 7]);
  gemm(new Float32Array(0), 0, new Float32Array(0), 0, c, 1, { m: 2, n: 2, k: 0 });
  assertEquals(Array.from(c), [7, 0, 0, 0, 0]);
});

Deno.test("gemm() gives the same result on a repeated call with reused packing buffers", () => {
  const g = new Generator(3);
  const a = randomMatrix(Float64Array, g, 0, 70 * 90);
  const b = randomMatrix(Float64Array, g, 0, 90 * 50);
  const first = new Float64Array(70 * 50);
  const second = new Float64Array(70 * 50);
  gemm(a, 0, b, 0, first, 0, { m: 70, n: 50, k: 90 });
  // A larger call in between grows and overwrites the shared panels.
  const big = randomMatrix(Float64Array, g, 0, 300 * 300);
  gemm(big, 0, big, 0, new Float64Array(300 * 300), 0, { m: 300, n: 300, k: 300 });
  gemm(a, 0, b, 0, second, 0, { m: 70, n: 50, k: 90 });
  assertEquals(second, first);
});
