/**
 * The source of the WebAssembly SIMD matrix multiply: {@linkcode gemmWat} writes the module as
 * WebAssembly text, and {@linkcode assembleGemmWasm} assembles it with binaryen (npm). The
 * build step `tools/build_wasm.ts` writes the result to `build/wasm/`; `wasm_gemm.ts` loads it.
 *
 * The module is the same BLIS design as the TypeScript kernel in `gemm.ts` (Van Zee & van de
 * Geijn, 2015): the loader copies raw A, B and C into linear memory, and the module packs
 * blocks of op(B) (KC×NC) and op(A) (MC×KC) into panels, then an MR×8 register tile of `v128`
 * accumulators multiplies one A panel by one B panel, four columns per instruction. Packing
 * reads either layout: a transposed operand is packed with 4×4 in-register transposes. One or
 * two rows (a single sample through `nn.Linear`, a batch-1 RNN step) skip packing, which would
 * cost as much as the product: each row of C is built from B in place.
 *
 * By default each step is an `f32x4.mul` then an `f32x4.add`, rounded twice like the scalar
 * definition, so results are the same bits on every CPU. With `fma: true` the tile is 6×8 and
 * uses relaxed SIMD's `f32x4.relaxed_madd`, which is faster but may round differently (fused or
 * not) from one CPU to another.
 *
 * @module
 */
import {
  DATA_OFFSET,
  EDGE_OFFSET,
  GEMM_WASM_ABI,
  INITIAL_PAGES,
  KC,
  MC,
  NC,
  NR,
  PACK_A_OFFSET,
  PACK_B_OFFSET,
} from "./wasm_gemm_layout.ts";

/** Which variant of the kernel to generate. */
export interface GemmWasmOptions {
  /** Relaxed-SIMD fused multiply-add with a 6×8 tile (not bit-reproducible across CPUs). */
  fma?: boolean;
}

// Small builders for folded WebAssembly text; names are locals or params without the `$`.
const get = (name: string) => `(local.get $${name})`;
const set = (name: string, value: string) => `(local.set $${name} ${value})`;
const i32 = (value: number) => `(i32.const ${value})`;
const add = (x: string, y: string) => `(i32.add ${x} ${y})`;
const sub = (x: string, y: string) => `(i32.sub ${x} ${y})`;
const mul = (x: string, y: string) => `(i32.mul ${x} ${y})`;
const min = (x: string, y: string) => `(select ${x} ${y} (i32.lt_s ${x} ${y}))`;
const lines = (...parts: string[]) => parts.join("\n");

/** `for (v = start; v < end; v += step) body` as a block around a loop. */
function forUp(v: string, start: string, end: string, step: string, body: string): string {
  return lines(
    set(v, start),
    `(block $${v}_done (loop $${v}_next`,
    `(br_if $${v}_done (i32.ge_s ${get(v)} ${end}))`,
    body,
    set(v, add(get(v), step)),
    `(br $${v}_next)))`,
  );
}

/** A shuffle of the 32-bit lanes of `x` (lanes 0-3) and `y` (lanes 4-7). */
function shuffle32(x: string, y: string, lanes: readonly number[]): string {
  const bytes = lanes.flatMap((lane) => [0, 1, 2, 3].map((b) => lane * 4 + b));
  return `(i8x16.shuffle ${bytes.join(" ")} ${x} ${y})`;
}

/**
 * Loads four vectors (lane `l` of the panel at `base + l*laneBytes`, depths p..p+3) and stores
 * them transposed: depth p+d goes to `dst + d*rowBytes + offset`. Uses locals v0-v3, t0-t3.
 */
function transpose4(base: string, laneBytes: string, rowBytes: number, offset: number): string {
  const loads = [0, 1, 2, 3].map((l) =>
    set(`v${l}`, `(v128.load ${l === 0 ? base : add(base, mul(laneBytes, i32(l)))})`)
  );
  const t = [
    set("t0", shuffle32(get("v0"), get("v1"), [0, 4, 1, 5])),
    set("t1", shuffle32(get("v2"), get("v3"), [0, 4, 1, 5])),
    set("t2", shuffle32(get("v0"), get("v1"), [2, 6, 3, 7])),
    set("t3", shuffle32(get("v2"), get("v3"), [2, 6, 3, 7])),
  ];
  const rows = [
    shuffle32(get("t0"), get("t1"), [0, 1, 4, 5]),
    shuffle32(get("t0"), get("t1"), [2, 3, 6, 7]),
    shuffle32(get("t2"), get("t3"), [0, 1, 4, 5]),
    shuffle32(get("t2"), get("t3"), [2, 3, 6, 7]),
  ];
  const stores = rows.map((row, d) =>
    `(v128.store offset=${d * rowBytes + offset} ${get("dst")} ${row})`
  );
  return lines(...loads, ...t, ...stores);
}

/**
 * `$packPanel(src, laneBytes, depthBytes, lanes, width, p0, kc, dst)`: the general packer.
 * Writes depths p0..kc-1 of a panel `width` lanes wide, depth-major, to `dst + p0*width*4`;
 * lane l (< lanes) of depth p is read at `src + l*laneBytes + p*depthBytes`, the rest are 0.
 */
const packPanel = `
(func $packPanel (param $src i32) (param $laneBytes i32) (param $depthBytes i32)
  (param $lanes i32) (param $width i32) (param $p i32) (param $kc i32) (param $dst i32)
  (local $l i32) (local $s i32)
  ${set("dst", add(get("dst"), mul(mul(get("p"), get("width")), i32(4))))}
  ${
  forUp(
    "p",
    get("p"),
    get("kc"),
    i32(1),
    lines(
      set("s", add(get("src"), mul(get("p"), get("depthBytes")))),
      forUp(
        "l",
        i32(0),
        get("width"),
        i32(1),
        lines(
          `(f32.store ${get("dst")} (if (result f32) (i32.lt_s ${get("l")} ${get("lanes")})`,
          `(then (f32.load ${add(get("s"), mul(get("l"), get("laneBytes")))}))`,
          `(else (f32.const 0))))`,
          set("dst", add(get("dst"), i32(4))),
        ),
      ),
    ),
  )
}
)`;

/**
 * `$packB(src, bRow, bCol, kc, nc)`: packs the kc×nc block of op(B) at `src` into NR-wide
 * panels at PACK_B; element (p, j) is at `src + 4*(p*bRow + j*bCol)`.
 */
const packB = `
(func $packB (param $src i32) (param $bRow i32) (param $bCol i32) (param $kc i32) (param $nc i32)
  (local $j0 i32) (local $p i32) (local $s i32) (local $dst i32) (local $cols i32)
  (local $rowBytes i32) (local $colBytes i32)
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  ${set("rowBytes", mul(get("bRow"), i32(4)))}
  ${set("colBytes", mul(get("bCol"), i32(4)))}
  ${
  forUp(
    "j0",
    i32(0),
    get("nc"),
    i32(NR),
    lines(
      set("cols", min(i32(NR), sub(get("nc"), get("j0")))),
      set("s", add(get("src"), mul(get("j0"), get("colBytes")))),
      set("dst", add(i32(PACK_B_OFFSET), mul(mul(get("j0"), get("kc")), i32(4)))),
      set("p", i32(0)),
      `(if (i32.eq ${get("cols")} ${i32(NR)}) (then`,
      // Rows of op(B) contiguous (B not transposed): two vector copies per depth.
      `(if (i32.eq ${get("bCol")} ${i32(1)}) (then`,
      forUp(
        "p",
        i32(0),
        get("kc"),
        i32(1),
        lines(
          `(v128.store ${get("dst")} (v128.load ${get("s")}))`,
          `(v128.store offset=16 ${get("dst")} (v128.load offset=16 ${get("s")}))`,
          set("s", add(get("s"), get("rowBytes"))),
          set("dst", add(get("dst"), i32(NR * 4))),
        ),
      ),
      `))`,
      // Columns of op(B) contiguous (B transposed): 4×4 transposes, four depths at a time.
      `(if (i32.eq ${get("bRow")} ${i32(1)}) (then`,
      forUp(
        "p",
        i32(0),
        sub(get("kc"), i32(3)),
        i32(4),
        lines(
          transpose4(get("s"), get("colBytes"), NR * 4, 0),
          transpose4(add(get("s"), mul(get("colBytes"), i32(4))), get("colBytes"), NR * 4, 16),
          set("s", add(get("s"), i32(16))),
          set("dst", add(get("dst"), i32(4 * NR * 4))),
        ),
      ),
      `))`,
      `))`,
      // Whatever is left (edge panels, other strides, the last depths): one value at a time.
      `(call $packPanel ${add(get("src"), mul(get("j0"), get("colBytes")))}`,
      `${get("colBytes")} ${get("rowBytes")} ${get("cols")} ${i32(NR)} ${get("p")} ${get("kc")}`,
      `${add(i32(PACK_B_OFFSET), mul(mul(get("j0"), get("kc")), i32(4)))})`,
    ),
  )
}
)`;

/**
 * `$packA(src, aRow, aCol, mc, kc)`: packs the mc×kc block of op(A) at `src` into MR-row
 * panels at PACK_A; element (i, p) is at `src + 4*(i*aRow + p*aCol)`.
 */
function packA(mr: number): string {
  // The vector paths exist for MR = 4 only; a 6-row tile packs value by value.
  const vectorPaths = mr !== 4 ? "" : lines(
    `(if (i32.eq ${get("rows")} ${i32(4)}) (then`,
    // A transposed: the four rows at one depth are contiguous.
    `(if (i32.eq ${get("aRow")} ${i32(1)}) (then`,
    forUp(
      "p",
      i32(0),
      get("kc"),
      i32(1),
      lines(
        `(v128.store ${get("dst")} (v128.load ${get("s")}))`,
        set("s", add(get("s"), get("colBytes"))),
        set("dst", add(get("dst"), i32(16))),
      ),
    ),
    `))`,
    // A not transposed: each row is contiguous in depth; 4×4 transposes.
    `(if (i32.eq ${get("aCol")} ${i32(1)}) (then`,
    forUp(
      "p",
      i32(0),
      sub(get("kc"), i32(3)),
      i32(4),
      lines(
        transpose4(get("s"), get("rowBytes"), 16, 0),
        set("s", add(get("s"), i32(16))),
        set("dst", add(get("dst"), i32(64))),
      ),
    ),
    `))`,
    `))`,
  );
  return `
(func $packA (param $src i32) (param $aRow i32) (param $aCol i32) (param $mc i32) (param $kc i32)
  (local $i0 i32) (local $p i32) (local $s i32) (local $dst i32) (local $rows i32)
  (local $rowBytes i32) (local $colBytes i32)
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  ${set("rowBytes", mul(get("aRow"), i32(4)))}
  ${set("colBytes", mul(get("aCol"), i32(4)))}
  ${
    forUp(
      "i0",
      i32(0),
      get("mc"),
      i32(mr),
      lines(
        set("rows", min(i32(mr), sub(get("mc"), get("i0")))),
        set("s", add(get("src"), mul(get("i0"), get("rowBytes")))),
        set("dst", add(i32(PACK_A_OFFSET), mul(mul(get("i0"), get("kc")), i32(4)))),
        set("p", i32(0)),
        vectorPaths,
        `(call $packPanel ${add(get("src"), mul(get("i0"), get("rowBytes")))}`,
        `${get("rowBytes")} ${get("colBytes")} ${get("rows")} ${i32(mr)} ${get("p")} ${get("kc")}`,
        `${add(i32(PACK_A_OFFSET), mul(mul(get("i0"), get("kc")), i32(4)))})`,
      ),
    )
  }
)`;
}

/**
 * `$micro(ap, bp, kc, c, ldc, accumulate)`: the MR×NR register tile. C rows are `ldc` bytes
 * apart; with `accumulate` the tile is added to C, otherwise it overwrites C.
 */
function micro(mr: number, fma: boolean): string {
  const tiles: string[] = [];
  for (let r = 0; r < mr; r++) tiles.push(`c${r}_0`, `c${r}_1`);
  const madd = (acc: string, b: string) =>
    fma
      ? set(acc, `(f32x4.relaxed_madd ${get("a")} ${get(b)} ${get(acc)})`)
      : set(acc, `(f32x4.add ${get(acc)} (f32x4.mul ${get("a")} ${get(b)}))`);
  const step: string[] = [
    set("b0", `(v128.load ${get("bp")})`),
    set("b1", `(v128.load offset=16 ${get("bp")})`),
  ];
  for (let r = 0; r < mr; r++) {
    step.push(set("a", `(v128.load32_splat offset=${r * 4} ${get("ap")})`));
    step.push(madd(`c${r}_0`, "b0"), madd(`c${r}_1`, "b1"));
  }
  const store: string[] = [set("row", get("c"))];
  for (let r = 0; r < mr; r++) {
    for (let h = 0; h < 2; h++) {
      const tile = `c${r}_${h}`;
      store.push(
        `(if ${get("accumulate")} (then ${
          set(tile, `(f32x4.add (v128.load offset=${h * 16} ${get("row")}) ${get(tile)})`)
        }))`,
        `(v128.store offset=${h * 16} ${get("row")} ${get(tile)})`,
      );
    }
    store.push(set("row", add(get("row"), get("ldc"))));
  }
  return `
(func $micro (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
  (param $accumulate i32)
  (local $end i32) (local $row i32) (local $a v128) (local $b0 v128) (local $b1 v128)
  ${tiles.map((t) => `(local $${t} v128)`).join(" ")}
  ${set("end", add(get("ap"), mul(get("kc"), i32(mr * 4))))}
  (loop $depth
    ${lines(...step)}
    ${set("ap", add(get("ap"), i32(mr * 4)))}
    ${set("bp", add(get("bp"), i32(NR * 4)))}
    (br_if $depth (i32.lt_u ${get("ap")} ${get("end")})))
  ${lines(...store)}
)`;
}

/** `$edge(c, ldc, rows, cols, accumulate)`: moves the partial tile from EDGE into C. */
const edge = `
(func $edge (param $c i32) (param $ldc i32) (param $rows i32) (param $cols i32)
  (param $accumulate i32)
  (local $r i32) (local $q i32) (local $from i32) (local $to i32)
  ${
  forUp(
    "r",
    i32(0),
    get("rows"),
    i32(1),
    forUp(
      "q",
      i32(0),
      get("cols"),
      i32(1),
      lines(
        set("from", add(i32(EDGE_OFFSET), mul(add(mul(get("r"), i32(NR)), get("q")), i32(4)))),
        set("to", add(get("c"), add(mul(get("r"), get("ldc")), mul(get("q"), i32(4))))),
        `(f32.store ${get("to")} (if (result f32) ${get("accumulate")}`,
        `(then (f32.add (f32.load ${get("to")}) (f32.load ${get("from")})))`,
        `(else (f32.load ${get("from")}))))`,
      ),
    ),
  )
}
)`;

/** `$macro(c, ldc, mc, nc, kc, accumulate)`: every tile of the packed blocks into C. */
function macro(mr: number): string {
  return `
(func $macro (param $c i32) (param $ldc i32) (param $mc i32) (param $nc i32) (param $kc i32)
  (param $accumulate i32)
  (local $j0 i32) (local $i0 i32) (local $rows i32) (local $cols i32) (local $bp i32)
  (local $ap i32) (local $cp i32)
  ${
    forUp(
      "j0",
      i32(0),
      get("nc"),
      i32(NR),
      lines(
        set("cols", min(i32(NR), sub(get("nc"), get("j0")))),
        set("bp", add(i32(PACK_B_OFFSET), mul(mul(get("j0"), get("kc")), i32(4)))),
        forUp(
          "i0",
          i32(0),
          get("mc"),
          i32(mr),
          lines(
            set("rows", min(i32(mr), sub(get("mc"), get("i0")))),
            set("ap", add(i32(PACK_A_OFFSET), mul(mul(get("i0"), get("kc")), i32(4)))),
            set("cp", add(get("c"), add(mul(get("i0"), get("ldc")), mul(get("j0"), i32(4))))),
            `(if (i32.and (i32.eq ${get("rows")} ${i32(mr)}) (i32.eq ${get("cols")} ${i32(NR)}))`,
            `(then (call $micro ${get("ap")} ${get("bp")} ${get("kc")} ${get("cp")} ${get("ldc")} ${
              get("accumulate")
            }))`,
            `(else`,
            `(call $micro ${get("ap")} ${get("bp")} ${get("kc")} ${i32(EDGE_OFFSET)} ${
              i32(NR * 4)
            } ${i32(0)})`,
            `(call $edge ${get("cp")} ${get("ldc")} ${get("rows")} ${get("cols")} ${
              get("accumulate")
            })))`,
          ),
        ),
      ),
    )
  }
)`;
}

/** Products with fewer rows than this skip packing (see `$directRows` and `$directDots`). */
export const DIRECT_MAX_ROWS = 2;

const ZERO = "(v128.const i32x4 0 0 0 0)";
/** The sum of the four lanes of `v`, as (v0 + v1) + (v2 + v3). */
const horizontalSum = (v: string) =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v}))` +
  ` (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;

/**
 * `$directRows(a, b, c, m, n, k, aRow, aCol, bRow)`: for a few rows and B's rows contiguous
 * (bCol = 1), each row of C as \(\sum_p a_{ip} B_{p,:}\), 16 then 4 columns per pass, B read in
 * place: packing B would cost as much as the product itself.
 */
function directRows(): string {
  const pass = (vectors: number) => {
    const sums = Array.from({ length: vectors }, (_, q) => `s${q}`);
    return forUp(
      "j0",
      get("j0"),
      sub(get("n"), i32(4 * vectors - 1)),
      i32(4 * vectors),
      lines(
        ...sums.map((v) => set(v, ZERO)),
        set("ap", get("aRowStart")),
        set("bp", add(get("b"), mul(get("j0"), i32(4)))),
        forUp(
          "p",
          i32(0),
          get("k"),
          i32(1),
          lines(
            set("x", `(v128.load32_splat ${get("ap")})`),
            ...sums.map((v, q) =>
              set(
                v,
                `(f32x4.add ${get(v)} (f32x4.mul ${get("x")} (v128.load offset=${q * 16} ${
                  get("bp")
                })))`,
              )
            ),
            set("ap", add(get("ap"), get("aStep"))),
            set("bp", add(get("bp"), get("bStep"))),
          ),
        ),
        ...sums.map((v, q) =>
          `(v128.store offset=${q * 16} ${add(get("cp"), mul(get("j0"), i32(4)))} ${get(v)})`
        ),
      ),
    );
  };
  const scalarTail = forUp(
    "j0",
    get("j0"),
    get("n"),
    i32(1),
    lines(
      set("sum", "(f32.const 0)"),
      set("ap", get("aRowStart")),
      set("bp", add(get("b"), mul(get("j0"), i32(4)))),
      forUp(
        "p",
        i32(0),
        get("k"),
        i32(1),
        lines(
          set(
            "sum",
            `(f32.add ${get("sum")} (f32.mul (f32.load ${get("ap")}) (f32.load ${get("bp")})))`,
          ),
          set("ap", add(get("ap"), get("aStep"))),
          set("bp", add(get("bp"), get("bStep"))),
        ),
      ),
      `(f32.store ${add(get("cp"), mul(get("j0"), i32(4)))} ${get("sum")})`,
    ),
  );
  return `
(func $directRows (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32)
  (param $k i32) (param $aRow i32) (param $aCol i32) (param $bRow i32)
  (local $i i32) (local $j0 i32) (local $p i32) (local $ap i32) (local $bp i32) (local $cp i32)
  (local $aRowStart i32) (local $aStep i32) (local $bStep i32) (local $sum f32) (local $x v128)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
  ${set("aStep", mul(get("aCol"), i32(4)))}
  ${set("bStep", mul(get("bRow"), i32(4)))}
  ${
    forUp(
      "i",
      i32(0),
      get("m"),
      i32(1),
      lines(
        set("aRowStart", add(get("a"), mul(get("i"), mul(get("aRow"), i32(4))))),
        set("cp", add(get("c"), mul(get("i"), mul(get("n"), i32(4))))),
        set("j0", i32(0)),
        pass(4),
        pass(1),
        scalarTail,
      ),
    )
  }
)`;
}

/**
 * `$directDots(a, b, c, m, n, k, aRow, bCol)`: for a few rows when A's rows and B's columns
 * are both contiguous in depth (aCol = 1, bRow = 1: B transposed, as in `nn.Linear`), each entry
 * of C as a dot product of two contiguous vectors, four entries per pass.
 */
function directDots(): string {
  const pass = (width: number) => {
    const lanes = Array.from({ length: width }, (_, q) => q);
    return forUp(
      "j0",
      get("j0"),
      sub(get("n"), i32(width - 1)),
      i32(width),
      lines(
        ...lanes.map((q) => set(`s${q}`, ZERO)),
        ...lanes.map((q) =>
          set(`b${q}`, add(get("b"), mul(add(get("j0"), i32(q)), get("bColBytes"))))
        ),
        forUp(
          "p",
          i32(0),
          sub(get("k"), i32(3)),
          i32(4),
          lines(
            set("o", mul(get("p"), i32(4))),
            set("x", `(v128.load ${add(get("aRowStart"), get("o"))})`),
            ...lanes.map((q) =>
              set(
                `s${q}`,
                `(f32x4.add ${get(`s${q}`)} (f32x4.mul ${get("x")} (v128.load ${
                  add(get(`b${q}`), get("o"))
                })))`,
              )
            ),
          ),
        ),
        set("tail", get("p")),
        ...lanes.map((q) =>
          lines(
            set("sum", horizontalSum(get(`s${q}`))),
            forUp(
              "p",
              get("tail"),
              get("k"),
              i32(1),
              set(
                "sum",
                `(f32.add ${get("sum")} (f32.mul (f32.load ${
                  add(get("aRowStart"), mul(get("p"), i32(4)))
                }) (f32.load ${add(get(`b${q}`), mul(get("p"), i32(4)))})))`,
              ),
            ),
            `(f32.store ${add(get("cp"), mul(add(get("j0"), i32(q)), i32(4)))} ${get("sum")})`,
          )
        ),
      ),
    );
  };
  return `
(func $directDots (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32)
  (param $k i32) (param $aRow i32) (param $bCol i32)
  (local $i i32) (local $j0 i32) (local $p i32) (local $o i32) (local $tail i32) (local $cp i32)
  (local $aRowStart i32) (local $bColBytes i32) (local $sum f32) (local $x v128)
  (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
  ${set("bColBytes", mul(get("bCol"), i32(4)))}
  ${
    forUp(
      "i",
      i32(0),
      get("m"),
      i32(1),
      lines(
        set("aRowStart", add(get("a"), mul(get("i"), mul(get("aRow"), i32(4))))),
        set("cp", add(get("c"), mul(get("i"), mul(get("n"), i32(4))))),
        set("j0", i32(0)),
        pass(4),
        pass(1),
      ),
    )
  }
)`;
}

/**
 * `gemm(a, b, c, m, n, k, aRow, aCol, bRow, bCol)`: C (m×n, row-major, at byte `c`) =
 * op(A)·op(B), where element (i, p) of op(A) is the f32 at `a + 4*(i*aRow + p*aCol)` and
 * (p, j) of op(B) is at `b + 4*(p*bRow + j*bCol)`. Requires m, n, k ≥ 1.
 */
const gemmExport = `
(func $gemm (export "gemm") (param $a i32) (param $b i32) (param $c i32)
  (param $m i32) (param $n i32) (param $k i32)
  (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $bCol i32)
  (local $jc i32) (local $pc i32) (local $ic i32) (local $nc i32) (local $kc i32) (local $mc i32)
  (if (i32.le_s ${get("m")} ${i32(DIRECT_MAX_ROWS)}) (then
    (if (i32.eq ${get("bCol")} ${i32(1)}) (then
      (call $directRows ${
  ["a", "b", "c", "m", "n", "k", "aRow", "aCol", "bRow"].map(get).join(" ")
})
      (return)))
    (if (i32.and (i32.eq ${get("aCol")} ${i32(1)}) (i32.eq ${get("bRow")} ${i32(1)})) (then
      (call $directDots ${["a", "b", "c", "m", "n", "k", "aRow", "bCol"].map(get).join(" ")})
      (return)))))
  ${
  forUp(
    "jc",
    i32(0),
    get("n"),
    i32(NC),
    lines(
      set("nc", min(i32(NC), sub(get("n"), get("jc")))),
      forUp(
        "pc",
        i32(0),
        get("k"),
        i32(KC),
        lines(
          set("kc", min(i32(KC), sub(get("k"), get("pc")))),
          `(call $packB ${
            add(
              get("b"),
              mul(add(mul(get("pc"), get("bRow")), mul(get("jc"), get("bCol"))), i32(4)),
            )
          } ${get("bRow")} ${get("bCol")} ${get("kc")} ${get("nc")})`,
          forUp(
            "ic",
            i32(0),
            get("m"),
            i32(MC),
            lines(
              set("mc", min(i32(MC), sub(get("m"), get("ic")))),
              `(call $packA ${
                add(
                  get("a"),
                  mul(add(mul(get("ic"), get("aRow")), mul(get("pc"), get("aCol"))), i32(4)),
                )
              } ${get("aRow")} ${get("aCol")} ${get("mc")} ${get("kc")})`,
              `(call $macro ${
                add(get("c"), mul(add(mul(get("ic"), get("n")), get("jc")), i32(4)))
              } ${mul(get("n"), i32(4))} ${get("mc")} ${get("nc")} ${get("kc")} (i32.gt_s ${
                get("pc")
              } ${i32(0)}))`,
            ),
          ),
        ),
      ),
    ),
  )
}
)`;

/**
 * The GEMM module as WebAssembly text.
 *
 * @example
 * ```ts
 * import { gemmWat } from "./wasm_gemm_source.ts";
 * if (!gemmWat().includes('(export "gemm")')) throw new Error("no gemm export");
 * ```
 */
export function gemmWat(options: GemmWasmOptions = {}): string {
  const fma = options.fma ?? false;
  const mr = fma ? 6 : 4;
  if (DATA_OFFSET > INITIAL_PAGES * 65536 || MC % mr !== 0) {
    throw new RangeError(`gemmWat: the layout does not fit a ${mr}-row tile (MC ${MC})`);
  }
  return lines(
    "(module",
    `(memory (export "memory") ${INITIAL_PAGES})`,
    `(func (export "abi") (result i32) ${i32(GEMM_WASM_ABI)})`,
    `(func (export "tileRows") (result i32) ${i32(mr)})`,
    packPanel,
    packB,
    packA(mr),
    micro(mr, fma),
    edge,
    macro(mr),
    directRows(),
    directDots(),
    gemmExport,
    ")",
  );
}

/**
 * Assembles {@linkcode gemmWat} into a validated, optimized WebAssembly binary with binaryen
 * (loaded on first call: about half a second).
 *
 * @example
 * ```ts
 * import { assembleGemmWasm } from "./wasm_gemm_source.ts";
 * const bytes = await assembleGemmWasm();
 * if (!WebAssembly.validate(bytes)) throw new Error("invalid module");
 * ```
 */
export async function assembleGemmWasm(
  options: GemmWasmOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const binaryen = (await import("binaryen")).default;
  const module = binaryen.parseText(gemmWat(options));
  try {
    const f = binaryen.Features;
    module.setFeatures(f.MVP | f.SIMD128 | f.RelaxedSIMD | f.BulkMemory | f.BulkMemoryOpt);
    if (!module.validate()) {
      throw new Error("assembleGemmWasm: binaryen rejected the generated module (see stderr)");
    }
    module.optimize();
    return new Uint8Array(module.emitBinary());
  } finally {
    module.dispose();
  }
}
