/**
 * Seeded pseudo-random numbers. Every random op in the runtime draws from the global generator,
 * so `seed(n)` at the top of a cell makes the cell reproducible.
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018), seeded through splitmix32.
 *
 * @module
 */

/** A seedable random number generator (xoshiro128**). */
export class Generator {
  #s = new Uint32Array(4);
  #spareNormal: number | null = null;

  /**
   * Creates a generator in the state given by `seedValue`.
   * @param seedValue Any integer; the same seed gives the same sequence.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Generator } from "gradbook";
   * const g = new Generator(42);
   * const u = g.random();
   * assert.ok(u >= 0 && u < 1);
   * assert.equal(new Generator(42).random(), u); // same seed, same sequence
   * ```
   */
  constructor(seedValue = 0) {
    this.seed(seedValue);
  }

  /** Resets the state from an integer seed. */
  seed(seedValue: number): void {
    // splitmix32 expands one 32-bit seed into four non-zero state words.
    let z = (Math.floor(seedValue) >>> 0) ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (t ^ (t >>> 16)) >>> 0;
    }
    if ((this.#s[0]! | this.#s[1]! | this.#s[2]! | this.#s[3]!) === 0) this.#s[0] = 1;
    this.#spareNormal = null;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    if (!(high > low)) throw new RangeError(`randint: high (${high}) must exceed low (${low})`);
    return low + Math.floor(this.random() * (high - low));
  }

  /** Standard normal sample (Box-Muller, caching the second value). */
  normal(): number {
    if (this.#spareNormal !== null) {
      const v = this.#spareNormal;
      this.#spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The global generator used by `rand`, `randn`, `randint`, init functions, dropout and shuffling. */
export const globalGenerator: Generator = new Generator(0);

/**
 * Seeds the global generator: every random op after it is reproducible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seed, randn } from "gradbook";
 * seed(1);
 * const a = randn([3]).toArray();
 * seed(1);
 * const b = randn([3]).toArray();
 * assert.deepEqual(a, b);
 * ```
 */
export function seed(seedValue: number): void {
  globalGenerator.seed(seedValue);
}
