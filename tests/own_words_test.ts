/**
 * The course must be written in our own words: no lesson may repeat a run of words from the
 * course outline in `../shared/seed/`. A shared run of 8 or more words (ignoring case,
 * punctuation and math) fails, naming the lesson and the words.
 */
import { assertEquals } from "../runtime/testing/assert.ts";

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

async function seedText(): Promise<string | null> {
  const dir = new URL("../../shared/seed/", import.meta.url);
  try {
    let text = "";
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".txt")) {
        text += await Deno.readTextFile(new URL(entry.name, dir)) + "\n";
      }
    }
    return text;
  } catch {
    return null;
  }
}

Deno.test("no lesson repeats a run of 8 words from the course outline", async (t) => {
  const seed = await seedText();
  if (seed === null) {
    console.warn("own_words_test: ../shared/seed is not here; nothing to compare against");
    return;
  }
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
