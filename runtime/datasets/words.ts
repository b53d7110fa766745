/**
 * Word-level tokens for language models and classifiers: {@link tokeniseWords} splits text into
 * lower-case words, and {@link buildVocabulary} keeps the frequent ones and maps every other
 * word to one unknown token, `<unk>`.
 *
 * @module
 */

/** The token that stands for every word outside the vocabulary; always index 0. */
export const UNKNOWN_WORD = "<unk>";

/**
 * Splits text into lower-case words: runs of the letters a–z, with inner apostrophes kept
 * (`don't`, `whale's`). Curly apostrophes count as straight ones; digits, punctuation and every
 * other character separate words and are dropped.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { tokeniseWords } from "./words.ts";
 * assertEquals(tokeniseWords("Call me Ishmael. Don’t—ask 1851!"), [
 *   "call", "me", "ishmael", "don't", "ask",
 * ]);
 * ```
 */
export function tokeniseWords(text: string): string[] {
  return text.toLowerCase().replace(/[’‘]/g, "'").match(/[a-z]+(?:'[a-z]+)*/g) ?? [];
}

/** A word vocabulary: `words[i]` is the word with index `i`; index 0 is {@link UNKNOWN_WORD}. */
export interface Vocabulary {
  words: string[];
  index: Map<string, number>;
  /** Token indices of `tokens`, every word outside the vocabulary mapped to 0 (`<unk>`). */
  encode(tokens: readonly string[]): Int32Array;
}

/**
 * Builds a vocabulary from training tokens: the words seen at least `minCount` times, most
 * frequent first (ties in alphabetical order), after `<unk>` at index 0.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { buildVocabulary } from "./words.ts";
 * const vocabulary = buildVocabulary(["a", "b", "a", "c", "b", "a"], { minCount: 2 });
 * assertEquals(vocabulary.words, ["<unk>", "a", "b"]);
 * assertEquals([...vocabulary.encode(["b", "c", "a"])], [2, 0, 1]);
 * ```
 */
export function buildVocabulary(
  tokens: readonly string[],
  options: { minCount?: number } = {},
): Vocabulary {
  const minCount = options.minCount ?? 1;
  if (!(minCount >= 1)) {
    throw new RangeError(`buildVocabulary: minCount must be at least 1, got ${minCount}`);
  }
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  if (counts.has(UNKNOWN_WORD)) {
    throw new RangeError(`buildVocabulary: the tokens already contain ${UNKNOWN_WORD}`);
  }
  const kept = [...counts].filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  const words = [UNKNOWN_WORD, ...kept];
  const index = new Map(words.map((w, i) => [w, i]));
  return {
    words,
    index,
    encode: (list) => Int32Array.from(list, (w) => index.get(w) ?? 0),
  };
}
