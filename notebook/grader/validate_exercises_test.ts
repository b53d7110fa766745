import { deepEqual, equal, match } from "node:assert/strict";
import { parseLesson } from "../course/parse_lesson.ts";
import type { KernelEvent } from "../kernel/protocol.ts";
import type { GradingKernel } from "./grade.ts";
import { CHECKS_MIME } from "../../runtime/testing/types.ts";
import { validateExercises } from "./validate_exercises.ts";

const lesson = (starter: string, solution: string) =>
  parseLesson(
    [
      "---\ntitle: T\nsummary: S\nobjectives: [a]\nminutes: 1\norder: 1\n---",
      "## Exercise: answer",
      "Return 42.",
      "```ts exercise id=answer points=1",
      starter,
      "```",
      "```ts tests",
      "check(...)",
      "```",
      "```ts solution",
      solution,
      "```",
      "",
    ].join("\n"),
    "lessons/v.md",
  );

/** A kernel whose single test passes exactly when the answer cell contained "42". */
function kernel42(): GradingKernel {
  let answer = "";
  return {
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    execute(cellId: string, code: string, onEvent: (event: KernelEvent) => void) {
      if (cellId.startsWith("exercise:")) answer = code;
      if (cellId.startsWith("tests:")) {
        const passed = answer.includes("42");
        const check = {
          name: "is 42",
          passed,
          points: 1,
          earned: passed ? 1 : 0,
          message: passed ? "" : "expected 42",
          elapsedMs: 0,
        };
        onEvent({
          type: "display",
          id: "x",
          data: { [CHECKS_MIME]: { checks: [check], earned: 0, total: 1 } },
        });
      }
      return Promise.resolve({
        type: "reply",
        id: "x",
        status: "ok",
        executionCount: 1,
        elapsedMs: 0,
      });
    },
  };
}

Deno.test("validateExercises() accepts a sound exercise", async () => {
  deepEqual(
    await validateExercises(lesson("return 0;", "return 42;"), { createKernel: kernel42 }),
    [],
  );
});

Deno.test("validateExercises() reports a failing solution and a vacuous test at their lines", async () => {
  const problems = await validateExercises(lesson("return 42;", "return 41;"), {
    createKernel: kernel42,
  });
  equal(problems.length, 2);
  equal(problems[0]!.line, 17);
  match(problems[0]!.message, /reference solution fails "is 42" \(expected 42\)/);
  equal(problems[1]!.line, 14);
  match(problems[1]!.message, /untouched starter code passes "is 42"/);
});

/** A kernel with two tests: "is 42" as above, and "returns something" for any `return`. */
function kernelTwoTests(): GradingKernel {
  let answer = "";
  return {
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    execute(cellId: string, code: string, onEvent: (event: KernelEvent) => void) {
      if (cellId.startsWith("exercise:")) answer = code;
      if (cellId.startsWith("tests:")) {
        const checks = [
          ["is 42", answer.includes("42")],
          ["returns something", answer.includes("return")],
        ].map(([name, passed]) => ({
          name: name as string,
          passed: passed as boolean,
          points: 1,
          earned: passed ? 1 : 0,
          message: passed ? "" : "expected 42",
          elapsedMs: 0,
        }));
        onEvent({
          type: "display",
          id: "x",
          data: { [CHECKS_MIME]: { checks, earned: 0, total: 2 } },
        });
      }
      return Promise.resolve({
        type: "reply",
        id: "x",
        status: "ok",
        executionCount: 1,
        elapsedMs: 0,
      });
    },
  };
}

Deno.test("validateExercises() reports a starter that earns partial credit, naming the free check", async () => {
  const problems = await validateExercises(lesson("return 0;", "return 42;"), {
    createKernel: kernelTwoTests,
  });
  equal(problems.length, 1);
  equal(problems[0]!.line, 14);
  match(problems[0]!.message, /untouched starter code passes "returns something"; every check/);
});

Deno.test("validateExercises() reports starter code that does not parse", async () => {
  const problems = await validateExercises(lesson("function (", "return 42;"), {
    createKernel: kernel42,
  });
  equal(problems.length, 1);
  equal(problems[0]!.line, 11);
  match(problems[0]!.message, /starter code does not parse/);
});
