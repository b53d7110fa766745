/**
 * The packing functions of the WebAssembly GEMM (see `wasm_gemm_source.ts`): `$packPanel`, the
 * general value-by-value packer, and `$packB` / `$packA`, which copy contiguous panels with
 * vector loads and transposed ones with 4×4 in-register transposes, then leave the edges to
 * `$packPanel`.
 *
 * @module
 */
import { NR, PACK_A_OFFSET, PACK_B_OFFSET } from "./wasm_gemm_layout.ts";
import { add, forUp, get, i32, lines, min, mul, scratch, set, shuffle32, sub } from "./wat.ts";

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
export const packPanel = `
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
 * panels at PACK_B (in this thread's scratch area); element (p, j) is at `src + 4*(p*bRow + j*bCol)`.
 */
export const packB = `
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
      set("dst", add(scratch(PACK_B_OFFSET), mul(mul(get("j0"), get("kc")), i32(4)))),
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
      `${add(scratch(PACK_B_OFFSET), mul(mul(get("j0"), get("kc")), i32(4)))})`,
    ),
  )
}
)`;

/**
 * `$packA(src, aRow, aCol, mc, kc)`: packs the mc×kc block of op(A) at `src` into MR-row
 * panels at PACK_A (in this thread's scratch area); element (i, p) is at `src + 4*(i*aRow + p*aCol)`.
 */
export function packA(mr: number): string {
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
        set("dst", add(scratch(PACK_A_OFFSET), mul(mul(get("i0"), get("kc")), i32(4)))),
        set("p", i32(0)),
        vectorPaths,
        `(call $packPanel ${add(get("src"), mul(get("i0"), get("rowBytes")))}`,
        `${get("rowBytes")} ${get("colBytes")} ${get("rows")} ${i32(mr)} ${get("p")} ${get("kc")}`,
        `${add(scratch(PACK_A_OFFSET), mul(mul(get("i0"), get("kc")), i32(4)))})`,
      ),
    )
  }
)`;
}
