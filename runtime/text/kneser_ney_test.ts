import { assert, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { KneserNey } from "./kneser_ney.ts";

/** Interpolated Kneser-Ney written the slow, obvious way: string keys and full scans. */
function slowKneserNey(train: number[], V: number, order: number, D: number) {
  const key = (xs: number[]) => xs.join(",");
  const grams = (m: number) => {
    const out: number[][] = [];
    for (let i = 0; i + m <= train.length; i++) out.push(train.slice(i, i + m));
    return out;
  };
  const occurrences = (m: number) => {
    const c = new Map<string, number>();
    for (const g of grams(m)) c.set(key(g), (c.get(key(g)) ?? 0) + 1);
    return c;
  };
  const continuations = (m: number) => {
    const seen = new Map<string, Set<number>>();
    for (const g of grams(m + 1)) {
      const k = key(g.slice(1));
      if (!seen.has(k)) seen.set(k, new Set());
      seen.get(k)!.add(g[0]!);
    }
    return new Map([...seen].map(([k, s]) => [k, s.size]));
  };
  return (context: number[], next: number): number => {
    let p = 1 / V;
    for (let m = 1; m <= order && m - 1 <= context.length; m++) {
      const h = context.slice(context.length - (m - 1));
      const table = m === order ? occurrences(m) : continuations(m);
      let total = 0;
      let types = 0;
      for (let c = 0; c < V; c++) {
        const n = table.get(key([...h, c])) ?? 0;
        total += n;
        if (n > 0) types++;
      }
      if (total === 0) break;
      const n = table.get(key([...h, next])) ?? 0;
      p = (Math.max(n - D, 0) + D * types * p) / total;
    }
    return p;
  };
}

const rng = new Generator(3);
// A text with structure: a random walk over 6 symbols that mostly steps by +1.
const train = [0];
for (let i = 0; i < 400; i++) {
  train.push(rng.random() < 0.7 ? (train.at(-1)! + 1) % 6 : rng.randint(0, 6));
}
const heldOut = [2];
for (let i = 0; i < 60; i++) heldOut.push(rng.randint(0, 6));

Deno.test("KneserNey.probabilities() matches a slow string-keyed implementation", () => {
  const model = new KneserNey(train, 6, 4);
  for (const order of [1, 2, 3, 4]) {
    for (const D of [0.5, 0.9]) {
      const slow = slowKneserNey(train, 6, order, D);
      const fast = model.probabilities(heldOut, order, D);
      for (let i = 1; i < heldOut.length; i++) {
        const expected = slow(heldOut.slice(0, i), heldOut[i]!);
        assert(
          Math.abs(fast[i - 1]! - expected) < 1e-12,
          `order ${order}, D ${D}, position ${i}: ${fast[i - 1]} vs ${expected}`,
        );
      }
    }
  }
});

Deno.test("KneserNey probabilities sum to 1 over the vocabulary after any context", () => {
  const V = 7; // token 6 never occurs in training
  const model = new KneserNey(train, V, 3);
  for (const context of [[0, 1], [5, 5], [6, 6], [3]]) {
    for (const order of [1, 2, 3]) {
      let total = 0;
      for (let c = 0; c < V; c++) {
        total += model.probabilities([...context, c], order, 0.75).at(-1)!;
      }
      assert(Math.abs(total - 1) < 1e-12, `context ${context}, order ${order}: sums to ${total}`);
    }
  }
});

Deno.test("KneserNey rejects tokens outside the vocabulary, bad orders and bad discounts", () => {
  assertThrows(() => new KneserNey([0, 5], 5, 2), RangeError, "token 5 at 1 is outside [0, 5)");
  const model = new KneserNey([0, 1, 2], 3, 2);
  assertThrows(() => model.probabilities([0, 1], 3, 0.5), RangeError, "order must be");
  assertThrows(() => model.probabilities([0, 1], 2, 0), RangeError, "discount must be in (0, 1]");
});
