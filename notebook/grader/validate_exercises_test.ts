import { deepEqual, equal, match } from "node:assert/strict";
import { parseLesson } from "../course/parse_lesson.ts";
import type { KernelEvent } from "../kernel/protocol.ts";
import type { GradingKernel } from "./grade.ts";
import { CHECKS_MIME } from "../../runtime/vocabulary.ts";
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

/** A kernel whose tests cell reports one check per entry, passing when `passes(answer)`. */
function scriptedKernel(tests: [name: string, passes: (answer: string) => boolean][]) {
  return (): GradingKernel => {
    let answer = "";
    return {
      start: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
      execute(cellId: string, code: string, onEvent: (event: KernelEvent) => void) {
        if (cellId.startsWith("exercise:")) answer = code;
        if (cellId.startsWith("tests:")) {
          const checks = tests.map(([name, passes]) => {
            const passed = passes(answer);
            const message = passed ? "" : "expected 42";
            return { name, passed, points: 1, earned: passed ? 1 : 0, message, elapsedMs: 0 };
          });
          const payload = { checks, earned: 0, total: checks.length };
          onEvent({ type: "display", id: "x", data: { [CHECKS_MIME]: payload } });
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
  };
}

/** One test that passes exactly when the answer cell contains "42". */
const kernel42 = scriptedKernel([["is 42", (answer) => answer.includes("42")]]);
/** "is 42" as above, and "returns something" for any `return`. */
const kernelTwoTests = scriptedKernel([
  ["is 42", (answer) => answer.includes("42")],
  ["returns something", (answer) => answer.includes("return")],
]);

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
