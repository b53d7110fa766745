/**
 * Activation functions beyond relu/tanh/sigmoid: leaky ReLU, GELU (exact and tanh forms),
 * softplus, and the error function they need.
 *
 * @module
 */
import { recordOp } from "../core/autograd.ts";
import { allocate, Tensor } from "../core/tensor.ts";

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const SQRT1_2 = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;
const SQRT_2_OVER_PI = 0.7978845608028654;

/**
 * The error function $\mathrm{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2}dt$ of one number,
 * accurate to about 1e-15 relative (JavaScript's `Math` has no erf).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { erfNumber } from "gradbook";
 * assert.ok(Math.abs(erfNumber(0.5) - 0.5204998778130465) < 1e-12);
 * ```
 */
export function erfNumber(x: number): number {
  const a = Math.abs(x);
  if (a !== a) return NaN;
  let r: number;
  if (a < 2.5) {
    // erf(a) = 2/sqrt(pi) e^{-a^2} sum_n (2a^2)^n a / (2n+1)!!: every term is positive, so the
    // sum has no cancellation (the alternating Taylor series loses digits above ~2).
    const a2 = 2 * a * a;
    let term = a;
    let sum = a;
    for (let n = 1; n < 200; n++) {
      term *= a2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    r = TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
  } else if (a < 6) {
    // erfc(a) = e^{-a^2}/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), evaluated bottom-up.
    let f = a;
    for (let n = 40; n >= 1; n--) f = a + n / 2 / f;
    r = 1 - (Math.exp(-a * a) * ONE_OVER_SQRT_PI) / f;
  } else {
    r = 1; // erfc(6) < 2.2e-17: erf rounds to 1
  }
  return x < 0 ? -r : r;
}

/**
 * Elementwise error function, with gradient $\frac{2}{\sqrt\pi}e^{-x^2}$.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { erf, tensor } from "gradbook";
 * assert.deepEqual(erf(tensor([0, 10])).toArray(), [0, 1]);
 * ```
 */
export function erf(x: Tensor): Tensor {
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = erfNumber(src[i]!);
  return recordOp(new Tensor(out, x.shape), "erf", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < d.length; i++) {
      const v = src[i]!;
      d[i] = gd[i]! * TWO_OVER_SQRT_PI * Math.exp(-v * v);
    }
    return [new Tensor(d, x.shape)];
  });
}

/**
 * Leaky ReLU: $x$ for $x > 0$, else `negativeSlope`$\cdot x$ (default 0.01, like PyTorch; the
 * gradient at 0 is the slope, as in PyTorch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leakyRelu, tensor } from "gradbook";
 * const [a, b] = leakyRelu(tensor([-2, 3]), 0.1).toFlatArray();
 * assert.ok(Math.abs(a! - -0.2) < 1e-6); // float32 rounding aside
 * assert.equal(b, 3);
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== "number") {
    throw new TypeError(`leakyRelu: negativeSlope must be a number, got ${typeof negativeSlope}`);
  }
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) {
    const v = src[i]!;
    out[i] = v > 0 ? v : v * negativeSlope;
  }
  return recordOp(new Tensor(out, x.shape), "leakyRelu", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < d.length; i++) d[i] = src[i]! > 0 ? gd[i]! : gd[i]! * negativeSlope;
    return [new Tensor(d, x.shape)];
  });
}

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** "none" (default): the exact $x\Phi(x)$; "tanh": the tanh approximation. */
  approximate?: "none" | "tanh";
}

/**
 * Gaussian error linear unit (Hendrycks & Gimpel, 2016): $x\,\Phi(x)$ with $\Phi$ the standard
 * normal CDF, or with `approximate: "tanh"`
 * $\frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715x^3)\right)\right)$, like
 * PyTorch's `F.gelu(x, approximate=...)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gelu, tensor } from "gradbook";
 * const [a, b] = gelu(tensor([0, 1])).toFlatArray();
 * assert.equal(a, 0);
 * assert.ok(Math.abs(b! - 0.8413447) < 1e-6);
 * assert.ok(Math.abs(gelu(tensor([1]), { approximate: "tanh" }).item() - 0.8411920) < 1e-6);
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") {
    throw new TypeError(`gelu: approximate must be "none" or "tanh", got "${approximate}"`);
  }
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  if (approximate === "none") {
    for (let i = 0; i < out.length; i++) {
      const v = src[i]!;
      out[i] = v * 0.5 * (1 + erfNumber(v * SQRT1_2));
    }
  } else {
    for (let i = 0; i < out.length; i++) {
      const v = src[i]!;
      out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }
  }
  return recordOp(new Tensor(out, x.shape), "gelu", [x], (g) => {
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    if (approximate === "none") {
      // d/dx x Phi(x) = Phi(x) + x phi(x)
      for (let i = 0; i < d.length; i++) {
        const v = src[i]!;
        const cdf = 0.5 * (1 + erfNumber(v * SQRT1_2));
        d[i] = gd[i]! * (cdf + v * ONE_OVER_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
    } else {
      for (let i = 0; i < d.length; i++) {
        const v = src[i]!;
        const t = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
        const dInner = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
        d[i] = gd[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner);
      }
    }
    return [new Tensor(d, x.shape)];
  });
}

/** Options of {@link softplus}. */
export interface SoftplusOptions {
  /** Sharpness $\beta$ (default 1). */
  beta?: number;
  /** Above $\beta x >$ `threshold` (default 20) the function is $x$ itself, like PyTorch. */
  threshold?: number;
}

/**
 * Softplus $\frac{1}{\beta}\log(1 + e^{\beta x})$, a smooth ReLU; linear above the threshold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softplus, tensor } from "gradbook";
 * const [a, b] = softplus(tensor([0, 30])).toFlatArray();
 * assert.ok(Math.abs(a! - Math.LN2) < 1e-6);
 * assert.equal(b, 30); // linear above the threshold
 * ```
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  const src = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) {
    const v = src[i]!;
    out[i] = v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta;
  }
  return recordOp(new Tensor(out, x.shape), "softplus", [x], (g) => {
    // d/dx = sigmoid(beta x) below the threshold, 1 above it
    const d = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < d.length; i++) {
      const z = src[i]! * beta;
      d[i] = z > threshold ? gd[i]! : gd[i]! / (1 + Math.exp(-z));
    }
    return [new Tensor(d, x.shape)];
  });
}
