/**
 * The convolution part of the WebAssembly module (see `wasm_gemm_source.ts`): `$im2col`, which
 * unfolds one sample into columns inside the module's memory, its adjoint `$col2im`, the
 * `conv2d` export, which runs im2col, `$gemm` and the bias for a whole batch without the columns
 * ever leaving the module, and `conv2dBackward` for the input and weight gradients. Same layout
 * and semantics as `im2col` and `col2im` in `runtime/ops/conv_lowering.ts` and `conv2d` in
 * `runtime/ops/conv.ts`.
 *
 * NOTE: this file is over 400 lines on purpose: it is generator source for one WebAssembly
 * module, with the loops unrolled by hand (four floats per `v128`, edge loops after), and the
 * four functions share the module's memory layout and locals; split, that layout would have to be
 * read across files.
 *
 * @module
 */
import { add, forUp, get, i32, lines, mul, set, sub, ZERO } from "./wat.ts";

/** `dst[0..count)` (f32, `count` ≥ 0) = 0, four at a time. Uses local `t`. */
function zeroFloats(dst: string, count: string): string {
  return lines(
    forUp(
      "t",
      i32(0),
      sub(count, i32(3)),
      i32(4),
      `(v128.store ${add(dst, mul(get("t"), i32(4)))} ${ZERO})`,
    ),
    forUp(
      "t",
      get("t"),
      count,
      i32(1),
      `(f32.store ${add(dst, mul(get("t"), i32(4)))} (f32.const 0))`,
    ),
  );
}

/**
 * `$im2col(x, cols, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo, r0, r1)`: row
 * `(ci·kh + i)·kw + j` of the [c·kh·kw, ho·wo] matrix holds channel ci under kernel tap (i, j)
 * at every output position, zero where the tap falls in the padding; only rows r0..r1-1 are
 * written, row r at `cols + (r - r0)·ho·wo·4` (a thread of the pool unfolds its own rows).
 * Pointers are bytes.
 *
 * With `adjoint`, `$col2im` (same parameters): adds each entry of `cols` back onto the pixel of
 * `x` it came from (and skips the padding).
 */
function unfold(adjoint: boolean): string {
  /** The columns of one output row: `dst` in cols, `src` in x, taps lo..hi inside the image. */
  const transfer = (stride: "1" | "sw") => {
    const xAt = (ox: string) =>
      add(get("src"), mul(stride === "1" ? ox : mul(ox, get("sw")), i32(4)));
    const colsAt = (ox: string) => add(get("dst"), mul(ox, i32(4)));
    const scalar = adjoint
      ? `(f32.store ${xAt(get("ox"))} (f32.add (f32.load ${xAt(get("ox"))}) (f32.load ${
        colsAt(get("ox"))
      })))`
      : `(f32.store ${colsAt(get("ox"))} (f32.load ${xAt(get("ox"))}))`;
    if (stride === "sw") return forUp("ox", get("lo"), get("hi"), i32(1), scalar);
    const vector = adjoint
      ? `(v128.store ${xAt(get("ox"))} (f32x4.add (v128.load ${xAt(get("ox"))}) (v128.load ${
        colsAt(get("ox"))
      })))`
      : `(v128.store ${colsAt(get("ox"))} (v128.load ${xAt(get("ox"))}))`;
    return lines(
      forUp("ox", get("lo"), sub(get("hi"), i32(3)), i32(4), vector),
      forUp("ox", get("ox"), get("hi"), i32(1), scalar),
    );
  };
  const outsideRow = adjoint ? "" : zeroFloats(get("dst"), get("wo"));
  const padding = (code: string) => adjoint ? "" : code;
  return `
(func $${adjoint ? "col2im" : "im2col"} (param $x i32) (param $cols i32) (param $c i32)
  (param $h i32) (param $w i32)
  (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32)
  (param $dh i32) (param $dw i32) (param $ho i32) (param $wo i32) (param $r0 i32) (param $r1 i32)
  (local $ci i32) (local $i i32) (local $j i32) (local $oy i32) (local $ox i32) (local $t i32)
  (local $plane i32) (local $row i32) (local $dst i32) (local $src i32) (local $iy i32)
  (local $xShift i32) (local $lo i32) (local $hi i32) (local $num i32) (local $l i32)
  ${set("l", mul(get("ho"), get("wo")))}
  ${set("row", i32(0))}
  ${
    forUp(
      "ci",
      i32(0),
      get("c"),
      i32(1),
      lines(
        set("plane", add(get("x"), mul(mul(get("ci"), mul(get("h"), get("w"))), i32(4)))),
        forUp(
          "i",
          i32(0),
          get("kh"),
          i32(1),
          forUp(
            "j",
            i32(0),
            get("kw"),
            i32(1),
            lines(
              `(if (i32.and (i32.ge_s ${get("row")} ${get("r0")}) (i32.lt_s ${get("row")} ${
                get("r1")
              })) (then`,
              set("xShift", sub(mul(get("j"), get("dw")), get("pw"))),
              // lo = clamp(ceil(-xShift / sw), 0, wo): first output column inside the image.
              set("num", sub(i32(0), get("xShift"))),
              set(
                "lo",
                `(if (result i32) (i32.gt_s ${get("num")} ${i32(0)}) (then (i32.div_s ${
                  sub(add(get("num"), get("sw")), i32(1))
                } ${get("sw")})) (else ${i32(0)}))`,
              ),
              set("lo", `(select ${get("wo")} ${get("lo")} (i32.gt_s ${get("lo")} ${get("wo")}))`),
              // hi = max(lo, min(wo, floor((w - 1 - xShift) / sw) + 1)): one past the last.
              set("num", sub(sub(get("w"), i32(1)), get("xShift"))),
              set(
                "hi",
                `(if (result i32) (i32.ge_s ${get("num")} ${i32(0)}) (then ${
                  add(`(i32.div_s ${get("num")} ${get("sw")})`, i32(1))
                }) (else ${i32(0)}))`,
              ),
              set("hi", `(select ${get("wo")} ${get("hi")} (i32.gt_s ${get("hi")} ${get("wo")}))`),
              set("hi", `(select ${get("lo")} ${get("hi")} (i32.lt_s ${get("hi")} ${get("lo")}))`),
              forUp(
                "oy",
                i32(0),
                get("ho"),
                i32(1),
                lines(
                  set(
                    "dst",
                    add(
                      get("cols"),
                      mul(
                        add(mul(sub(get("row"), get("r0")), get("l")), mul(get("oy"), get("wo"))),
                        i32(4),
                      ),
                    ),
                  ),
                  set(
                    "iy",
                    add(sub(mul(get("oy"), get("sh")), get("ph")), mul(get("i"), get("dh"))),
                  ),
                  `(if (i32.or (i32.lt_s ${get("iy")} ${i32(0)}) (i32.ge_s ${get("iy")} ${
                    get("h")
                  }))`,
                  `(then ${outsideRow})`,
                  `(else`,
                  set(
                    "src",
                    add(get("plane"), mul(add(mul(get("iy"), get("w")), get("xShift")), i32(4))),
                  ),
                  padding(zeroFloats(get("dst"), get("lo"))),
                  `(if (i32.eq ${get("sw")} ${i32(1)}) (then`,
                  transfer("1"),
                  `) (else`,
                  transfer("sw"),
                  `))`,
                  padding(
                    zeroFloats(add(get("dst"), mul(get("hi"), i32(4))), sub(get("wo"), get("hi"))),
                  ),
                  `))`,
                ),
              ),
              `))`,
              set("row", add(get("row"), i32(1))),
            ),
          ),
        ),
      ),
    )
  }
)`;
}

/** The row range `r0 r1` that makes `$im2col` and `$col2im` cover every row. */
const ALL_ROWS = `${i32(0)} ${i32(0x7fffffff)}`;

/** `$im2col`: see `unfold`. */
export const im2colFunction: string = unfold(false);
/** `$col2im`: see `unfold`. */
export const col2imFunction: string = unfold(true);

/**
 * `conv2d(x, w, bias, cols, out, n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, ho,
 * wo, hasBias)`: out [n, o, ho, wo] = the convolution of x [n, c, h, wd] with w
 * [o, c/groups, kh, kw], plus bias [o] when `hasBias`; `cols` is scratch for one sample's
 * columns. Pointers are bytes.
 */
export const conv2dExport = `
(func (export "conv2d") (param $x i32) (param $w i32) (param $bias i32) (param $cols i32)
  (param $out i32) (param $n i32) (param $c i32) (param $h i32) (param $wd i32) (param $o i32)
  (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32)
  (param $dh i32) (param $dw i32) (param $groups i32) (param $ho i32) (param $wo i32)
  (param $hasBias i32)
  (local $s i32) (local $gi i32) (local $oc i32) (local $t i32) (local $l i32) (local $k i32)
  (local $og i32) (local $inBytes i32) (local $row i32) (local $v v128)
  ${set("l", mul(get("ho"), get("wo")))}
  ${set("og", `(i32.div_s ${get("o")} ${get("groups")})`)}
  ${set("k", mul(`(i32.div_s ${get("c")} ${get("groups")})`, mul(get("kh"), get("kw"))))}
  ${set("inBytes", mul(mul(get("c"), mul(get("h"), get("wd"))), i32(4)))}
  ${
  forUp(
    "s",
    i32(0),
    get("n"),
    i32(1),
    lines(
      `(call $im2col ${add(get("x"), mul(get("s"), get("inBytes")))} ${get("cols")} ${
        ["c", "h", "wd", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "ho", "wo"].map(get)
          .join(" ")
      } ${ALL_ROWS})`,
      forUp(
        "gi",
        i32(0),
        get("groups"),
        i32(1),
        `(call $gemm ${add(get("w"), mul(mul(get("gi"), mul(get("og"), get("k"))), i32(4)))} ${
          add(get("cols"), mul(mul(get("gi"), mul(get("k"), get("l"))), i32(4)))
        } ${
          add(
            get("out"),
            mul(mul(add(mul(get("s"), get("o")), mul(get("gi"), get("og"))), get("l")), i32(4)),
          )
        } ${get("og")} ${get("l")} ${get("k")} ${get("k")} ${i32(1)} ${get("l")} ${i32(1)})`,
      ),
      `(if ${get("hasBias")} (then`,
      forUp(
        "oc",
        i32(0),
        get("o"),
        i32(1),
        lines(
          set("v", `(v128.load32_splat ${add(get("bias"), mul(get("oc"), i32(4)))})`),
          set(
            "row",
            add(get("out"), mul(mul(add(mul(get("s"), get("o")), get("oc")), get("l")), i32(4))),
          ),
          forUp(
            "t",
            i32(0),
            sub(get("l"), i32(3)),
            i32(4),
            `(v128.store ${add(get("row"), mul(get("t"), i32(4)))} (f32x4.add (v128.load ${
              add(get("row"), mul(get("t"), i32(4)))
            }) ${get("v")}))`,
          ),
          forUp(
            "t",
            get("t"),
            get("l"),
            i32(1),
            `(f32.store ${add(get("row"), mul(get("t"), i32(4)))} (f32.add (f32.load ${
              add(get("row"), mul(get("t"), i32(4)))
            }) (f32x4.extract_lane 0 ${get("v")})))`,
          ),
        ),
      ),
      `))`,
    ),
  )
}
)`;

/**
 * `conv2dBackward(x, w, dy, gx, gw, cols, tile, n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw,
 * groups, ho, wo, wantInput, wantWeight)`: with `wantWeight`, adds $\partial L/\partial W$ into
 * `gw` [o, c/groups, kh, kw] (per sample and group, dY·colsᵀ through `tile`); with `wantInput`,
 * adds $\partial L/\partial x$ into `gx` [n, c, h, wd] (Wᵀ·dY, then `$col2im`). Both must start
 * at zero; `cols` holds one sample's columns. Pointers are bytes.
 */
export const conv2dBackwardExport = `
(func (export "conv2dBackward") (param $x i32) (param $w i32) (param $dy i32) (param $gx i32)
  (param $gw i32) (param $cols i32) (param $tile i32) (param $n i32) (param $c i32) (param $h i32)
  (param $wd i32) (param $o i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32)
  (param $ph i32) (param $pw i32) (param $dh i32) (param $dw i32) (param $groups i32)
  (param $ho i32) (param $wo i32) (param $wantInput i32) (param $wantWeight i32)
  (local $s i32) (local $gi i32) (local $t i32) (local $l i32) (local $k i32) (local $og i32)
  (local $inBytes i32) (local $tileSize i32) (local $to i32) (local $dyAt i32)
  ${set("l", mul(get("ho"), get("wo")))}
  ${set("og", `(i32.div_s ${get("o")} ${get("groups")})`)}
  ${set("k", mul(`(i32.div_s ${get("c")} ${get("groups")})`, mul(get("kh"), get("kw"))))}
  ${set("tileSize", mul(get("og"), get("k")))}
  ${set("inBytes", mul(mul(get("c"), mul(get("h"), get("wd"))), i32(4)))}
  ${
  forUp(
    "s",
    i32(0),
    get("n"),
    i32(1),
    lines(
      `(if ${get("wantWeight")} (then`,
      `(call $im2col ${add(get("x"), mul(get("s"), get("inBytes")))} ${get("cols")} ${
        ["c", "h", "wd", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "ho", "wo"].map(get)
          .join(" ")
      } ${ALL_ROWS})`,
      forUp(
        "gi",
        i32(0),
        get("groups"),
        i32(1),
        lines(
          set(
            "dyAt",
            add(
              get("dy"),
              mul(mul(add(mul(get("s"), get("o")), mul(get("gi"), get("og"))), get("l")), i32(4)),
            ),
          ),
          // tile [og, k] = dY_g [og, l] · cols_gᵀ, cols_g stored [k, l]
          `(call $gemm ${get("dyAt")} ${
            add(get("cols"), mul(mul(get("gi"), mul(get("k"), get("l"))), i32(4)))
          } ${get("tile")} ${get("og")} ${get("k")} ${get("l")} ${get("l")} ${i32(1)} ${i32(1)} ${
            get("l")
          })`,
          set("to", add(get("gw"), mul(mul(get("gi"), get("tileSize")), i32(4)))),
          forUp(
            "t",
            i32(0),
            sub(get("tileSize"), i32(3)),
            i32(4),
            `(v128.store ${add(get("to"), mul(get("t"), i32(4)))} (f32x4.add (v128.load ${
              add(get("to"), mul(get("t"), i32(4)))
            }) (v128.load ${add(get("tile"), mul(get("t"), i32(4)))})))`,
          ),
          forUp(
            "t",
            get("t"),
            get("tileSize"),
            i32(1),
            `(f32.store ${add(get("to"), mul(get("t"), i32(4)))} (f32.add (f32.load ${
              add(get("to"), mul(get("t"), i32(4)))
            }) (f32.load ${add(get("tile"), mul(get("t"), i32(4)))})))`,
          ),
        ),
      ),
      `))`,
      `(if ${get("wantInput")} (then`,
      forUp(
        "gi",
        i32(0),
        get("groups"),
        i32(1),
        // dcols_g [k, l] = W_gᵀ [k, og] · dY_g [og, l], W_g stored [og, k]
        `(call $gemm ${add(get("w"), mul(mul(get("gi"), get("tileSize")), i32(4)))} ${
          add(
            get("dy"),
            mul(mul(add(mul(get("s"), get("o")), mul(get("gi"), get("og"))), get("l")), i32(4)),
          )
        } ${add(get("cols"), mul(mul(get("gi"), mul(get("k"), get("l"))), i32(4)))} ${get("k")} ${
          get("l")
        } ${get("og")} ${i32(1)} ${get("k")} ${get("l")} ${i32(1)})`,
      ),
      `(call $col2im ${add(get("gx"), mul(get("s"), get("inBytes")))} ${get("cols")} ${
        ["c", "h", "wd", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "ho", "wo"].map(get)
          .join(" ")
      } ${ALL_ROWS})`,
      `))`,
    ),
  )
}
)`;

/**
 * `conv2dWeightGrad(x, dy, gw, cols, tile, n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw, ho,
 * wo, r0, r1)`: for one group, adds columns r0..r1-1 of $\partial L/\partial W$ (viewed as
 * [o, c·kh·kw]) into `gw`: per sample, the rows r0..r1-1 of the columns are unfolded into `cols`,
 * `tile` [o, r1-r0] = dY [o, l] · colsᵀ, and the tile is added to those columns of `gw`, sample
 * by sample. A thread of the pool takes a range of columns; every column is summed over the
 * samples in the same order, so any split gives the same bits. Pointers are bytes.
 */
export const conv2dWeightGradExport = `
(func (export "conv2dWeightGrad") (param $x i32) (param $dy i32) (param $gw i32) (param $cols i32)
  (param $tile i32) (param $n i32) (param $c i32) (param $h i32) (param $wd i32) (param $o i32)
  (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32)
  (param $dh i32) (param $dw i32) (param $ho i32) (param $wo i32) (param $r0 i32) (param $r1 i32)
  (local $s i32) (local $t i32) (local $l i32) (local $k i32) (local $width i32) (local $oc i32)
  (local $inBytes i32) (local $to i32) (local $from i32)
  ${set("l", mul(get("ho"), get("wo")))}
  ${set("k", mul(get("c"), mul(get("kh"), get("kw"))))}
  ${set("width", sub(get("r1"), get("r0")))}
  ${set("inBytes", mul(mul(get("c"), mul(get("h"), get("wd"))), i32(4)))}
  ${
  forUp(
    "s",
    i32(0),
    get("n"),
    i32(1),
    lines(
      `(call $im2col ${add(get("x"), mul(get("s"), get("inBytes")))} ${get("cols")} ${
        ["c", "h", "wd", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "ho", "wo", "r0", "r1"]
          .map(get).join(" ")
      })`,
      // tile [o, width] = dY_s [o, l] · colsᵀ, cols stored [width, l]
      `(call $gemm ${add(get("dy"), mul(mul(mul(get("s"), get("o")), get("l")), i32(4)))} ${
        get("cols")
      } ${get("tile")} ${get("o")} ${get("width")} ${get("l")} ${get("l")} ${i32(1)} ${i32(1)} ${
        get("l")
      })`,
      forUp(
        "oc",
        i32(0),
        get("o"),
        i32(1),
        lines(
          set("to", add(get("gw"), mul(add(mul(get("oc"), get("k")), get("r0")), i32(4)))),
          set("from", add(get("tile"), mul(mul(get("oc"), get("width")), i32(4)))),
          forUp(
            "t",
            i32(0),
            sub(get("width"), i32(3)),
            i32(4),
            `(v128.store ${add(get("to"), mul(get("t"), i32(4)))} (f32x4.add (v128.load ${
              add(get("to"), mul(get("t"), i32(4)))
            }) (v128.load ${add(get("from"), mul(get("t"), i32(4)))})))`,
          ),
          forUp(
            "t",
            get("t"),
            get("width"),
            i32(1),
            `(f32.store ${add(get("to"), mul(get("t"), i32(4)))} (f32.add (f32.load ${
              add(get("to"), mul(get("t"), i32(4)))
            }) (f32.load ${add(get("from"), mul(get("t"), i32(4)))})))`,
          ),
        ),
      ),
    ),
  )
}
)`;
