import { assert } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { heapOf, installGemmWasm, kernel } from "./wasm_gemm.ts";
import { DATA_OFFSET } from "./wasm_gemm_layout.ts";
import { assembleGemmWasm } from "./wasm_gemm_source.ts";

// NOTE: assembled from this checkout's source, not read from build/wasm/.
installGemmWasm(await assembleGemmWasm());
const exports = kernel("exact")!;
const random = new Generator(28);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Inputs spread over every range the polynomials switch between, and beyond float32's exp. */
function spread(count: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => {
    const scale = [1e-6, 1e-3, 0.3, 0.62, 0.63, 2, 10, 50, 120][i % 9]!;
    return scale * random.normal();
  });
}

/** The largest |a - b| / max(|b|, floor). */
function worstError(a: Float32Array, b: Float64Array, floor: number): number {
  return a.reduce(
    (w, v, i) => Math.max(w, Math.abs(v - b[i]!) / Math.max(Math.abs(b[i]!), floor)),
    0,
  );
}

Deno.test("lstmCellForward() matches the float64 gates, cell and state to a few float32 units in the last place", () => {
  const H = 64;
  const G = 4 * H;
  const x = spread(G), h = spread(G), bias = spread(G), cPrev = spread(H);
  const at = DATA_OFFSET / 4;
  const heap = heapOf(exports, (at + 8 * G) * 4)!;
  const [xAt, hAt, biasAt, actsAt, cPrevAt, cAt, hNextAt] = [0, 1, 2, 3, 4, 5, 6].map((k) =>
    at + k * G
  );
  heap.set(x, xAt!);
  heap.set(h, hAt!);
  heap.set(bias, biasAt!);
  heap.set(cPrev, cPrevAt!);
  exports.lstmCellForward(
    xAt! * 4,
    hAt! * 4,
    biasAt! * 4,
    actsAt! * 4,
    cPrevAt! * 4,
    cAt! * 4,
    hNextAt! * 4,
    H,
  );
  const acts = new Float64Array(G), c = new Float64Array(H), hNext = new Float64Array(H);
  for (let j = 0; j < G; j++) {
    const pre = Math.fround(Math.fround(x[j]! + h[j]!) + bias[j]!);
    acts[j] = Math.floor(j / H) === 2 ? Math.tanh(pre) : sigmoid(pre);
  }
  for (let j = 0; j < H; j++) {
    c[j] = acts[H + j]! * cPrev[j]! + acts[j]! * acts[2 * H + j]!;
    hNext[j] = acts[3 * H + j]! * Math.tanh(c[j]!);
  }
  // Relative to the value, or absolute below 1e-30 (exp's clamp flushes what is tinier).
  const actsError = worstError(heap.slice(actsAt!, actsAt! + G), acts, 1e-30);
  assert(actsError < 4e-7, `gates: worst relative error ${actsError}`);
  const cError = worstError(heap.slice(cAt!, cAt! + H), c, 1e-6);
  assert(cError < 1e-6, `cell: worst error ${cError}`);
  const hError = worstError(heap.slice(hNextAt!, hNextAt! + H), hNext, 1e-6);
  assert(hError < 1e-6, `state: worst error ${hError}`);
});

Deno.test("lstmCellBackward() matches the float64 gate gradients to a few float32 units in the last place", () => {
  const H = 32;
  const G = 4 * H;
  const gates = Float32Array.from({ length: G }, (_, j) => {
    const v = random.normal();
    return Math.floor(j / H) === 2 ? Math.tanh(v) : sigmoid(v);
  });
  const gd = spread(H), dh = spread(H), dc = spread(H), cPrev = spread(H), cNext = spread(H);
  const at = DATA_OFFSET / 4;
  const heap = heapOf(exports, (at + 8 * G) * 4)!;
  const [gdAt, dhAt, dcAt, actsAt, cPrevAt, cNextAt, dGAt] = [0, 1, 2, 3, 4, 5, 6].map((k) =>
    at + k * G
  );
  heap.set(gd, gdAt!);
  heap.set(dh, dhAt!);
  heap.set(dc, dcAt!);
  heap.set(gates, actsAt!);
  heap.set(cPrev, cPrevAt!);
  heap.set(cNext, cNextAt!);
  exports.lstmCellBackward(
    gdAt! * 4,
    dhAt! * 4,
    dcAt! * 4,
    actsAt! * 4,
    cPrevAt! * 4,
    cNextAt! * 4,
    dGAt! * 4,
    H,
  );
  const dG = new Float64Array(G), dcPrev = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const [i, f, g, o] = [0, 1, 2, 3].map((k) => gates[k * H + j]!) as [
      number,
      number,
      number,
      number,
    ];
    const dht = Math.fround(gd[j]! + dh[j]!);
    const tc = Math.tanh(cNext[j]!);
    const dct = dc[j]! + dht * o * (1 - tc * tc);
    dG[j] = dct * g * i * (1 - i);
    dG[H + j] = dct * cPrev[j]! * f * (1 - f);
    dG[2 * H + j] = dct * i * (1 - g * g);
    dG[3 * H + j] = dht * tc * o * (1 - o);
    dcPrev[j] = dct * f;
  }
  // Sums of products: relative to the largest term's size (here about 1), not the result's.
  const dGError = worstError(heap.slice(dGAt!, dGAt! + G), dG, 1);
  assert(dGError < 2e-6, `gate gradients: worst error ${dGError}`);
  const dcError = worstError(heap.slice(dcAt!, dcAt! + H), dcPrev, 1);
  assert(dcError < 2e-6, `cell gradient: worst error ${dcError}`);
});

Deno.test("gruCellForward() and gruCellBackward() match float64 to a few float32 units in the last place", () => {
  const H = 16;
  const G = 3 * H;
  const x = spread(G), h = spread(G), bi = spread(G), bh = spread(G);
  // A GRU's state stays within (-1, 1).
  const hPrev = Float32Array.from({ length: H }, () => Math.tanh(random.normal()));
  const gd = spread(H), dh = spread(H);
  const at = DATA_OFFSET / 4;
  const heap = heapOf(exports, (at + 12 * 4 * H) * 4)!;
  const [xAt, hAt, biAt, bhAt, savedAt, hPrevAt, hNextAt, gdAt, dhAt, dxgAt, dhgAt] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
  ].map((k) => at + k * 4 * H) as number[];
  heap.set(x, xAt!);
  heap.set(h, hAt!);
  heap.set(bi, biAt!);
  heap.set(bh, bhAt!);
  heap.set(hPrev, hPrevAt!);
  heap.set(gd, gdAt!);
  heap.set(dh, dhAt!);
  exports.gruCellForward(
    xAt! * 4,
    hAt! * 4,
    biAt! * 4,
    bhAt! * 4,
    savedAt! * 4,
    hPrevAt! * 4,
    hNextAt! * 4,
    H,
  );
  const saved32 = heap.slice(savedAt!, savedAt! + 4 * H);
  exports.gruCellBackward(
    gdAt! * 4,
    dhAt! * 4,
    savedAt! * 4,
    hPrevAt! * 4,
    dxgAt! * 4,
    dhgAt! * 4,
    H,
  );
  const saved = new Float64Array(4 * H), hNext = new Float64Array(H);
  const dxg = new Float64Array(G), dhg = new Float64Array(G), dhPrev = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const f = Math.fround;
    const r = sigmoid(f(f(f(x[j]! + bi[j]!) + h[j]!) + bh[j]!));
    const z = sigmoid(f(f(f(x[H + j]! + bi[H + j]!) + h[H + j]!) + bh[H + j]!));
    const hn = f(h[2 * H + j]! + bh[2 * H + j]!);
    const n = Math.tanh(f(x[2 * H + j]! + bi[2 * H + j]!) + r * hn);
    [r, z, n, hn].forEach((v, k) => saved[k * H + j] = v);
    hNext[j] = (1 - z) * n + z * hPrev[j]!;
    // The backward pass from the module's own saved gates, as the layer runs it.
    const [rs, zs, ns, hns] = [0, 1, 2, 3].map((k) => saved32[k * H + j]!) as number[];
    const dht = f(gd[j]! + dh[j]!);
    const dan = dht * (1 - zs!) * (1 - ns! * ns!);
    const dar = dan * hns! * rs! * (1 - rs!);
    const daz = dht * (hPrev[j]! - ns!) * zs! * (1 - zs!);
    [dar, daz, dan].forEach((v, k) => dxg[k * H + j] = v);
    [dar, daz, dan * rs!].forEach((v, k) => dhg[k * H + j] = v);
    dhPrev[j] = dht * zs!;
  }
  const checks: [string, Float32Array, Float64Array, number, number][] = [
    ["saved gates", saved32, saved, 1e-30, 4e-7],
    ["state", heap.slice(hNextAt!, hNextAt! + H), hNext, 1, 1e-6],
    ["input-side gradients", heap.slice(dxgAt!, dxgAt! + G), dxg, 1, 2e-6],
    ["hidden-side gradients", heap.slice(dhgAt!, dhgAt! + G), dhg, 1, 2e-6],
    ["state gradient", heap.slice(dhAt!, dhAt! + H), dhPrev, 1, 2e-6],
  ];
  for (const [name, got, want, floor, limit] of checks) {
    const error = worstError(got, want, floor);
    assert(error < limit, `${name}: worst error ${error}`);
  }
});
