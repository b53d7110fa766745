import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import type { TensorData } from "../tensor.ts";
import { gemm, type GemmShape, isGemmWasmActive, setGemmBackend } from "./gemm.ts";
import { gemmTypeScript } from "./gemm_typescript.ts";
import { gemmWasm, installGemmWasm } from "./wasm_gemm.ts";
import { assembleGemmWasm } from "./wasm_gemm_source.ts";

type ArrayKind = typeof Float32Array | typeof Float64Array;

/** One implementation under test, called like `gemm()`. */
type Multiply = (
  a: TensorData,
  aOffset: number,
  b: TensorData,
  bOffset: number,
  c: TensorData,
  cOffset: number,
  shape: GemmShape,
) => void;

// NOTE: the tests assemble both WebAssembly builds from source here rather than reading
// build/wasm/, so they test the source in this checkout whether or not it was built.
installGemmWasm(await assembleGemmWasm());
installGemmWasm(await assembleGemmWasm({ fma: true }), "fma");

/** The WebAssembly kernel of `variant`, failing (instead of falling back) if it cannot run. */
function wasmPath(variant: "exact" | "fma"): Multiply {
  return (a, aOffset, b, bOffset, c, cOffset, shape) => {
    assert(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array);
    assert(gemmWasm(a, aOffset, b, bOffset, c, cOffset, shape, variant), "wasm kernel missing");
  };
}

/** Every path, by name, with the dtypes it takes. */
const PATHS: { name: string; multiply: Multiply; kinds: ArrayKind[] }[] = [
  { name: "gemmTypeScript()", multiply: gemmTypeScript, kinds: [Float32Array, Float64Array] },
  { name: "the wasm kernel", multiply: wasmPath("exact"), kinds: [Float32Array] },
  { name: "the wasm FMA kernel", multiply: wasmPath("fma"), kinds: [Float32Array] },
];

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
  multiply: Multiply,
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
  multiply(a, aOffset, b, bOffset, c, cOffset, { m, n, k, transA, transB });
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

/**
 * Edge sizes around the 4×4 (TypeScript), 4×8 and 6×8 (wasm) tiles and the wasm kernel's
 * unpacked paths for one or two rows (16, 4 and 1 columns per pass; 4 depths per vector), plus
 * shapes that cross the cache blocks: KC 256 in both, MC 64 and NC 1024 (TypeScript), MC 96 and
 * NC 2048 (wasm).
 */
const SMALL_SIZES = [1, 2, 3, 5, 9, 17];
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
  [97, 2060, 3],
  [200, 24, 520],
  [2, 530, 300],
  [1, 37, 1030],
  [7, 20, 259],
];

for (const { name, multiply, kinds } of PATHS) {
  for (const kind of kinds) {
    Deno.test(`${name} matches a naive product for ${kind.name} sizes 1-17 in every layout`, () => {
      const g = new Generator(1);
      for (const [transA, transB] of TRANSPOSES) {
        for (const m of SMALL_SIZES) {
          for (const n of SMALL_SIZES) {
            for (const k of SMALL_SIZES) checkCase(multiply, kind, g, m, n, k, transA, transB);
          }
        }
      }
    });

    Deno.test(`${name} matches a naive product for ${kind.name} across cache blocks`, () => {
      const g = new Generator(2);
      for (const [transA, transB] of TRANSPOSES) {
        for (const [m, n, k] of LARGE_SHAPES) {
          checkCase(multiply, kind, g, m, n, k, transA, transB);
        }
      }
    });
  }
}

Deno.test("the wasm kernels agree with gemmTypeScript() to 1e-5 on float32 in every layout", () => {
  const g = new Generator(4);
  const shapes: [number, number, number][] = [[64, 256, 784], [16, 512, 128], [33, 10, 257]];
  for (const variant of ["exact", "fma"] as const) {
    for (const [transA, transB] of TRANSPOSES) {
      for (const [m, n, k] of shapes) {
        const aOffset = g.randint(0, 7);
        const bOffset = g.randint(0, 7);
        const cOffset = g.randint(0, 7);
        const a = randomMatrix(Float32Array, g, aOffset, m * k);
        const b = randomMatrix(Float32Array, g, bOffset, k * n);
        const expected = new Float32Array(cOffset + m * n);
        const actual = new Float32Array(cOffset + m * n);
        const shape = { m, n, k, transA, transB };
        gemmTypeScript(a, aOffset, b, bOffset, expected, cOffset, shape);
        wasmPath(variant)(a, aOffset, b, bOffset, actual, cOffset, shape);
        // Normwise: the largest difference against the largest entry of C. (Entry by entry,
        // a sum near zero of 784 float32 products has no relative accuracy in either path.)
        let worst = 0;
        let largest = 0;
        for (let i = 0; i < expected.length; i++) {
          worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
          largest = Math.max(largest, Math.abs(expected[i]!));
        }
        assert(
          worst <= 1e-5 * largest,
          `${variant} m=${m} n=${n} k=${k} transA=${transA} transB=${transB}: ` +
            `max difference ${worst} > 1e-5 × max |C| ${largest}`,
        );
      }
    }
  }
});

Deno.test("the exact wasm kernel gives identical bits on repeated and interleaved calls", () => {
  const g = new Generator(5);
  const a = randomMatrix(Float32Array, g, 0, 70 * 300);
  const b = randomMatrix(Float32Array, g, 0, 300 * 50);
  const first = new Float32Array(70 * 50);
  const second = new Float32Array(70 * 50);
  const multiply = wasmPath("exact");
  multiply(a, 0, b, 0, first, 0, { m: 70, n: 50, k: 300 });
  // A much larger call in between grows the module's memory and overwrites its panels.
  const big = randomMatrix(Float32Array, g, 0, 600 * 600);
  multiply(big, 0, big, 0, new Float32Array(600 * 600), 0, { m: 600, n: 600, k: 600 });
  multiply(a, 0, b, 0, second, 0, { m: 70, n: 50, k: 300 });
  assertEquals(second, first);
});

Deno.test("gemm() takes the wasm path for large float32 products and TypeScript when told", () => {
  const g = new Generator(6);
  const a = randomMatrix(Float32Array, g, 0, 40 * 50);
  const b = randomMatrix(Float32Array, g, 0, 50 * 30);
  const shape = { m: 40, n: 30, k: 50 };
  const viaWasm = new Float32Array(40 * 30);
  const viaTypeScript = new Float32Array(40 * 30);
  const dispatched = new Float32Array(40 * 30);
  wasmPath("exact")(a, 0, b, 0, viaWasm, 0, shape);
  gemmTypeScript(a, 0, b, 0, viaTypeScript, 0, shape);
  assert(viaWasm.some((v, i) => v !== viaTypeScript[i]), "the two paths should round apart");
  gemm(a, 0, b, 0, dispatched, 0, shape);
  assertEquals(dispatched, viaWasm);
  const previous = setGemmBackend("typescript");
  try {
    gemm(a, 0, b, 0, dispatched, 0, shape);
    assertEquals(dispatched, viaTypeScript);
  } finally {
    setGemmBackend(previous);
  }
});

Deno.test("isGemmWasmActive() is true with the kernel installed unless TypeScript is chosen", () => {
  assertEquals(isGemmWasmActive(), true);
  const previous = setGemmBackend("typescript");
  try {
    assertEquals(isGemmWasmActive(), false);
  } finally {
    setGemmBackend(previous);
  }
});

Deno.test("gemmWasm() rejects operands shorter than their shape", () => {
  assertThrows(
    () =>
      gemmWasm(new Float32Array(5), 0, new Float32Array(6), 0, new Float32Array(4), 0, {
        m: 2,
        n: 2,
        k: 3,
      }),
    RangeError,
    "gemm: operands too short for m=2 n=2 k=3 (A 5 from 0",
  );
});

Deno.test("installGemmWasm() rejects a module that is not a GEMM kernel", () => {
  const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assertThrows(() => installGemmWasm(empty, "fma"), TypeError, "has no `abi` and `gemm` exports");
});

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
