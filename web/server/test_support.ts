/**
 * Test helpers for the server's exercise, progress and editor intelligence tests (and the browser
 * end-to-end tests): a lesson with an exercise whose hidden tests and solution carry markers (to
 * search answers for), a lesson for the language service, a scripted grading kernel, a writer of
 * temporary lesson folders and a server on a temporary folder.
 *
 * @module
 */
import { join } from "node:path";
import type { GradeOptions } from "../../notebook/grader/grade.ts";
import { type CheckResult } from "../../runtime/testing/types.ts";
import { CHECKS_MIME } from "../../runtime/vocabulary.ts";
import type { KernelEvent, KernelState } from "../../notebook/kernel/protocol.ts";
import { type RunningServer, startServer } from "./app.ts";
import type { ExecuteReply, Kernel } from "../../notebook/kernel/kernel.ts";

/** Text only in the hidden tests. */
export const TESTS_MARKER = "HIDDEN-TESTS-MARKER-41c7";
/** Text only in the reference solution. */
export const SOLUTION_MARKER = "SOLUTION-MARKER-9b2e";

/** A lesson with a setup cell, a code cell and a three-point exercise with two hints. */
export const EXERCISE_LESSON = `---
title: Doubling
summary: One exercise to grade.
objectives: [Double numbers]
minutes: 2
order: 1
---

\`\`\`ts hidden
const factor = 2;
\`\`\`

\`\`\`ts
factor + 1
\`\`\`

## Exercise: double every number

Write \`double(xs)\` returning every entry of \`xs\` times $2$.

\`\`\`ts exercise id=double-it points=3
function double(xs: number[]): number[] {
  return xs;
}
\`\`\`

\`\`\`ts checks
import { check, expectClose } from "gradbook/testing";
check("double([1, 2]) is [2, 4]", () => {
  expectClose(double([1, 2]), [2, 4], { hint: "multiply, do not add" });
});
\`\`\`

\`\`\`ts tests
import { check, expectClose } from "gradbook/testing";
// ${TESTS_MARKER}
check("double([2]) is [4]", () => expectClose(double([2]), [4]));
check("double() keeps the sign of negative numbers", () => {
  expectClose(double([-1.5]), [-3]);
});
\`\`\`

\`\`\`md hint
Use \`xs.map(...)\` and multiply each entry by \`factor\`.
\`\`\`

\`\`\`md hint
\`xs.map((x) => x * factor)\`
\`\`\`

\`\`\`ts solution
// ${SOLUTION_MARKER}
function double(xs: number[]): number[] {
  return xs.map((x) => x * factor);
}
\`\`\`
`;

const FENCE = "```";

/** A lesson of two cells for the editor's language service: `batch` (a tensor) and `model`. */
export const INTELLIGENCE_LESSON = `---
title: Intelligence
summary: Cells for the editor's language service.
objectives: [type]
minutes: 1
order: 1
---

${FENCE}ts
import { nn, randn } from "gradbook";
const batch = randn([64, 784]);
${FENCE}

${FENCE}ts
const model = new nn.Linear(784, 10);
${FENCE}
`;

/**
 * Writes `lessons` (file name to Markdown) into `root/lessons`, creating the folder.
 * @returns The lessons folder.
 */
export async function writeLessons(
  root: string,
  lessons: Record<string, string>,
): Promise<string> {
  const lessonsDir = join(root, "lessons");
  await Deno.mkdir(lessonsDir, { recursive: true });
  for (const [name, markdown] of Object.entries(lessons)) {
    await Deno.writeTextFile(join(lessonsDir, name), markdown);
  }
  return lessonsDir;
}

/** A notebook kernel that is never expected to run (counts how many were made). */
export class IdleKernel implements Kernel {
  static created = 0;
  state: KernelState = "idle";
  constructor() {
    IdleKernel.created++;
  }
  onStatus() {
    return () => {};
  }
  start() {
    return Promise.resolve();
  }
  execute(): Promise<ExecuteReply> {
    return Promise.reject(new Error("The notebook kernel was asked to run a cell"));
  }
  interrupt() {
    return Promise.resolve("idle" as const);
  }
  restart() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

const result = (name: string, passed: boolean): CheckResult => ({
  name,
  passed,
  points: 1,
  earned: passed ? 1 : 0,
  message: passed ? "" : `${name}: expected something else`,
  elapsedMs: 0,
});

/**
 * A scripted grading kernel: an answer containing "x * factor" passes everything, "x + factor"
 * passes one hidden test, "throw" crashes; `delayMs` slows every cell.
 */
export function scriptedGradingKernel(
  delayMs = 0,
  started: { count: number } = { count: 0 },
): NonNullable<GradeOptions["createKernel"]> {
  return () => {
    let answer = "";
    return {
      start() {
        started.count++;
        return Promise.resolve();
      },
      async execute(cellId: string, code: string, onEvent: (event: KernelEvent) => void) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const reply = (status: ExecuteReply["status"]): ExecuteReply => ({
          type: "reply",
          id: cellId,
          status,
          executionCount: 1,
          elapsedMs: delayMs,
        });
        if (cellId.startsWith("exercise:")) {
          answer = code;
          if (code.includes("throw")) {
            onEvent({
              type: "error",
              id: cellId,
              name: "Error",
              message: "boom",
              stack: "",
              line: 2,
            });
            return reply("error");
          }
          return reply("ok");
        }
        if (!cellId.startsWith("checks:") && !cellId.startsWith("tests:")) return reply("ok");
        const right = answer.includes("x * factor");
        const checks = cellId.startsWith("checks:")
          ? [result("double([1, 2]) is [2, 4]", right)]
          : [
            result("double([2]) is [4]", right || answer.includes("x + factor")),
            result("double() keeps the sign of negative numbers", right),
          ];
        onEvent({
          type: "display",
          id: cellId,
          data: { [CHECKS_MIME]: { checks, earned: 0, total: 0 } },
        });
        return reply("ok");
      },
      shutdown: () => Promise.resolve(),
    };
  };
}

/** Starts a server on a temporary course with {@link EXERCISE_LESSON}. */
export async function startTestServer(
  root: string,
  createGradingKernel: NonNullable<GradeOptions["createKernel"]> = scriptedGradingKernel(),
): Promise<RunningServer> {
  const lessonsDir = await writeLessons(root, { "01-doubling.md": EXERCISE_LESSON });
  return await startServer({
    lessonsDir,
    dataDir: join(root, "data"),
    port: 0,
    createKernel: () => new IdleKernel(),
    grading: { createKernel: createGradingKernel },
  });
}

/** POSTs JSON and returns the status and parsed answer. */
export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) };
}
