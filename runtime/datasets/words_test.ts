import { assertEquals, assertThrows } from "../testing/assert.ts";
import { buildVocabulary, tokeniseWords, UNKNOWN_WORD } from "./words.ts";

Deno.test("tokeniseWords() keeps inner apostrophes, straightens curly ones, drops the rest", () => {
  assertEquals(tokeniseWords("The whale’s JAW—'twas 3 feet; rock-hard!"), [
    "the",
    "whale's",
    "jaw",
    "twas",
    "feet",
    "rock",
    "hard",
  ]);
  assertEquals(tokeniseWords("1851 -- ..."), []);
});

Deno.test("buildVocabulary() orders by count, then alphabetically, after <unk>", () => {
  const v = buildVocabulary(["b", "a", "c", "b", "a", "d"], { minCount: 1 });
  assertEquals(v.words, [UNKNOWN_WORD, "a", "b", "c", "d"]);
  assertEquals([...v.encode(["d", "zzz"])], [4, 0]);
});

Deno.test("buildVocabulary() refuses a bad minCount and tokens that collide with <unk>", () => {
  assertThrows(() => buildVocabulary(["a"], { minCount: 0 }), RangeError, "minCount");
  assertThrows(() => buildVocabulary([UNKNOWN_WORD]), RangeError, "already contain");
});
