/**
 * The LSTM and GRU gate loops of the WebAssembly module (see `wasm_gemm_source.ts`), four hidden
 * units per `v128`: `lstmCellForward` and `gruCellForward` (the gates and the new state of one
 * batch row at one step) and `lstmCellBackward` and `gruCellBackward` (that row's gate
 * gradients), the float32 counterparts of the loops in `lstm_rows.ts` and `gru_rows.ts`. Their exponentials are float32 polynomials (Cephes' `expf`; `tanh`
 * as Cephes' `tanhf`: an odd polynomial below 0.625, `1 − 2/(e^{2x} + 1)` above), a few units
 * in the last place from the exact values, as PyTorch's own vectorised kernels are; the loops
 * in JavaScript spent most of an LSTM step in `Math.exp` and `Math.tanh`.
 *
 * @module
 */
import { add, forUp, get, i32, lines, mul, set } from "./wat.ts";

/** A `v128` of four equal float32 lanes. */
const splat = (value: number): string => `(v128.const f32x4 ${value} ${value} ${value} ${value})`;
const fadd = (x: string, y: string) => `(f32x4.add ${x} ${y})`;
const fsub = (x: string, y: string) => `(f32x4.sub ${x} ${y})`;
const fmul = (x: string, y: string) => `(f32x4.mul ${x} ${y})`;
const fdiv = (x: string, y: string) => `(f32x4.div ${x} ${y})`;
const load = (base: string, unit: string) => `(v128.load ${add(base, mul(unit, i32(4)))})`;
const store = (base: string, unit: string, value: string) =>
  `(v128.store ${add(base, mul(unit, i32(4)))} ${value})`;
/** `for (j = 0; j < H; j += 4) body`: four hidden units per pass. */
const unitLoop = (...body: string[]) => forUp("j", i32(0), get("H"), i32(4), lines(...body));
/** Sets locals H2 and H3 to 2H and 3H, the offsets of the third and fourth gates. */
const gateOffsets = lines(set("H2", mul(get("H"), i32(2))), set("H3", mul(get("H"), i32(3))));

/** The sign bit of each float32 lane. */
const SIGN_BITS = "(v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)";

/** `$exp4(x)`: $e^x$ per lane (Cephes `expf`), inputs clamped to [-87, 88] (finite, normal). */
const exp4 = `
(func $exp4 (param $x v128) (result v128) (local $fx v128) (local $y v128) (local $z v128)
  ${set("x", `(f32x4.max (f32x4.min ${get("x")} ${splat(88)}) ${splat(-87)})`)}
  ${set("fx", `(f32x4.nearest ${fmul(get("x"), splat(1.44269504088896341))})`)}
  ${set("x", fsub(get("x"), fmul(get("fx"), splat(0.693359375))))}
  ${set("x", fsub(get("x"), fmul(get("fx"), splat(-2.12194440e-4))))}
  ${set("z", fmul(get("x"), get("x")))}
  ${set("y", splat(1.9875691500e-4))}
  ${
  [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]
    .map((c) => set("y", fadd(fmul(get("y"), get("x")), splat(c)))).join("\n  ")
}
  ${set("y", fadd(fadd(fmul(get("y"), get("z")), get("x")), splat(1)))}
  ;; 2^fx, built in the exponent bits
  ${
  fmul(
    get("y"),
    `(i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s ${
      get("fx")
    }) (v128.const i32x4 127 127 127 127)) (i32.const 23))`,
  )
}
)`;

/** `$sigmoid4(x)`: $1 / (1 + e^{-x})$ per lane. */
const sigmoid4 = `
(func $sigmoid4 (param $x v128) (result v128)
  ${fdiv(splat(1), fadd(splat(1), `(call $exp4 (f32x4.neg ${get("x")}))`))}
)`;

/** `$tanh4(x)`: $\tanh x$ per lane (Cephes `tanhf`). */
const tanh4 = `
(func $tanh4 (param $x v128) (result v128) (local $a v128) (local $z v128) (local $p v128)
  (local $big v128)
  ${set("a", `(f32x4.abs ${get("x")})`)}
  ;; |x| >= 0.625: 1 - 2 / (e^{2|x|} + 1), with the sign of x
  ${set("big", `(call $exp4 ${fadd(get("a"), get("a"))})`)}
  ${set("big", fsub(splat(1), fdiv(splat(2), fadd(get("big"), splat(1)))))}
  ${set("big", `(v128.or ${get("big")} (v128.and ${get("x")} ${SIGN_BITS}))`)}
  ;; |x| < 0.625: x + x^3 P(x^2)
  ${set("z", fmul(get("x"), get("x")))}
  ${set("p", splat(-5.70498872745e-3))}
  ${
  [2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]
    .map((c) => set("p", fadd(fmul(get("p"), get("z")), splat(c)))).join("\n  ")
}
  ${set("p", fadd(fmul(fmul(get("p"), get("z")), get("x")), get("x")))}
  (v128.bitselect ${get("p")} ${get("big")} (f32x4.lt ${get("a")} ${splat(0.625)}))
)`;

/**
 * `lstmCellForward(x, h, bias, acts, cPrev, cNext, hNext, H)`, byte addresses of one batch
 * row: gate pre-activations `x + h + bias` (each `[4H]`, gates i, f, g, o) → activated gates
 * into `acts`, $c = f c_{prev} + i g$ into `cNext`, $o \tanh c$ into `hNext`. H is a multiple
 * of 4.
 */
const forwardExport = `
(func (export "lstmCellForward") (param $x i32) (param $h i32) (param $bias i32) (param $acts i32)
  (param $cPrev i32) (param $cNext i32) (param $hNext i32) (param $H i32)
  (local $j i32) (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $c v128)
  ${
  unitLoop(
    ...(["i", "f", "g", "o"] as const).map((gate, k) => {
      const unit = k === 0 ? get("j") : add(get("j"), mul(get("H"), i32(k)));
      const pre = fadd(
        fadd(load(get("x"), unit), load(get("h"), unit)),
        load(get("bias"), unit),
      );
      return lines(
        set(gate, `(call ${gate === "g" ? "$tanh4" : "$sigmoid4"} ${pre})`),
        store(get("acts"), unit, get(gate)),
      );
    }),
    set("c", fadd(fmul(get("f"), load(get("cPrev"), get("j"))), fmul(get("i"), get("g")))),
    store(get("cNext"), get("j"), get("c")),
    store(get("hNext"), get("j"), fmul(get("o"), `(call $tanh4 ${get("c")})`)),
  )
}
)`;

/**
 * `lstmCellBackward(gd, dh, dc, acts, cPrev, cNext, dG, H)`, byte addresses of one batch row:
 * given the output gradient `gd` and the recurrent gradient `dh` of $h_t$ and `dc` of $c_t$,
 * writes the gate gradients into `dG` (`[4H]`) and replaces `dc` with the gradient of
 * $c_{t-1}$. H is a multiple of 4.
 */
const backwardExport = `
(func (export "lstmCellBackward") (param $gd i32) (param $dh i32) (param $dc i32) (param $acts i32)
  (param $cPrev i32) (param $cNext i32) (param $dG i32) (param $H i32)
  (local $j i32) (local $H2 i32) (local $H3 i32)
  (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $dht v128)
  (local $tc v128) (local $dct v128)
  ${gateOffsets}
  ${
  unitLoop(
    set("dht", fadd(load(get("gd"), get("j")), load(get("dh"), get("j")))),
    set("i", load(get("acts"), get("j"))),
    set("f", load(get("acts"), add(get("j"), get("H")))),
    set("g", load(get("acts"), add(get("j"), get("H2")))),
    set("o", load(get("acts"), add(get("j"), get("H3")))),
    set("tc", `(call $tanh4 ${load(get("cNext"), get("j"))})`),
    set(
      "dct",
      fadd(
        load(get("dc"), get("j")),
        fmul(fmul(get("dht"), get("o")), fsub(splat(1), fmul(get("tc"), get("tc")))),
      ),
    ),
    store(
      get("dG"),
      get("j"),
      fmul(fmul(fmul(get("dct"), get("g")), get("i")), fsub(splat(1), get("i"))),
    ),
    store(
      get("dG"),
      add(get("j"), get("H")),
      fmul(
        fmul(fmul(get("dct"), load(get("cPrev"), get("j"))), get("f")),
        fsub(splat(1), get("f")),
      ),
    ),
    store(
      get("dG"),
      add(get("j"), get("H2")),
      fmul(fmul(get("dct"), get("i")), fsub(splat(1), fmul(get("g"), get("g")))),
    ),
    store(
      get("dG"),
      add(get("j"), get("H3")),
      fmul(fmul(fmul(get("dht"), get("tc")), get("o")), fsub(splat(1), get("o"))),
    ),
    store(get("dc"), get("j"), fmul(get("dct"), get("f"))),
  )
}
)`;

/**
 * `gruCellForward(x, h, bi, bh, saved, hPrev, hNext, H)`, byte addresses of one batch row:
 * input-side `x` and hidden-side `h` products (each `[3H]`, gates r, z, n) with their biases →
 * r, z, n and $W_{hn} h + b_{hn}$ into `saved` (`[4H]`), $h' = (1 - z) n + z h$ into `hNext`.
 * H is a multiple of 4.
 */
const gruForwardExport = `
(func (export "gruCellForward") (param $x i32) (param $h i32) (param $bi i32) (param $bh i32)
  (param $saved i32) (param $hPrev i32) (param $hNext i32) (param $H i32)
  (local $j i32) (local $H2 i32) (local $H3 i32) (local $r v128) (local $z v128) (local $hn v128)
  (local $n v128)
  ${gateOffsets}
  ${
  unitLoop(
    ...[["r", get("j")], ["z", add(get("j"), get("H"))]].map(([gate, unit]) =>
      set(
        gate!,
        `(call $sigmoid4 ${
          fadd(
            fadd(fadd(load(get("x"), unit!), load(get("bi"), unit!)), load(get("h"), unit!)),
            load(get("bh"), unit!),
          )
        })`,
      )
    ),
    set(
      "hn",
      fadd(load(get("h"), add(get("j"), get("H2"))), load(get("bh"), add(get("j"), get("H2")))),
    ),
    set(
      "n",
      `(call $tanh4 ${
        fadd(
          fadd(
            load(get("x"), add(get("j"), get("H2"))),
            load(get("bi"), add(get("j"), get("H2"))),
          ),
          fmul(get("r"), get("hn")),
        )
      })`,
    ),
    store(get("saved"), get("j"), get("r")),
    store(get("saved"), add(get("j"), get("H")), get("z")),
    store(get("saved"), add(get("j"), get("H2")), get("n")),
    store(get("saved"), add(get("j"), get("H3")), get("hn")),
    store(
      get("hNext"),
      get("j"),
      fadd(
        fmul(fsub(splat(1), get("z")), get("n")),
        fmul(get("z"), load(get("hPrev"), get("j"))),
      ),
    ),
  )
}
)`;

/**
 * `gruCellBackward(gd, dh, saved, hPrev, dxg, dhg, H)`, byte addresses of one batch row: given
 * the output gradient `gd` and the recurrent gradient `dh` of $h_t$, writes the gradients of
 * the input-side (`dxg`) and hidden-side (`dhg`) pre-activations (`[3H]` each) and replaces `dh`
 * with its direct part $\partial h_t \odot z$ for $h_{t-1}$. H is a multiple of 4.
 */
const gruBackwardExport = `
(func (export "gruCellBackward") (param $gd i32) (param $dh i32) (param $saved i32)
  (param $hPrev i32) (param $dxg i32) (param $dhg i32) (param $H i32)
  (local $j i32) (local $H2 i32) (local $H3 i32) (local $r v128) (local $z v128) (local $n v128)
  (local $hn v128) (local $dht v128) (local $dan v128) (local $dar v128) (local $daz v128)
  ${gateOffsets}
  ${
  unitLoop(
    set("dht", fadd(load(get("gd"), get("j")), load(get("dh"), get("j")))),
    set("r", load(get("saved"), get("j"))),
    set("z", load(get("saved"), add(get("j"), get("H")))),
    set("n", load(get("saved"), add(get("j"), get("H2")))),
    set("hn", load(get("saved"), add(get("j"), get("H3")))),
    set(
      "dan",
      fmul(fmul(get("dht"), fsub(splat(1), get("z"))), fsub(splat(1), fmul(get("n"), get("n")))),
    ),
    set("dar", fmul(fmul(fmul(get("dan"), get("hn")), get("r")), fsub(splat(1), get("r")))),
    set(
      "daz",
      fmul(
        fmul(fmul(get("dht"), fsub(load(get("hPrev"), get("j")), get("n"))), get("z")),
        fsub(splat(1), get("z")),
      ),
    ),
    store(get("dxg"), get("j"), get("dar")),
    store(get("dxg"), add(get("j"), get("H")), get("daz")),
    store(get("dxg"), add(get("j"), get("H2")), get("dan")),
    store(get("dhg"), get("j"), get("dar")),
    store(get("dhg"), add(get("j"), get("H")), get("daz")),
    store(get("dhg"), add(get("j"), get("H2")), fmul(get("dan"), get("r"))),
    store(get("dh"), get("j"), fmul(get("dht"), get("z"))),
  )
}
)`;

/** The module text of the LSTM and GRU gate loops and the float32 functions they use. */
export const recurrentCellFunctions: string = lines(
  exp4,
  sigmoid4,
  tanh4,
  forwardExport,
  backwardExport,
  gruForwardExport,
  gruBackwardExport,
);
