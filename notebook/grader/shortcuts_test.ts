/**
 * "No shortcuts" (issue #23): an answer that calls the gradbook function an exercise asks the
 * learner to write scores 0 with a message naming it, and `autodiff=required` zeroes a gradient
 * written by hand. These grade in real kernels.
 */
import { equal, match, ok } from "node:assert/strict";
import { parseLesson } from "../course/parse_lesson.ts";
import { gradeExercise } from "./grade.ts";

const LESSON = `---
title: Shortcuts
summary: Exercises that withhold gradbook functions.
objectives: [grade]
minutes: 1
order: 1
---

\`\`\`ts hidden
import { affineGrid, tensor } from "gradbook";
const identity = affineGrid(tensor([[[1, 0, 0], [0, 1, 0]]]), [1, 1, 1, 2]).toArray();
\`\`\`

## Exercise: softmax of a row

Write \`rowSoftmax(xs)\`.

\`\`\`ts exercise id=row-softmax points=2 withhold=softmax,nn.functional.softmax
function rowSoftmax(xs: number[]): number[] {
  return xs.map(() => 0);
}
\`\`\`

\`\`\`ts tests
import { check, expectClose } from "gradbook/testing";
check("sums to one", () => expectClose(rowSoftmax([1, 2, 3]).reduce((a, b) => a + b), 1));
check("equal inputs give equal weights", () => expectClose(rowSoftmax([4, 4]), [0.5, 0.5]));
\`\`\`

\`\`\`ts solution
function rowSoftmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
\`\`\`

## Exercise: a gradient by autodiff

Write \`gradOfSquare(values)\` by autodiff.

\`\`\`ts exercise id=square-grad points=2 autodiff=required withhold=affineGrid
function gradOfSquare(values: number[]): number[] {
  return values.map(() => 0);
}
\`\`\`

\`\`\`ts tests
import { check, expectClose } from "gradbook/testing";
check("the gradient of the sum of squares", () => expectClose(gradOfSquare([1, -2]), [2, -4]));
\`\`\`

\`\`\`ts solution
import { tensor } from "gradbook";
function gradOfSquare(values: number[]): number[] {
  const x = tensor(values, { requiresGrad: true });
  x.mul(x).sum().backward();
  return x.grad!.toArray() as number[];
}
\`\`\`
`;
const lesson = parseLesson(LESSON, "lessons/shortcuts.md");
const opts = { cellTimeoutMs: 60_000 };

Deno.test("the parser reads withhold= and autodiff=required", () => {
  const [a, b] = lesson.blocks.filter((x) => x.kind === "exercise");
  ok(a?.kind === "exercise" && b?.kind === "exercise");
  equal(a.withhold?.join(), "softmax,nn.functional.softmax");
  equal(a.autodiff, undefined);
  equal(b.withhold?.join(), "affineGrid");
  equal(b.autodiff, true);
});

Deno.test("an answer written from simpler operations scores full marks", async () => {
  const ex = lesson.blocks.find((x) => x.kind === "exercise" && x.id === "row-softmax");
  ok(ex?.kind === "exercise");
  const result = await gradeExercise(lesson, "row-softmax", ex.solution, opts);
  equal(result.status, "graded", result.message);
  equal(result.score, 2);
});

Deno.test("calling gradbook's softmax (under any of its names) scores 0 and says why", async () => {
  for (
    const answer of [
      `import { softmax, tensor } from "gradbook";
function rowSoftmax(xs: number[]): number[] { return softmax(tensor(xs)).toArray() as number[]; }`,
      // nn.F is nn.functional: a withheld function is wrapped under every name it has.
      `import * as gb from "gradbook";
const f = gb.nn.F.softmax;
function rowSoftmax(xs: number[]): number[] { return f(gb.tensor(xs)).toArray() as number[]; }`,
    ]
  ) {
    const result = await gradeExercise(lesson, "row-softmax", answer, opts);
    equal(result.status, "graded", result.message);
    equal(result.score, 0);
    match(result.message, /asks you to write this yourself; your answer called gradbook's `/);
    ok(result.checks.length === 2 && result.checks.every((c) => !c.passed));
    for (const c of result.checks) {
      match(c.message, /called gradbook's `(nn\.functional\.)?softmax`/);
    }
  }
});

Deno.test("the setup may call a withheld function; the answer may not", async () => {
  const honest = `import { tensor } from "gradbook";
function gradOfSquare(values: number[]): number[] {
  const x = tensor(values, { requiresGrad: true });
  x.mul(x).sum().backward();
  return (x.grad!.toArray() as number[]).map((g, i) => g + 0 * (identity[0][0][i]?.[0] ?? 0));
}`;
  const ok1 = await gradeExercise(lesson, "square-grad", honest, opts);
  equal(ok1.score, 2, ok1.message);
});

Deno.test("autodiff=required: a gradient written by hand scores 0 and says why", async () => {
  const byHand =
    `function gradOfSquare(values: number[]): number[] { return values.map((v) => 2 * v); }`;
  const result = await gradeExercise(lesson, "square-grad", byHand, opts);
  equal(result.status, "graded", result.message);
  equal(result.score, 0);
  match(result.message, /never called backward\(\)/);
});

Deno.test("withhold= names are validated with the lesson's line", () => {
  const bad = LESSON.replace("withhold=softmax,", "withhold=gradbook.softmax,");
  let message = "";
  try {
    parseLesson(bad, "lessons/shortcuts.md");
  } catch (error) {
    message = (error as Error).message;
  }
  match(message, /^lessons\/shortcuts\.md:\d+: withhold= takes gradbook names/);
  const bad2 = LESSON.replace("autodiff=required", "autodiff=yes");
  try {
    parseLesson(bad2, "lessons/shortcuts.md");
  } catch (error) {
    message = (error as Error).message;
  }
  match(message, /^lessons\/shortcuts\.md:\d+: autodiff= takes only "required"/);
});

Deno.test("a withheld name that gradbook does not have is a lesson error", async () => {
  const typo = parseLesson(LESSON.replace("withhold=softmax,", "withhold=sofmax,"), "l.md");
  const ex = typo.blocks.find((x) => x.kind === "exercise" && x.id === "row-softmax");
  ok(ex?.kind === "exercise");
  const result = await gradeExercise(typo, "row-softmax", ex.solution, opts);
  equal(result.status, "setup-error");
  match(result.message, /withhold= option at l\.md:\d+ failed .*no function "sofmax"/);
});

// The course's own exercises: the shortcuts issue #23 measured at full marks now score 0.
const SHORTCUTS: [string, string, string, RegExp][] = [
  [
    "lessons/03-spatial-transformers.md",
    "stn-grid-generator",
    `import { affineGrid, tensor } from "gradbook";
function gridFor(theta: number[][], height: number, width: number): number[][][] {
  return (affineGrid(tensor([theta]), [1, 1, height, width]).toArray() as number[][][][])[0]!;
}`,
    /called gradbook's `affineGrid`/,
  ],
  [
    "lessons/06-neuroscience.md",
    "neuro-attention-weights",
    `import { neuro, tensor } from "gradbook";
function attentionWeights(queries: number[][], keys: number[][]): number[][] {
  const k = tensor(keys);
  return neuro.scaledDotProductAttention(tensor(queries), k, k).weights.toArray() as number[][];
}`,
    /called gradbook's `neuro\.scaledDotProductAttention`/,
  ],
  [
    "lessons/00-tour.md",
    "tour-quadratic-grad",
    `function gradOfQuadratic(values: number[]): number[] {
  return values.map((v) => 2 * v + 1);
}`,
    /never called backward\(\)/,
  ],
];
for (const [file, id, answer, why] of SHORTCUTS) {
  Deno.test(`${id}: the shortcut answer scores 0 with the reason`, async () => {
    const { parseLessonFile } = await import("../course/parse_lesson.ts");
    const course = await parseLessonFile(file);
    const result = await gradeExercise(course, id, answer, opts);
    equal(result.status, "graded", result.message);
    ok(result.checks.length > 0);
    equal(result.score, 0, result.message);
    match(result.message, why);
    for (const c of result.checks) match(c.message, why);
  });
}
