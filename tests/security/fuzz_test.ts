/**
 * Property tests (fast-check) of what the server reads from outside: lesson Markdown (random and
 * mutated real lessons) and lesson-socket messages (random JSON and mutated valid messages).
 * Neither may crash: the parser returns a lesson or throws a `LessonError` naming a line; the
 * decoder returns a message of a known shape or a clear error sentence.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { parseLesson, toPublicLesson } from "../../notebook/course/parse_lesson.ts";
import { LessonError } from "../../notebook/course/types.ts";
import { decodeClientMessage } from "../../web/server/socket_messages.ts";
import { SocketClient, startCourseServer, withTempDir, writeCourse } from "./support.ts";

const LESSONS_DIR = new URL("../../lessons/", import.meta.url);
const RUNS = 300;

/** A few real lessons (the smallest ones, to keep the property fast). */
async function realLessons(count = 3): Promise<string[]> {
  const texts: string[] = [];
  for await (const entry of Deno.readDir(LESSONS_DIR)) {
    if (entry.isFile && entry.name.endsWith(".md") && entry.name !== "README.md") {
      texts.push(await Deno.readTextFile(new URL(entry.name, LESSONS_DIR)));
    }
  }
  return texts.sort((a, b) => a.length - b.length).slice(0, count);
}

/** Pieces of lesson syntax that mutations insert. */
const TOKENS = [
  "```",
  "```ts",
  "```ts hidden",
  "```ts norun",
  "```ts exercise id=x points=2",
  "```ts exercise",
  "```ts checks",
  "```ts tests",
  "```ts solution",
  "```md hint",
  "````",
  "---",
  "title: ",
  "order: x",
  "minutes: -1",
  "objectives: [",
  "$$",
  "$",
  "\\begin{aligned}",
  "## Exercise: ",
  "\r",
  "\u0000",
  "\uFEFF",
  "\n",
  "\n\n",
];

/** A mutation of a text: delete a range, insert a token or random text, duplicate, truncate. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.nat(400) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 20 })),
  }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.nat(400) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, mutations: Mutation[]): string {
  for (const m of mutations) {
    const at = text.length === 0 ? 0 : m.at % (text.length + 1);
    if (m.kind === "delete") text = text.slice(0, at) + text.slice(at + m.length);
    else if (m.kind === "insert") text = text.slice(0, at) + m.text + text.slice(at);
    else if (m.kind === "duplicate") text = text.slice(0, at + m.length) + text.slice(at);
    else text = text.slice(0, at);
  }
  return text;
}

/** Parses and checks the outcome: a lesson, or a LessonError with a line in the file. */
function parsesOrExplains(text: string): void {
  const lineCount = text.split(/\r\n?|\n/).length;
  try {
    const lesson = parseLesson(text, "lessons/01-fuzz.md");
    toPublicLesson(lesson);
  } catch (error) {
    if (!(error instanceof LessonError)) {
      throw new Error(`parseLesson threw ${String(error)} instead of a LessonError`);
    }
    assert.ok(error.line >= 1 && error.line <= lineCount + 1, `line ${error.line} of ${lineCount}`);
    assert.match(error.message, /^lessons\/01-fuzz\.md:\d+: \S/);
  }
}

Deno.test("parseLesson() returns a lesson or a LessonError with its line for any text", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 2000, unit: "grapheme" }), parsesOrExplains),
    { numRuns: RUNS },
  );
  const pieces = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 12 })), {
    maxLength: 60,
  });
  fc.assert(
    fc.property(pieces, (parts) => parsesOrExplains(parts.join("\n"))),
    { numRuns: RUNS },
  );
});

Deno.test("parseLesson() returns a lesson or a LessonError for mutated real lessons", async () => {
  const lessons = await realLessons();
  assert.ok(lessons.length > 0, "the course has lessons to mutate");
  fc.assert(
    fc.property(
      fc.constantFrom(...lessons),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      (text, mutations) => parsesOrExplains(mutate(text, mutations)),
    ),
    { numRuns: RUNS },
  );
});

/** Checks a decoder outcome: a valid message of a known type, or a clear error sentence. */
function decodesOrExplains(data: unknown): void {
  const result = decodeClientMessage(data);
  if (!result.ok) {
    assert.match(result.error, /^[A-Z][^\n]{10,}$/, "a one-line sentence");
    assert.ok(result.error.length < 400, "short enough to show");
    return;
  }
  const message = result.message;
  assert.ok(["execute", "interrupt", "restart", "widget", "rerun"].includes(message.type));
  if (message.type === "execute") {
    assert.equal(typeof message.runId, "string");
    assert.equal(typeof message.cellId, "string");
    assert.equal(typeof message.code, "string");
  }
}

const VALID = [
  { type: "execute", runId: "r1", cellId: "c1", code: "1 + 1" },
  { type: "interrupt" },
  { type: "restart" },
];

Deno.test("decodeClientMessage() never throws on random text, JSON values or mutated messages", () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), decodesOrExplains), { numRuns: RUNS });
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => decodesOrExplains(JSON.stringify(value))),
    { numRuns: RUNS },
  );
  // Valid messages with fields replaced by arbitrary values, dropped, or added.
  fc.assert(
    fc.property(
      fc.constantFrom(...VALID),
      fc.dictionary(
        fc.constantFrom("type", "runId", "cellId", "code", "__proto__", "constructor", "x"),
        fc.oneof(fc.anything(), fc.constant(undefined)),
      ),
      (valid, changes) => {
        const message = { ...valid, ...changes };
        let text: string;
        try {
          text = JSON.stringify(message);
        } catch {
          return; // not representable as JSON (a BigInt): a page cannot send it either
        }
        decodesOrExplains(text);
      },
    ),
    { numRuns: RUNS },
  );
  // Valid message texts cut or spliced at any point, and non-text frames.
  fc.assert(
    fc.property(fc.constantFrom(...VALID), fc.nat(), fc.string({ maxLength: 5 }), (v, at, s) => {
      const text = JSON.stringify(v);
      const cut = at % (text.length + 1);
      decodesOrExplains(text.slice(0, cut) + s + text.slice(cut + 1));
    }),
    { numRuns: RUNS },
  );
  for (const data of [new ArrayBuffer(4), new Blob(["x"]), null, undefined, 42]) {
    decodesOrExplains(data);
  }
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
});

Deno.test("A live server answers a stream of fuzzed socket messages and broken lessons without crashing", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const lessons = await realLessons(1);
    const broken = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 6 }), {
      numRuns: 20,
      seed: 7,
    });
    for (const [i, mutations] of broken.entries()) {
      const text = mutate(lessons[0]!, mutations);
      await Deno.writeTextFile(join(root, "lessons", `${String(i + 10)}-broken.md`), text);
    }
    const server = await startCourseServer(root);
    const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`);
    try {
      assert.equal(await socket.opened, true);
      const index = await fetch(server.url);
      assert.equal(index.status, 200, "the index lists broken lessons instead of failing");
      await index.body?.cancel();
      const texts = fc.sample(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        ),
        { numRuns: 200, seed: 11 },
      );
      for (const text of texts) socket.send(text);
      socket.send({ type: "execute", runId: "after-fuzz", cellId: "c1", code: "alive" });
      const done = await socket.waitFor((m) => m.type === "done" && m.runId === "after-fuzz");
      assert.equal(done.type === "done" && done.status, "ok");
      const state = await fetch(`${server.url}api/lessons/01-a/state`);
      assert.equal(state.status, 200);
      await state.body?.cancel();
    } finally {
      await socket.close();
      await server.shutdown();
    }
  });
});
