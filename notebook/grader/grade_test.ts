import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { parseLesson } from "../course/parse_lesson.ts";
import type { KernelEvent } from "../kernel/protocol.ts";
import { gradeExercise, type GradingKernel } from "./grade.ts";
import { type CheckResult } from "../../runtime/testing/types.ts";
import { CHECKS_MIME } from "../../runtime/vocabulary.ts";

const LESSON = `---
title: Grading
summary: A lesson to grade.
objectives: [grade]
minutes: 1
order: 1
---

\`\`\`ts hidden
const scale = 2;
\`\`\`

\`\`\`ts norun
throw new Error("a norun cell must not run");
\`\`\`

## Exercise: scale it

Write \`scaled(x)\` returning \`scale * x\`.

\`\`\`ts exercise id=scale-it points=4
function scaled(x: number): number {
  return 0;
}
\`\`\`

\`\`\`ts checks
import { check, expectClose } from "gradbook/testing";
check("scaled(1) is 2", () => expectClose(scaled(1), 2));
\`\`\`

\`\`\`ts tests
import { check, expectClose } from "gradbook/testing";
check("scaled(3) is 6", () => expectClose(scaled(3), 6), { points: 2 });
check("scaled(-1) is -2", () => expectClose(scaled(-1), -2));
\`\`\`

\`\`\`ts solution
function scaled(x: number): number {
  return scale * x;
}
\`\`\`
`;
const lesson = parseLesson(LESSON, "lessons/grading.md");

type Reply = Extract<KernelEvent, { type: "reply" }>;

/** A scripted kernel: answers each cell by its id prefix and records what ran. */
function fakeKernel(
  answers: Record<string, { status?: Reply["status"]; checks?: CheckResult[]; error?: string }>,
) {
  const ran: string[] = [];
  let isShutDown = false;
  const kernel: GradingKernel = {
    start: () => Promise.resolve(),
    execute(cellId, _code, onEvent) {
      ran.push(cellId);
      const answer = answers[cellId.split(":")[0]!] ?? {};
      if (answer.checks) {
        const data = { [CHECKS_MIME]: { checks: answer.checks, earned: 0, total: 0 } };
        onEvent({ type: "display", id: "x", data });
      }
      if (answer.error) {
        onEvent({
          type: "error",
          id: "x",
          name: "TypeError",
          message: answer.error,
          stack: "",
          line: 2,
        });
      }
      const status = answer.status ?? "ok";
      return Promise.resolve({ type: "reply", id: "x", status, executionCount: 1, elapsedMs: 1 });
    },
    shutdown: () => {
      isShutDown = true;
      return Promise.resolve();
    },
  };
  return { kernel, ran, isShutDown: () => isShutDown };
}

const passed = (name: string, points = 1): CheckResult => ({
  name,
  passed: true,
  points,
  earned: points,
  message: "",
  elapsedMs: 0,
});
const failed = (name: string, points = 1): CheckResult => ({
  name,
  passed: false,
  points,
  earned: 0,
  message: "expected 6, got 0",
  elapsedMs: 0,
});

Deno.test("gradeExercise() runs setup cells, the answer, checks and tests in order, then scores", async () => {
  const fake = fakeKernel({
    checks: { checks: [passed("scaled(1) is 2")] },
    tests: { checks: [failed("scaled(3) is 6", 2), passed("scaled(-1) is -2")] },
  });
  const result = await gradeExercise(lesson, "scale-it", "function scaled(x) { return x + 1; }", {
    createKernel: () => fake.kernel,
  });
  // The setup cell runs in both realms: the answer's and the judge's.
  deepEqual(fake.ran, ["c1", "c1", "exercise:scale-it", "checks:scale-it", "tests:scale-it"]);
  ok(fake.isShutDown());
  equal(result.status, "graded");
  equal(result.score, 2); // 4 points x (1 + 1) / (1 + 2 + 1)
  equal(result.maxScore, 4);
  deepEqual(result.checks.map((c) => [c.name, c.passed, c.visible]), [
    ["scaled(1) is 2", true, true],
    ["scaled(3) is 6", false, false],
    ["scaled(-1) is -2", true, false],
  ]);
  equal(result.message, "2 of 3 checks passed: 2/4 points.");
});

Deno.test("gradeExercise() reports a syntax error without starting a kernel", async () => {
  const fake = fakeKernel({});
  const result = await gradeExercise(lesson, "scale-it", "function scaled(x {\n", {
    createKernel: () => fake.kernel,
  });
  equal(result.status, "syntax-error");
  equal(result.score, 0);
  deepEqual(fake.ran, []);
  match(result.message, /^Your code does not parse \(line 1\)/);
});

Deno.test("gradeExercise() tells a timeout, a crash, and a broken lesson apart", async () => {
  const grade = (answers: Parameters<typeof fakeKernel>[0]) =>
    gradeExercise(lesson, "scale-it", "1", {
      createKernel: () => fakeKernel(answers).kernel,
      cellTimeoutMs: 2000,
    });
  const timeout = await grade({ exercise: { status: "timeout" } });
  equal(timeout.status, "timeout");
  match(timeout.message, /did not finish within 2 s while your code ran/);
  const crash = await grade({ exercise: { status: "error", error: "boom" } });
  equal(crash.status, "crash");
  match(crash.message, /^Your code threw TypeError \(line 2\) while your code ran: boom/);
  const loopInTests = await grade({ tests: { status: "timeout" } });
  equal(loopInTests.status, "timeout");
  match(loopInTests.message, /while the tests ran/);
  const setup = await grade({ c1: { status: "error", error: "bad setup" } });
  equal(setup.status, "setup-error");
  match(setup.message, /lessons\/grading\.md:9 failed before your code ran/);
  const outside = await grade({ tests: { status: "error", error: "scaled is not defined" } });
  equal(outside.status, "tests-error");
  equal(outside.score, 0);
});

Deno.test("gradeExercise() rejects an unknown exercise id with the ids it has", async () => {
  await rejects(gradeExercise(lesson, "nope", ""), /has no exercise "nope" \(it has "scale-it"\)/);
});

// --- With the real kernel -------------------------------------------------------------------

const cellModules = await Deno.readTextFile(new URL("../kernel/cell_modules.ts", import.meta.url))
  .catch(() => "");
const kernelAllowsTesting = cellModules.includes('"gradbook/testing"');
const real = { cellTimeoutMs: 3000, memoryLimitMiB: 256 };

Deno.test("gradeExercise() in a real kernel reports a looping answer as a timeout", async () => {
  const result = await gradeExercise(lesson, "scale-it", "while (true) {}", {
    ...real,
    cellTimeoutMs: 1000,
  });
  equal(result.status, "timeout", result.message);
});

Deno.test("gradeExercise() in a real kernel reports a crashing answer as a crash with its line", async () => {
  const result = await gradeExercise(lesson, "scale-it", "const a = 1;\nnull!.boom();", real);
  equal(result.status, "crash", result.message);
  equal(result.error?.line, 2);
});

Deno.test({
  name: "gradeExercise() in a real kernel scores correct and partially correct answers",
  ignore: !kernelAllowsTesting,
  async fn() {
    const exercise = lesson.blocks.find((b) => b.kind === "exercise");
    ok(exercise?.kind === "exercise");
    const correct = await gradeExercise(lesson, "scale-it", exercise.solution, real);
    equal(correct.status, "graded", correct.message);
    equal(correct.score, 4);
    const partial = await gradeExercise(
      lesson,
      "scale-it",
      "function scaled(x: number) { return 2 * Math.abs(x); }",
      real,
    );
    equal(partial.status, "graded", partial.message);
    equal(partial.score, 3);
    // A failed hidden test names its property; the values it expected never reach the learner.
    const failed = partial.checks.find((c) => !c.passed)!;
    equal(failed.visible, false);
    match(failed.message, /^Hidden test failed: /);
    equal(failed.message, `Hidden test failed: ${failed.name.replace(/\.$/, "")}.`);
    ok(!failed.message.includes("got 2"), failed.message);
    const forAuthor = await gradeExercise(
      lesson,
      "scale-it",
      "function scaled(x: number) { return 2 * Math.abs(x); }",
      { ...real, forAuthor: true },
    );
    match(forAuthor.checks.find((c) => !c.passed)!.message, /^expected -2, got 2/);
  },
});

if (!kernelAllowsTesting) {
  console.warn(
    'grade_test.ts: notebook/kernel/cell_modules.ts does not allow "gradbook/testing" yet; ' +
      "the real-kernel scoring test is ignored.",
  );
}
