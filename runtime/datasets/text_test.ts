import { assert, assertEquals } from "../testing/assert.ts";
import {
  emailPlainText,
  loadFemaleFirstNames,
  loadMobyDick,
  loadSpamAssassin,
  MOBY_DICK_CHAPTERS,
} from "./text.ts";

Deno.test("loadMobyDick() reads the chapters asked for, in that order", async () => {
  const chapters = await loadMobyDick({ chapters: [2, 1] });
  assertEquals(chapters.map((c) => c.chapter), [2, 1]);
  assertEquals(chapters[1]!.title, "Loomings.");
  assert(chapters[1]!.text.startsWith("Call me Ishmael."), chapters[1]!.text.slice(0, 40));
  assert(chapters[0]!.text.length > 1000, `chapter 2 has ${chapters[0]!.text.length} characters`);
});

Deno.test("loadMobyDick() reads all 135 chapters by default", async () => {
  const chapters = await loadMobyDick();
  assertEquals(chapters.length, MOBY_DICK_CHAPTERS);
  const total = chapters.reduce((n, c) => n + c.text.length, 0);
  assert(total > 1_100_000 && total < 1_300_000, `the novel has ${total} characters`);
});

Deno.test("loadMobyDick() rejects a chapter that does not exist", async () => {
  const error = await loadMobyDick({ chapters: [136] }).catch((e) => e);
  assert(error instanceof RangeError, `expected a RangeError, got ${error}`);
  assert(error.message.includes("chapter 136 does not exist"), error.message);
});

Deno.test("loadFemaleFirstNames() reads 4951 capitalised names", async () => {
  const names = await loadFemaleFirstNames();
  assertEquals(names.length, 4951);
  assertEquals(names.slice(0, 2), ["Aaren", "Aarika"]);
  assert(names.every((n) => /^[A-Z]/.test(n)), "every name starts with a capital");
});

Deno.test("loadSpamAssassin() reads the first messages of each group with their labels", async () => {
  const mails = await loadSpamAssassin({ groups: ["easy-ham-1", "spam-1"], perGroup: 20 });
  assertEquals(mails.length, 40);
  assertEquals(mails.filter((m) => m.isSpam).map((m) => m.group)[0], "spam-1");
  assertEquals(mails.filter((m) => m.isSpam).length, 20);
  assertEquals(mails[0]!.id, "00001");
  const spam = mails.find((m) => m.group === "spam-1" && m.id === "00001")!;
  assertEquals(spam.subject, "Life Insurance - Why Pay More?");
  assert(!/<[a-z]+[ >]/i.test(spam.body), `HTML left in the body: ${spam.body.slice(0, 200)}`);
  assert(mails.every((m) => m.body.length > 0), "every message has a body");
});

Deno.test("loadSpamAssassin() rejects an unknown group", async () => {
  // deno-lint-ignore no-explicit-any
  const error = await loadSpamAssassin({ groups: ["spam-3" as any] }).catch((e) => e);
  assert(error instanceof RangeError, `expected a RangeError, got ${error}`);
  assert(error.message.includes('unknown group "spam-3"'), error.message);
});

Deno.test("emailPlainText() decodes quoted-printable and strips MIME parts and HTML", () => {
  const raw = [
    "From: someone@example.com",
    "Subject: Cheap =?offer?=",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    "--boundary42",
    "Content-Type: text/html; charset=3Dus-ascii",
    "<html><body><p>Caf=E9 &amp; more=",
    " text</p><style>p { color: red }</style></body></html>",
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=",
  ].join("\n");
  assertEquals(emailPlainText(raw), { subject: "Cheap =?offer?=", body: "Café & more text" });
});

Deno.test("emailPlainText() keeps a message without a body", () => {
  assertEquals(emailPlainText("Subject: only headers"), { subject: "only headers", body: "" });
});
