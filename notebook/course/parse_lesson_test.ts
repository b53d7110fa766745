import {
  deepEqual as assertEquals,
  ok as assert,
  throws as assertThrows,
} from "node:assert/strict";
import { join } from "node:path";
import { loadCourse, parseLesson, parseLessonFile, toPublicLesson } from "./parse_lesson.ts";
import { LessonError } from "./types.ts";

const TESTDATA = new URL("./testdata/", import.meta.url).pathname;
const FRONT = "---\ntitle: T\nsummary: S\nobjectives: [a]\nminutes: 5\norder: 1\n---\n";

/** Replaces each KaTeX span with `<katex>TEX</katex>`, so goldens survive KaTeX upgrades. */
function normalizeKatex(html: string): string {
  let out = html;
  for (;;) {
    const start = out.indexOf('<span class="katex">');
    if (start === -1) return out;
    let depth = 0;
    let i = start;
    const tag = /<span\b|<\/span>/g;
    tag.lastIndex = start;
    for (let m = tag.exec(out); m !== null; m = tag.exec(out)) {
      depth += m[0] === "</span>" ? -1 : 1;
      if (depth === 0) {
        i = m.index + "</span>".length;
        break;
      }
    }
    const tex = /<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/
      .exec(out.slice(start, i))?.[1];
    out = out.slice(0, start) + `<katex>${tex}</katex>` + out.slice(i);
  }
}

/** Asserts that parsing `body` (after valid front matter) fails at `line` with `message`. */
function assertLessonError(source: string, line: number, message: RegExp) {
  assertThrows(() => parseLesson(source, "lessons/x.md"), (error: unknown) => {
    assert(error instanceof LessonError, `expected a LessonError, got ${error}`);
    assertEquals(error.file, "lessons/x.md");
    assert(message.test(error.message), `"${error.message}" does not match ${message}`);
    assertEquals(error.line, line, error.message);
    return true;
  });
}

for (const name of ["cells", "exercise"]) {
  Deno.test(`parseLesson() matches the golden output for testdata/${name}.md`, async () => {
    const lesson = await parseLessonFile(join(TESTDATA, `${name}.md`));
    const actual = JSON.parse(
      JSON.stringify(
        { ...lesson, file: `${name}.md` },
        (_key, value) =>
          typeof value === "string" && value.includes('<span class="katex">')
            ? normalizeKatex(value)
            : value,
      ),
    );
    const goldenPath = join(TESTDATA, `${name}.json`);
    if (Deno.env.get("UPDATE_GOLDEN") === "1") {
      await Deno.writeTextFile(goldenPath, JSON.stringify(actual, null, 2) + "\n");
    }
    assertEquals(actual, JSON.parse(await Deno.readTextFile(goldenPath)));
  });
}

Deno.test("parseLesson() numbers code cells c1, c2, ... and keeps displayed fences in prose", () => {
  const lesson = parseLesson(
    FRONT + "```ts\na\n```\n```sh\nls\n```\n```ts hidden\nb\n```\n```ts norun\nc\n```\n",
    "lessons/x.md",
  );
  const cells = lesson.blocks.filter((b) => b.kind === "code");
  assertEquals(cells.map((c) => [c.id, c.hidden, c.runnable, c.line]), [
    ["c1", false, true, 8],
    ["c2", true, true, 14],
    ["c3", false, false, 17],
  ]);
  assert(lesson.blocks.some((b) => b.kind === "markdown" && b.html.includes("language-sh")));
});

Deno.test("parseLesson() reports an unclosed fence with its line", () => {
  assertLessonError(FRONT + "text\n\n```ts\nconst x = 1;\n", 10, /never closed/);
});

Deno.test("parseLesson() reports unknown fence options with their line", () => {
  assertLessonError(FRONT + "```ts hiden\nx\n```\n", 8, /unknown fence option "hiden"/);
  assertLessonError(FRONT + "\n```md prompt\nx\n```\n", 9, /unknown fence option "prompt"/);
  assertLessonError(FRONT + "```ts id=a\nx\n```\n", 8, /only "ts exercise"/);
  assertLessonError(FRONT + "```ts hidden norun\nx\n```\n", 8, /both "hidden" and "norun"/);
});

Deno.test("parseLesson() reports missing, unknown and mistyped front matter keys with lines", () => {
  assertLessonError("# no front matter\n", 1, /must start with YAML front matter/);
  assertLessonError("---\ntitle: T\n", 1, /never closed/);
  assertLessonError(FRONT.replace("minutes: 5\n", ""), 6, /no "minutes" key/);
  assertLessonError(FRONT.replace("minutes: 5", "minutes: five"), 5, /"minutes" must be a number/);
  assertLessonError(FRONT.replace("objectives: [a]", "objectives: a"), 4, /list of strings/);
  assertLessonError(
    FRONT.replace("order: 1", "order: 1\nauthor: me"),
    7,
    /unknown front matter key/,
  );
  assertLessonError(FRONT.replace("title: T", "title: T: x"), 2, /invalid YAML/);
});

Deno.test("parseLesson() reports a broken formula with the formula's line", () => {
  assertLessonError(FRONT + "# Math\n\nfine $x$\nbroken $\\frac{1}{$ here\n", 11, /\\frac\{1\}\{/);
  assertLessonError(FRONT + "$$\n\\sqrt{\n$$\n", 8, /cannot render the formula/);
});

const EXERCISE = [
  "## Exercise: add one",
  "",
  "Write `addOne`.",
  "",
  "```ts exercise id=add-one points=2",
  "function addOne(x: number) { return x; }",
  "```",
  "```ts tests",
  'check("1 + 1", () => expectClose(addOne(1), 2));',
  "```",
  "```md hint",
  "Add $1$.",
  "```",
  "```ts solution",
  "function addOne(x: number) { return x + 1; }",
  "```",
  "",
].join("\n");

Deno.test("parseLesson() reads an exercise with its prompt, title, hints and part lines", () => {
  const lesson = parseLesson(FRONT + EXERCISE, "lessons/x.md");
  const exercise = lesson.blocks.find((b) => b.kind === "exercise");
  assert(exercise?.kind === "exercise");
  assertEquals(exercise.title, "Add one");
  assertEquals(exercise.points, 2);
  assertEquals(exercise.promptHtml, "<p>Write <code>addOne</code>.</p>\n");
  assertEquals(exercise.partLines, { starter: 13, tests: 16, solution: 22, hints: [19] });
  assertEquals(exercise.hintsHtml.length, 1);
  assertEquals(
    lesson.blocks[0]?.kind === "markdown" && lesson.blocks[0].html,
    "<h2>Exercise: add one</h2>\n",
  );
});

Deno.test("parseLesson() reports malformed exercises with their lines", () => {
  assertLessonError(
    FRONT + EXERCISE.replace("points=2", "points=0"),
    12,
    /points=<a number above 0>/,
  );
  assertLessonError(
    FRONT + EXERCISE.replace("points=2", "points=2 level=3"),
    12,
    /unknown exercise option "level"/,
  );
  assertLessonError(FRONT + EXERCISE.replace("id=add-one ", ""), 12, /needs id=/);
  assertLessonError(
    FRONT + EXERCISE.replace("```ts solution", "```ts solutoin"),
    21,
    /unknown fence option "solutoin"/,
  );
  assertLessonError(
    FRONT +
      EXERCISE.replace("```ts solution\nfunction addOne(x: number) { return x + 1; }\n```\n", ""),
    12,
    /no ts solution fence/,
  );
  assertLessonError(
    FRONT + EXERCISE.replace("```ts tests\n", "Some prose.\n```ts tests\n"),
    12,
    /no ts tests fence/,
  );
  assertLessonError(FRONT + EXERCISE + "```ts solution\nx\n```\n", 24, /more than one ts solution/);
  assertLessonError(FRONT + EXERCISE.replace("Write `addOne`.", ""), 12, /has no prompt/);
  assertLessonError(
    FRONT + "Prose.\n\n```ts tests\nx\n```\n",
    10,
    /must follow a "ts exercise" fence/,
  );
});

Deno.test("toPublicLesson() strips hidden tests, solutions and hint text", () => {
  const lesson = parseLesson(FRONT + EXERCISE, "lessons/x.md");
  const shown = JSON.stringify(toPublicLesson(lesson));
  assert(!shown.includes("expectClose(addOne(1), 2)"), "hidden tests leaked");
  assert(!shown.includes("return x + 1"), "solution leaked");
  assert(!shown.includes("Add <span"), "hint text leaked");
  assert(!shown.includes("lessons/x.md"), "server path leaked");
  assert(shown.includes('"hintCount":1'));
  assert(shown.includes("return x; }"), "starter missing");
});

Deno.test("loadCourse() sorts by order, reports bad lessons and duplicate ids, and loads the rest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "README.md"), "not a lesson");
    await Deno.writeTextFile(join(dir, "b.md"), FRONT + EXERCISE);
    await Deno.writeTextFile(join(dir, "a.md"), FRONT.replace("order: 1", "order: 2") + EXERCISE);
    await Deno.writeTextFile(join(dir, "c.md"), FRONT.replace("order: 1", "order: 0"));
    await Deno.writeTextFile(join(dir, "d.md"), FRONT + "```ts\nunclosed\n");
    const { lessons, errors } = await loadCourse(dir);
    assertEquals(lessons.map((l) => l.slug), ["c", "b", "a"]);
    assertEquals(errors.map((e) => [e.file.split("/").pop(), e.line]), [["d.md", 8], ["a.md", 12]]);
    assert(/already used at .*b\.md:12/.test(errors[1]!.message), errors[1]!.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the lessons folder loads without errors", async () => {
  const { lessons, errors } = await loadCourse(new URL("../../lessons", import.meta.url).pathname);
  assertEquals(errors.map(String), []);
  assert(lessons.some((l) => l.slug === "00-tour"));
});

Deno.test("the complete example in lessons/README.md parses as an exercise", async () => {
  const readme = await Deno.readTextFile(new URL("../../lessons/README.md", import.meta.url));
  const example = /````markdown\n([\s\S]*?)\n````/.exec(readme)?.[1];
  assert(example !== undefined, "the README has no ````markdown example");
  const lesson = parseLesson(FRONT + example, "lessons/README.md");
  const exercise = lesson.blocks.find((b) => b.kind === "exercise");
  assert(exercise?.kind === "exercise");
  assertEquals([exercise.id, exercise.title, exercise.points], ["adam-step", "One Adam step", 3]);
  assertEquals(exercise.hintsHtml.length, 1);
});
