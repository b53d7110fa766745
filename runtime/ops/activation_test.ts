import { assertAlmostEquals, assertThrows } from "../testing/assert.ts";
import { erfNumber, gelu, tensor } from "../mod.ts";
import { check } from "./test_helpers.ts";

Deno.test("erfNumber() matches reference values to 1e-15", () => {
  // Reference values from Python's math.erf (glibc).
  const cases: [number, number][] = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [-1.5, -0.9661051464753108],
    [5.5, 0.9999999999999927],
  ];
  for (const [x, want] of cases) assertAlmostEquals(erfNumber(x), want, 1e-15);
  assertAlmostEquals(erfNumber(10), 1, 0);
});

Deno.test("erf, leakyRelu, gelu and softplus pass gradcheck", () => {
  check((a) => a.mul(2).erf(), [3, 4]);
  check((a) => a.leakyRelu(0.2), [3, 4]);
  check((a) => a.mul(2).gelu(), [3, 4]);
  check((a) => a.mul(2).gelu({ approximate: "tanh" }), [3, 4]);
  check((a) => a.mul(3).softplus(), [3, 4]);
  // Half the inputs sit above the threshold, where softplus is the identity.
  check((a) => a.softplus({ beta: 2, threshold: 0.5 }), [3, 4]);
});

Deno.test("gelu() rejects an unknown approximation", () => {
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => gelu(tensor([1]), { approximate: "sigmoid" as any }),
    TypeError,
    'gelu: approximate must be "none" or "tanh", got "sigmoid"',
  );
});

Deno.test("softplus() does not overflow for large inputs", () => {
  const y = tensor([1000, -1000], { dtype: "float64" }).softplus();
  assertAlmostEquals(y.data[0]!, 1000, 0);
  assertAlmostEquals(y.data[1]!, 0, 1e-300);
});
