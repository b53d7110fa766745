/**
 * The course must be written in our own words: no lesson may repeat a run of words from the
 * course outline in `../shared/seed/`. A shared run of 8 or more words (ignoring case,
 * punctuation and math) fails, naming the lesson and the words.
 */
import { assertEquals } from "./assert.ts";

const RUN = 8;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, " ") // math
    .replace(/```[\s\S]*?```/g, " ") // code
    .replace(/[^a-z0-9']+/g, " ")
    .split(" ")
    .filter((w) => w.length > 0);
}

function runs(list: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + RUN <= list.length; i++) out.add(list.slice(i, i + RUN).join(" "));
  return out;
}

const SEED_DIR = new URL("../../shared/seed/", import.meta.url);

/**
 * The outline's text. Throws when the folder is missing or holds no outline: a test that
 * compares against nothing must fail, not pass.
 */
async function seedText(): Promise<string> {
  let text = "";
  try {
    for await (const entry of Deno.readDir(SEED_DIR)) {
      if (entry.isFile && entry.name.endsWith(".txt")) {
        text += await Deno.readTextFile(new URL(entry.name, SEED_DIR)) + "\n";
      }
    }
  } catch (error) {
    throw new Error(
      `own_words_test: cannot read the course outline in ${SEED_DIR.pathname} ` +
        `(${(error as Error).message}); the repository expects shared/ beside it`,
    );
  }
  if (words(text).length < RUN) {
    throw new Error(`own_words_test: ${SEED_DIR.pathname} holds no course outline (*.txt)`);
  }
  return text;
}

Deno.test("no lesson repeats a run of 8 words from the course outline", async (t) => {
  const seed = await seedText();
  const seedRuns = runs(words(seed));
  for await (const entry of Deno.readDir(new URL("../lessons/", import.meta.url))) {
    if (!entry.name.endsWith(".md")) continue;
    await t.step(entry.name, async () => {
      const text = await Deno.readTextFile(new URL(`../lessons/${entry.name}`, import.meta.url));
      const shared = [...runs(words(text))].filter((r) => seedRuns.has(r));
      assertEquals(shared, [], `${entry.name} repeats words of the outline`);
    });
  }
});
