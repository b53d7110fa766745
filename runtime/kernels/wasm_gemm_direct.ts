/**
 * The unpacked paths of the WebAssembly GEMM (see `wasm_gemm_source.ts`) for products of one
 * or two rows, where packing B would cost as much as the product: `$directRows` sweeps B's rows
 * in place, `$directDots` takes dot products of contiguous rows when B is transposed.
 *
 * @module
 */
import { add, forUp, get, horizontalSum, i32, lines, mul, set, sub, ZERO } from "./wat.ts";

/** Products with fewer rows than this skip packing (see `$directRows` and `$directDots`). */
export const DIRECT_MAX_ROWS = 2;

/**
 * `$directRows(a, b, c, m, n, k, aRow, aCol, bRow)`: for a few rows and B's rows contiguous
 * (bCol = 1), each row of C as \(\sum_p a_{ip} B_{p,:}\), 16 then 4 columns per pass, B read in
 * place: packing B would cost as much as the product itself.
 */
export function directRows(): string {
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
export function directDots(): string {
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
