/**
 * Interpolated Kneser-Ney n-gram language models over integer tokens (words, characters).
 *
 * @module
 */

/** Per order m: counts and context statistics of the m-grams seen in training. */
interface OrderTable {
  /** (id of the (m−1)-gram prefix) · V + last token → id of the m-gram. */
  ids: Map<number, number>;
  /** Occurrences of each m-gram. */
  occurrences: number[];
  /** Distinct tokens seen right before each m-gram (its continuation count). */
  continuations: number[];
}

/** Per context h (an (m−1)-gram id): the totals the estimator divides by. */
interface ContextTable {
  occurrenceTotal: number[];
  occurrenceTypes: number[];
  continuationTotal: number[];
  continuationTypes: number[];
}

/**
 * An interpolated Kneser-Ney language model (Kneser & Ney, 1995; the interpolated form of Chen &
 * Goodman, 1999, §3) counted once from training tokens up to `maxOrder`, then queried at any
 * order up to it and any discount $D$:
 *
 * $$P(c \mid h) = \frac{\max(N(h\,c) - D, 0)}{N(h\,\cdot)} + \frac{D\,T(h)}{N(h\,\cdot)}\,P(c \mid h')$$
 *
 * where $h'$ drops the oldest token of $h$, $N$ counts occurrences at the highest order and
 * continuation counts (distinct preceding tokens) below it, $T(h)$ is the number of distinct
 * tokens seen after $h$, and the recursion ends in the uniform distribution $1/V$. A context
 * never seen in training keeps the lower-order estimate.
 *
 * Each m-gram gets a dense id from its prefix's id and its last token, so the keys stay below
 * $2^{53}$ while (distinct (m−1)-grams) · V does: fine for a few million word tokens.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { KneserNey } from "./kneser_ney.ts";
 * const model = new KneserNey([0, 1, 2, 0, 1, 2, 0, 1, 3], 4, 3);
 * // After "0 1", training saw "2" twice and "3" once.
 * const [p2] = model.probabilities([0, 1, 2], 3, 0.75).slice(-1);
 * const [p3] = model.probabilities([0, 1, 3], 3, 0.75).slice(-1);
 * assert(p2! > p3! && p3! > 0);
 * ```
 */
export class KneserNey {
  /** Number of token types V: every token id is in [0, V). */
  readonly vocabSize: number;
  /** The highest order counted: {@linkcode KneserNey.probabilities} accepts orders up to it. */
  readonly maxOrder: number;
  /** orders[m] for m = 1..maxOrder; contexts[m] for contexts of m tokens, m = 0..maxOrder−1. */
  #orders: OrderTable[] = [];
  #contexts: ContextTable[] = [];

  /**
   * Counts every m-gram of `tokens` for m = 1..`maxOrder`.
   * @param tokens Training token ids, each in [0, vocabSize).
   */
  constructor(tokens: ArrayLike<number>, vocabSize: number, maxOrder: number) {
    if (!Number.isInteger(maxOrder) || maxOrder < 1) {
      throw new RangeError(`KneserNey: maxOrder must be a positive integer, got ${maxOrder}`);
    }
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!Number.isInteger(t) || t < 0 || t >= vocabSize) {
        throw new RangeError(`KneserNey: token ${t} at ${i} is outside [0, ${vocabSize})`);
      }
    }
    this.vocabSize = vocabSize;
    this.maxOrder = maxOrder;
    const n = tokens.length;
    // at[m][i]: id of the m-gram ending at position i (−1 before it can start).
    const at: Int32Array[] = [];
    const suffixes: number[][] = []; // suffixes[m][g]: id of the (m−1)-gram ending g
    for (let m = 1; m <= maxOrder; m++) {
      const table: OrderTable = { ids: new Map(), occurrences: [], continuations: [] };
      const ids = new Int32Array(n).fill(-1);
      const suffix: number[] = [];
      for (let i = m - 1; i < n; i++) {
        const prefix = m === 1 ? 0 : at[m - 1]![i - 1]!;
        const key = prefix * vocabSize + tokens[i]!;
        let id = table.ids.get(key);
        if (id === undefined) {
          id = table.occurrences.length;
          table.ids.set(key, id);
          table.occurrences.push(0);
          table.continuations.push(0);
          if (m > 1) suffix.push(at[m - 1]![i]!);
        }
        table.occurrences[id]!++;
        ids[i] = id;
      }
      at[m] = ids;
      suffixes[m] = suffix;
      this.#orders[m] = table;
    }
    // The continuation count of an m-gram: how many distinct (m+1)-grams end with it.
    for (let m = 2; m <= maxOrder; m++) {
      for (const s of suffixes[m]!) this.#orders[m - 1]!.continuations[s]!++;
    }
    for (let m = 1; m <= maxOrder; m++) {
      const size = m === 1 ? 1 : this.#orders[m - 1]!.occurrences.length;
      const context: ContextTable = {
        occurrenceTotal: new Array(size).fill(0),
        occurrenceTypes: new Array(size).fill(0),
        continuationTotal: new Array(size).fill(0),
        continuationTypes: new Array(size).fill(0),
      };
      const table = this.#orders[m]!;
      for (const [key, id] of table.ids) {
        const h = Math.floor(key / vocabSize);
        context.occurrenceTotal[h]! += table.occurrences[id]!;
        context.occurrenceTypes[h]!++;
        const c = table.continuations[id]!;
        if (c > 0) {
          context.continuationTotal[h]! += c;
          context.continuationTypes[h]!++;
        }
      }
      this.#contexts[m - 1] = context;
    }
  }

  /**
   * The probability of every token of `tokens` after the first, each given the tokens before it
   * (at most `order` − 1 of them).
   * @returns Length `tokens.length − 1`.
   */
  probabilities(tokens: ArrayLike<number>, order: number, discount: number): Float64Array {
    if (!Number.isInteger(order) || order < 1 || order > this.maxOrder) {
      throw new RangeError(
        `KneserNey.probabilities: order must be an integer in [1, ${this.maxOrder}], got ${order}`,
      );
    }
    if (!(discount > 0 && discount <= 1)) {
      throw new RangeError(
        `KneserNey.probabilities: discount must be in (0, 1], got ${discount}`,
      );
    }
    const V = this.vocabSize;
    const n = tokens.length;
    // at[m][i]: training id of the m-gram ending at i, or −1 if training never saw it.
    const at: Int32Array[] = [];
    for (let m = 1; m <= order; m++) {
      const ids = new Int32Array(n).fill(-1);
      const table = this.#orders[m]!;
      for (let i = m - 1; i < n; i++) {
        const prefix = m === 1 ? 0 : at[m - 1]![i - 1]!;
        if (prefix >= 0) ids[i] = table.ids.get(prefix * V + tokens[i]!) ?? -1;
      }
      at[m] = ids;
    }
    const probs = new Float64Array(Math.max(n - 1, 0));
    for (let i = 1; i < n; i++) {
      let p = 1 / V;
      for (let m = 1; m <= order && m <= i + 1; m++) {
        const h = m === 1 ? 0 : at[m - 1]![i - 1]!;
        if (h < 0) break; // unseen context: keep the lower-order estimate
        const highest = m === order;
        const context = this.#contexts[m - 1]!;
        const total = highest ? context.occurrenceTotal[h]! : context.continuationTotal[h]!;
        if (total === 0) break;
        const types = highest ? context.occurrenceTypes[h]! : context.continuationTypes[h]!;
        const g = at[m]![i]!;
        const table = this.#orders[m]!;
        const count = g < 0 ? 0 : highest ? table.occurrences[g]! : table.continuations[g]!;
        p = (Math.max(count - discount, 0) + discount * types * p) / total;
      }
      probs[i - 1] = p;
    }
    return probs;
  }
}
