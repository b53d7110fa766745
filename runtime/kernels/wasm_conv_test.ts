import { assert, assertEquals } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { setGemmBackend } from "./gemm.ts";
import { conv2dBackwardWasm, conv2dWasm, type ConvGeometry } from "./wasm_conv.ts";
import { installGemmWasm } from "./wasm_gemm.ts";
import { assembleGemmWasm } from "./wasm_gemm_source.ts";

// NOTE: assembled from this checkout's source, not read from build/wasm/.
installGemmWasm(await assembleGemmWasm());

type Case = Omit<ConvGeometry, "ho" | "wo">;

function withOutputSize(c: Case): ConvGeometry {
  const ho = Math.floor((c.h + 2 * c.ph - c.dh * (c.kh - 1) - 1) / c.sh) + 1;
  const wo = Math.floor((c.w + 2 * c.pw - c.dw * (c.kw - 1) - 1) / c.sw) + 1;
  return { ...c, ho, wo };
}

/** The definition, in float64, one output at a time; also Σ|x·w| per output as error scale. */
function reference(x: Float32Array, w: Float32Array, b: Float32Array | null, g: ConvGeometry) {
  const { n, c, h, w: width, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, ho, wo } = g;
  const cg = c / groups;
  const og = o / groups;
  const value = new Float64Array(n * o * ho * wo);
  const scale = new Float64Array(value.length);
  for (let s = 0; s < n; s++) {
    for (let oc = 0; oc < o; oc++) {
      const group = Math.floor(oc / og);
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          let sum = b === null ? 0 : b[oc]!;
          let size = Math.abs(sum);
          for (let ci = 0; ci < cg; ci++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const iy = oy * sh - ph + i * dh;
                const ix = ox * sw - pw + j * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= width) continue;
                const xv = x[((s * c + group * cg + ci) * h + iy) * width + ix]!;
                const wv = w[((oc * cg + ci) * kh + i) * kw + j]!;
                sum += xv * wv;
                size += Math.abs(xv * wv);
              }
            }
          }
          const at = ((s * o + oc) * ho + oy) * wo + ox;
          value[at] = sum;
          scale[at] = size;
        }
      }
    }
  }
  return { value, scale };
}

const CASES: Case[] = [
  // The bench's conv: batch 32, 1×28×28, 8 filters 5×5.
  {
    n: 32,
    c: 1,
    h: 28,
    w: 28,
    o: 8,
    kh: 5,
    kw: 5,
    sh: 1,
    sw: 1,
    ph: 0,
    pw: 0,
    dh: 1,
    dw: 1,
    groups: 1,
  },
  {
    n: 2,
    c: 3,
    h: 9,
    w: 11,
    o: 4,
    kh: 3,
    kw: 3,
    sh: 1,
    sw: 1,
    ph: 1,
    pw: 1,
    dh: 1,
    dw: 1,
    groups: 1,
  },
  {
    n: 2,
    c: 4,
    h: 10,
    w: 7,
    o: 6,
    kh: 3,
    kw: 2,
    sh: 2,
    sw: 3,
    ph: 1,
    pw: 2,
    dh: 1,
    dw: 1,
    groups: 2,
  },
  {
    n: 1,
    c: 2,
    h: 12,
    w: 13,
    o: 5,
    kh: 3,
    kw: 3,
    sh: 1,
    sw: 2,
    ph: 2,
    pw: 0,
    dh: 2,
    dw: 3,
    groups: 1,
  },
  {
    n: 3,
    c: 6,
    h: 5,
    w: 5,
    o: 6,
    kh: 1,
    kw: 1,
    sh: 1,
    sw: 1,
    ph: 0,
    pw: 0,
    dh: 1,
    dw: 1,
    groups: 6,
  },
  {
    n: 1,
    c: 1,
    h: 4,
    w: 21,
    o: 3,
    kh: 4,
    kw: 7,
    sh: 1,
    sw: 1,
    ph: 3,
    pw: 6,
    dh: 1,
    dw: 1,
    groups: 1,
  },
];

Deno.test("conv2dWasm() matches the definition for strides, padding, dilation and groups", () => {
  const gen = new Generator(7);
  for (const [index, c] of CASES.entries()) {
    const g = withOutputSize(c);
    const x = new Float32Array(g.n * g.c * g.h * g.w).map(() => gen.random() * 2 - 1);
    const w = new Float32Array(g.o * (g.c / g.groups) * g.kh * g.kw).map(() => gen.random() - 0.5);
    const b = index % 2 === 0 ? new Float32Array(g.o).map(() => gen.random()) : null;
    const out = new Float32Array(g.n * g.o * g.ho * g.wo).fill(NaN);
    assert(conv2dWasm(x, w, b, out, g), "the wasm kernel should be active");
    const { value, scale } = reference(x, w, b, g);
    for (let i = 0; i < out.length; i++) {
      const error = Math.abs(out[i]! - value[i]!);
      assert(
        error <= 1e-5 * Math.max(scale[i]!, 1e-6),
        `case ${index} ${JSON.stringify(c)}: output ${i} is ${out[i]}, expected ${value[i]}`,
      );
    }
  }
});

Deno.test("conv2dWasm() declines when the TypeScript backend is chosen", () => {
  const g = withOutputSize(CASES[1]!);
  const out = new Float32Array(g.n * g.o * g.ho * g.wo);
  const previous = setGemmBackend("typescript");
  try {
    const x = new Float32Array(g.n * g.c * g.h * g.w);
    assertEquals(conv2dWasm(x, new Float32Array(g.o * g.c * 9), null, out, g), false);
  } finally {
    setGemmBackend(previous);
  }
});

/** The gradients by the definition, in float64: dx and dW of sum(dy ⊙ conv(x, w)). */
function referenceGradients(x: Float32Array, w: Float32Array, dy: Float32Array, g: ConvGeometry) {
  const { n, c, h, w: width, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, ho, wo } = g;
  const cg = c / groups;
  const og = o / groups;
  const dx = new Float64Array(x.length);
  const dW = new Float64Array(w.length);
  for (let s = 0; s < n; s++) {
    for (let oc = 0; oc < o; oc++) {
      const group = Math.floor(oc / og);
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          const d = dy[((s * o + oc) * ho + oy) * wo + ox]!;
          for (let ci = 0; ci < cg; ci++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const iy = oy * sh - ph + i * dh;
                const ix = ox * sw - pw + j * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= width) continue;
                const xi = ((s * c + group * cg + ci) * h + iy) * width + ix;
                const wi = ((oc * cg + ci) * kh + i) * kw + j;
                dx[xi]! += d * w[wi]!;
                dW[wi]! += d * x[xi]!;
              }
            }
          }
        }
      }
    }
  }
  return { dx, dW };
}

Deno.test("conv2dBackwardWasm() matches the definition's input and weight gradients", () => {
  const gen = new Generator(8);
  for (const [index, c] of CASES.entries()) {
    const g = withOutputSize(c);
    const x = new Float32Array(g.n * g.c * g.h * g.w).map(() => gen.random() * 2 - 1);
    const w = new Float32Array(g.o * (g.c / g.groups) * g.kh * g.kw).map(() => gen.random() - 0.5);
    const dy = new Float32Array(g.n * g.o * g.ho * g.wo).map(() => gen.random() * 2 - 1);
    const dx = new Float32Array(x.length).fill(NaN);
    const dw = new Float32Array(w.length).fill(NaN);
    // Each gradient alone, then both in one call.
    const onlyDx = new Float32Array(x.length);
    const onlyDw = new Float32Array(w.length);
    assert(conv2dBackwardWasm(x, w, dy, onlyDx, null, g), "the wasm kernel should be active");
    assert(conv2dBackwardWasm(x, w, dy, null, onlyDw, g));
    assert(conv2dBackwardWasm(x, w, dy, dx, dw, g));
    assertEquals(onlyDx, dx);
    assertEquals(onlyDw, dw);
    const expected = referenceGradients(x, w, dy, g);
    const check = (name: string, actual: Float32Array, want: Float64Array) => {
      const largest = Math.max(...want.map(Math.abs), 1e-6);
      for (let i = 0; i < actual.length; i++) {
        assert(
          Math.abs(actual[i]! - want[i]!) <= 1e-5 * largest,
          `case ${index} ${JSON.stringify(c)}: ${name}[${i}] is ${actual[i]}, expected ${want[i]}`,
        );
      }
    };
    check("dx", dx, expected.dx);
    check("dw", dw, expected.dW);
  }
});
