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
 * uses relaxed SIMD's `f32x4.relaxed_madd`: one instruction instead of two, but it may round
 * differently (fused or not) from one CPU to another, and it measured 9–23 % slower than the
 * exact build on the bench's 2-core EPYC.
 *
 * @module
 */
import {
  col2imFunction,
  conv2dBackwardExport,
  conv2dExport,
  conv2dWeightGradExport,
  im2colFunction,
} from "./wasm_conv_source.ts";
import { DIRECT_MAX_ROWS, directDots, directRows } from "./wasm_gemm_direct.ts";
import {
  DATA_OFFSET,
  EDGE_OFFSET,
  GEMM_WASM_ABI,
  INITIAL_PAGES,
  KC,
  MAX_PAGES,
  MC,
  NC,
  NR,
  PACK_A_OFFSET,
  PACK_B_OFFSET,
} from "./wasm_gemm_layout.ts";
import { packA, packB, packPanel } from "./wasm_gemm_packing.ts";
import { recurrentCellFunctions } from "./wasm_recurrent_cells_source.ts";
import { add, forUp, get, i32, lines, min, mul, scratch, set, sub } from "./wat.ts";

/** Which variant of the kernel to generate. */
export interface GemmWasmOptions {
  /** Relaxed-SIMD fused multiply-add with a 6×8 tile (not bit-reproducible across CPUs). */
  fma?: boolean;
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
  /** One depth step, `d` steps past the pointers. */
  const step = (d: number): string[] => {
    const out = [
      set("b0", `(v128.load offset=${d * NR * 4} ${get("bp")})`),
      set("b1", `(v128.load offset=${d * NR * 4 + 16} ${get("bp")})`),
    ];
    for (let r = 0; r < mr; r++) {
      out.push(set("a", `(v128.load32_splat offset=${(d * mr + r) * 4} ${get("ap")})`));
      out.push(madd(`c${r}_0`, "b0"), madd(`c${r}_1`, "b1"));
    }
    return out;
  };
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
  (local $end i32) (local $pairsEnd i32) (local $row i32) (local $a v128) (local $b0 v128)
  (local $b1 v128)
  ${tiles.map((t) => `(local $${t} v128)`).join(" ")}
  ${set("end", add(get("ap"), mul(get("kc"), i32(mr * 4))))}
  ${set("pairsEnd", add(get("ap"), mul(`(i32.and ${get("kc")} (i32.const -2))`, i32(mr * 4))))}
  (if (i32.lt_u ${get("ap")} ${get("pairsEnd")}) (then
    (loop $depth
      ${lines(...step(0), ...step(1))}
      ${set("ap", add(get("ap"), i32(2 * mr * 4)))}
      ${set("bp", add(get("bp"), i32(2 * NR * 4)))}
      (br_if $depth (i32.lt_u ${get("ap")} ${get("pairsEnd")})))))
  (if (i32.lt_u ${get("ap")} ${get("end")}) (then ${lines(...step(0))}))
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
        set("from", add(scratch(EDGE_OFFSET), mul(add(mul(get("r"), i32(NR)), get("q")), i32(4)))),
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
        set("bp", add(scratch(PACK_B_OFFSET), mul(mul(get("j0"), get("kc")), i32(4)))),
        forUp(
          "i0",
          i32(0),
          get("mc"),
          i32(mr),
          lines(
            set("rows", min(i32(mr), sub(get("mc"), get("i0")))),
            set("ap", add(scratch(PACK_A_OFFSET), mul(mul(get("i0"), get("kc")), i32(4)))),
            set("cp", add(get("c"), add(mul(get("i0"), get("ldc")), mul(get("j0"), i32(4))))),
            `(if (i32.and (i32.eq ${get("rows")} ${i32(mr)}) (i32.eq ${get("cols")} ${i32(NR)}))`,
            `(then (call $micro ${get("ap")} ${get("bp")} ${get("kc")} ${get("cp")} ${get("ldc")} ${
              get("accumulate")
            }))`,
            `(else`,
            `(call $micro ${get("ap")} ${get("bp")} ${get("kc")} ${scratch(EDGE_OFFSET)} ${
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

/**
 * `gemm(a, b, c, m, n, k, aRow, aCol, bRow, bCol)`: C (m×n, row-major, at byte `c`) =
 * op(A)·op(B), where element (i, p) of op(A) is the f32 at `a + 4*(i*aRow + p*aCol)` and
 * (p, j) of op(B) is at `b + 4*(p*bRow + j*bCol)`. Requires m, n, k ≥ 1. One or two rows take
 * the direct paths; more take {@linkcode gemmTileExport}'s packed path.
 */
const gemmExport = `
(func $gemm (export "gemm") (param $a i32) (param $b i32) (param $c i32)
  (param $m i32) (param $n i32) (param $k i32)
  (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $bCol i32)
  (if (i32.le_s ${get("m")} ${i32(DIRECT_MAX_ROWS)}) (then
    (if (i32.eq ${get("bCol")} ${i32(1)}) (then
      (call $directRows ${
  ["a", "b", "c", "m", "n", "k", "aRow", "aCol", "bRow"].map(get).join(" ")
})
      (return)))
    (if (i32.and (i32.eq ${get("aCol")} ${i32(1)}) (i32.eq ${get("bRow")} ${i32(1)})) (then
      (call $directDots ${["a", "b", "c", "m", "n", "k", "aRow", "bCol"].map(get).join(" ")})
      (return)))))
  (call $gemmTile ${
  ["a", "b", "c", "m", "n", "k", "aRow", "aCol", "bRow", "bCol", "n"].map(get).join(" ")
})
)`;

/**
 * `gemmTile(a, b, c, m, n, k, aRow, aCol, bRow, bCol, ldc)`: as `gemm`, always on the packed
 * path, with C's rows `ldc` elements apart, so a thread can compute any block of rows or
 * columns of a larger C. Each entry of C is summed over k in the same order whatever block it
 * belongs to (KC-deep packed blocks, each accumulated depth by depth), which is why a product
 * split into blocks across threads gives the same bits as one call.
 */
const gemmTileExport = `
(func $gemmTile (export "gemmTile") (param $a i32) (param $b i32) (param $c i32)
  (param $m i32) (param $n i32) (param $k i32)
  (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $bCol i32) (param $ldc i32)
  (local $jc i32) (local $pc i32) (local $ic i32) (local $nc i32) (local $kc i32) (local $mc i32)
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
                add(get("c"), mul(add(mul(get("ic"), get("ldc")), get("jc")), i32(4)))
              } ${mul(get("ldc"), i32(4))} ${get("mc")} ${get("nc")} ${get("kc")} (i32.gt_s ${
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
 * import assert from "node:assert/strict";
 * import { gemmWat } from "./wasm_gemm_source.ts";
 * assert.ok(gemmWat().includes('(export "gemm")'));
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
    // Shared, so the threads of the pool (`thread_pool.ts`) work on the same operands.
    `(import "env" "memory" (memory ${INITIAL_PAGES} ${MAX_PAGES} shared))`,
    "(global $scratch (mut i32) (i32.const 0))",
    `(func (export "abi") (result i32) ${i32(GEMM_WASM_ABI)})`,
    `(func (export "setScratch") (param $at i32) (global.set $scratch ${get("at")}))`,
    `(func (export "tileRows") (result i32) ${i32(mr)})`,
    packPanel,
    packB,
    packA(mr),
    micro(mr, fma),
    edge,
    macro(mr),
    directRows(),
    directDots(),
    gemmTileExport,
    gemmExport,
    im2colFunction,
    col2imFunction,
    conv2dExport,
    conv2dBackwardExport,
    conv2dWeightGradExport,
    recurrentCellFunctions,
    ")",
  );
}

/**
 * Assembles {@linkcode gemmWat} into a validated, optimized WebAssembly binary with binaryen
 * (loaded on first call: about half a second).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assembleGemmWasm } from "./wasm_gemm_source.ts";
 * const bytes = await assembleGemmWasm();
 * assert.ok(WebAssembly.validate(bytes));
 * ```
 */
export async function assembleGemmWasm(
  options: GemmWasmOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const binaryen = (await import("binaryen")).default;
  const module = binaryen.parseText(gemmWat(options));
  try {
    const f = binaryen.Features;
    module.setFeatures(
      f.MVP | f.SIMD128 | f.RelaxedSIMD | f.BulkMemory | f.BulkMemoryOpt | f.Atomics,
    );
    if (!module.validate()) {
      throw new Error("assembleGemmWasm: binaryen rejected the generated module (see stderr)");
    }
    module.optimize();
    return new Uint8Array(module.emitBinary());
  } finally {
    module.dispose();
  }
}
