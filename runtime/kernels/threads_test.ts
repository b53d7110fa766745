import { assert, assertEquals } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { gemm, type GemmShape } from "./gemm.ts";
import { gemmTypeScript } from "./gemm_typescript.ts";
import { setWorkStealing } from "./thread_pool.ts";
import { bits, withThreadCounts } from "./test_helpers.ts";
import { getThreads, setThreadLimit, setThreads } from "./threads.ts";
import { conv2dBackwardWasm, conv2dWasm, type ConvGeometry } from "./wasm_conv.ts";
import { installGemmWasm, setParallelMinWork, threadsReady } from "./wasm_gemm.ts";
import { assembleGemmWasm } from "./wasm_gemm_source.ts";

// NOTE: assembled from this checkout's source, not read from build/wasm/.
installGemmWasm(await assembleGemmWasm());

const random = new Generator(26);
const filled = (size: number) => Float32Array.from({ length: size }, () => random.normal());

const gemmCases: GemmShape[] = [
  { m: 37, n: 53, k: 29 },
  { m: 53, n: 37, k: 29, transA: true },
  { m: 29, n: 37, k: 53, transB: true },
  { m: 41, n: 3, k: 301, transA: true, transB: true },
  { m: 26, n: 7, k: 300 },
  { m: 3, n: 601, k: 37 },
  { m: 130, n: 259, k: 515 },
  // Big enough for several blocks per thread, in a grid of row and column blocks.
  { m: 151, n: 203, k: 301, transA: true, transB: true },
  { m: 97, n: 389, k: 257, transB: true },
];

for (const shape of gemmCases) {
  const layout = `${shape.transA ? "Aᵀ" : "A"}·${shape.transB ? "Bᵀ" : "B"}`;
  Deno.test(
    `gemm() gives identical bits on 1, 2 and 3 threads for ${shape.m}x${shape.n}x${shape.k} ${layout}`,
    async () => {
      const a = filled(shape.m * shape.k);
      const b = filled(shape.k * shape.n);
      const [one, ...others] = await withThreadCounts(() => {
        const c = new Float32Array(shape.m * shape.n);
        gemm(a, 0, b, 0, c, 0, shape);
        return c;
      });
      for (const other of others) assertEquals(bits(other), bits(one!));
      // And it is the product: the float64 TypeScript kernel agrees to float32 rounding.
      const exact = new Float64Array(shape.m * shape.n);
      gemmTypeScript(Float64Array.from(a), 0, Float64Array.from(b), 0, exact, 0, shape);
      const worst = one!.reduce((w, v, i) => Math.max(w, Math.abs(v - exact[i]!)), 0);
      assert(worst < 1e-3 * Math.sqrt(shape.k), `largest error ${worst}`);
    },
  );
}

type Case = Omit<ConvGeometry, "ho" | "wo">;

const convCases: Case[] = [
  {
    n: 5,
    c: 3,
    h: 13,
    w: 11,
    o: 7,
    kh: 3,
    kw: 5,
    sh: 2,
    sw: 1,
    ph: 1,
    pw: 2,
    dh: 1,
    dw: 1,
    groups: 1,
  },
  {
    n: 3,
    c: 4,
    h: 9,
    w: 10,
    o: 6,
    kh: 3,
    kw: 3,
    sh: 1,
    sw: 2,
    ph: 0,
    pw: 1,
    dh: 2,
    dw: 1,
    groups: 2,
  },
  {
    n: 4,
    c: 2,
    h: 7,
    w: 7,
    o: 2,
    kh: 2,
    kw: 3,
    sh: 1,
    sw: 1,
    ph: 1,
    pw: 0,
    dh: 1,
    dw: 2,
    groups: 1,
  },
];

for (const shape of convCases) {
  const ho = Math.floor((shape.h + 2 * shape.ph - shape.dh * (shape.kh - 1) - 1) / shape.sh) + 1;
  const wo = Math.floor((shape.w + 2 * shape.pw - shape.dw * (shape.kw - 1) - 1) / shape.sw) + 1;
  const g: ConvGeometry = { ...shape, ho, wo };
  const name = `n${g.n} c${g.c} ${g.h}x${g.w} o${g.o} ${g.kh}x${g.kw} groups ${g.groups}`;
  Deno.test(
    `conv2d forward and backward give identical bits on 1, 2 and 3 threads for ${name}`,
    async () => {
      const x = filled(g.n * g.c * g.h * g.w);
      const w = filled(g.o * (g.c / g.groups) * g.kh * g.kw);
      const bias = filled(g.o);
      const dy = filled(g.n * g.o * ho * wo);
      const runs = await withThreadCounts(() => {
        const out = new Float32Array(dy.length);
        const dx = new Float32Array(x.length);
        const dw = new Float32Array(w.length);
        assert(conv2dWasm(x, w, bias, out, g), "forward ran on wasm");
        assert(conv2dBackwardWasm(x, w, dy, dx, dw, g), "backward ran on wasm");
        return [out, dx, dw].map(bits);
      });
      for (const run of runs.slice(1)) assertEquals(run, runs[0]);
      // The weight gradient alone (no input gradient asked) is the same bits too; it is split
      // by columns for one group and more than two output channels, else one thread runs it.
      const alone = await withThreadCounts(() => {
        const dw = new Float32Array(w.length);
        conv2dBackwardWasm(x, w, dy, null, dw, g);
        return bits(dw);
      }, g.groups === 1 && g.o > 2);
      for (const run of alone) assertEquals(run, runs[0]![2]);
    },
  );
}

Deno.test("setThreads() rejects a count below one and the host limit caps it", () => {
  const previous = setThreads(4);
  try {
    assertEquals(getThreads(), 4);
    setThreadLimit(2);
    assertEquals(getThreads(), 2);
    let message = "";
    try {
      setThreads(0);
    } catch (error) {
      message = `${(error as Error).constructor.name}: ${(error as Error).message}`;
    }
    assertEquals(message, "RangeError: setThreads: expected a whole number of threads ≥ 1, got 0");
  } finally {
    setThreadLimit(Infinity);
    setThreads(previous);
  }
});

Deno.test("idle pool threads use no CPU between operations", async () => {
  // NOTE: measured in a process of its own: `deno test --parallel` runs other test files in
  // this one, and their CPU would count too.
  const probe = new URL("./testdata/idle_pool_probe.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", probe.pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert(output.success, "the idle-pool probe failed");
  const { threads, cpuMs } = JSON.parse(new TextDecoder().decode(output.stdout));
  assertEquals(threads, 3);
  // Two spinning workers would burn up to 2000 ms of CPU here; sleeping ones burn about 0.
  assert(cpuMs < 60, `the process used ${cpuMs} ms of CPU in 1 s of idling`);
});

Deno.test("resizing the pool again and again never changes the bits (no slot is shared by two workers)", async () => {
  // NOTE: a stopped worker ends in its own time; a new worker once got its slot while it still
  // waited there, and the two reported one job done before it was (2 of 600 runs differed
  // beside four busy loops). Probabilistic: it fails only when the machine is loaded.
  const g = { ...convCases[1]!, ho: 5, wo: 5 };
  const x = filled(g.n * g.c * g.h * g.w);
  const w = filled(g.o * (g.c / g.groups) * g.kh * g.kw);
  const dy = filled(g.n * g.o * g.ho * g.wo);
  const run = () => {
    const out = new Float32Array(dy.length);
    const dx = new Float32Array(x.length);
    const dw = new Float32Array(w.length);
    conv2dWasm(x, w, null, out, g);
    conv2dBackwardWasm(x, w, dy, dx, dw, g);
    return [out, dx, dw].map(bits).join("|");
  };
  const previousWork = setParallelMinWork(0);
  const previousThreads = getThreads();
  const previousStealing = setWorkStealing(false);
  try {
    setThreads(1);
    const expected = run();
    for (let i = 0; i < 40; i++) {
      for (const threads of [3, 1, 2, 3]) {
        setWorkStealing(i % 2 === 0);
        setThreads(threads);
        assertEquals(await threadsReady(), threads);
        assertEquals(run(), expected, `round ${i}, ${threads} threads`);
      }
    }
  } finally {
    setParallelMinWork(previousWork);
    setThreads(previousThreads);
    setWorkStealing(previousStealing);
  }
});
