/**
 * Grades a learner's answer to an exercise: in a fresh kernel, runs the lesson's setup cells
 * (the `ts hidden` cells above the exercise), the learner's code, the visible checks, then the
 * hidden tests, and scores the `check()` results they display.
 *
 * @module
 */

import { forLearner, scoreChecks } from "./score.ts";
import type { Exercise, Lesson } from "../course/types.ts";
import { parseCell } from "../cell/cell_model.ts";
import { CellSyntaxError, compileCell } from "../kernel/compile_cell.ts";
import { type ExecuteOptions, KernelProcess } from "../kernel/kernel_process.ts";
import type { KernelEvent } from "../kernel/protocol.ts";
import { type CheckResult, type ChecksPayload } from "../../runtime/testing/types.ts";
import { CHECKS_MIME } from "../../runtime/vocabulary.ts";
import { type GradedCheck, type GradeResult, type GradeStatus } from "./types.ts";

type Reply = Extract<KernelEvent, { type: "reply" }>;
type ErrorEvent = Extract<KernelEvent, { type: "error" }>;

/**
 * The part of `KernelProcess` the grader uses (a fake one in unit tests). The answer runs in
 * the cells realm; the setup also runs in the judge realm, where the checks and hidden tests run
 * and read the answer's names through the bridge (`options.realm`, `options.bridge`).
 */
export interface GradingKernel {
  start(): Promise<void>;
  execute(
    cellId: string,
    code: string,
    onEvent: (event: KernelEvent) => void,
    options?: Pick<ExecuteOptions, "realm" | "bridge">,
  ): Promise<Reply>;
  shutdown(): Promise<void>;
}

/** Options of {@link gradeExercise}. */
export interface GradeOptions {
  /** Per-cell time limit in ms (default: the kernel's, five minutes). */
  cellTimeoutMs?: number;
  /** Memory limit of the grading kernel in MiB (default: the kernel's, 1024). */
  memoryLimitMiB?: number;
  /** Makes the kernel to grade in (default: a new `KernelProcess` with the limits above). */
  createKernel?: (options: { cellTimeoutMs?: number; memoryLimitMiB?: number }) => GradingKernel;
  /**
   * Keeps hidden tests' own failure messages (values included), for the lesson's author
   * (`deno task check`); learners only ever see which property failed.
   */
  forAuthor?: boolean;
}

/** What one cell run produced. */
interface CellRun {
  reply: Reply;
  error?: ErrorEvent;
  checks: CheckResult[];
}

async function runCell(
  kernel: GradingKernel,
  cellId: string,
  code: string,
  options?: Pick<ExecuteOptions, "realm" | "bridge">,
): Promise<CellRun> {
  const run: Omit<CellRun, "reply"> = { checks: [] };
  const reply = await kernel.execute(cellId, code, (event) => {
    if (event.type === "error") run.error = event;
    if (event.type === "display" || event.type === "result") {
      const payload = event.data[CHECKS_MIME] as ChecksPayload | undefined;
      if (payload !== undefined && Array.isArray(payload.checks)) {
        run.checks.push(...payload.checks);
      }
    }
  }, options);
  return { ...run, reply };
}

/** Finds an exercise by id, or throws a RangeError listing the lesson's exercises. */
export function findExercise(
  lesson: Lesson,
  exerciseId: string,
): { exercise: Exercise; index: number } {
  const index = lesson.blocks.findIndex((b) => b.kind === "exercise" && b.id === exerciseId);
  const block = lesson.blocks[index];
  if (block?.kind !== "exercise") {
    const ids = lesson.blocks.flatMap((b) => (b.kind === "exercise" ? [`"${b.id}"`] : []));
    throw new RangeError(
      `gradeExercise: lesson "${lesson.slug}" has no exercise "${exerciseId}" ` +
        `(it has ${ids.length === 0 ? "none" : ids.join(", ")})`,
    );
  }
  return { exercise: block, index };
}

function errorInfo(error: ErrorEvent | undefined, reply: Reply): GradeResult["error"] {
  if (error === undefined) return { name: reply.status, message: reply.message ?? reply.status };
  return { name: error.name, message: error.message, line: error.line, column: error.column };
}

const seconds = (
  ms: number | undefined,
) => (ms === undefined ? "the time limit" : `${ms / 1000} s`);

/**
 * Grades `learnerCode` for exercise `exerciseId` of `lesson` in a fresh kernel, which it shuts
 * down before returning. Never throws for a bad answer: the status says what happened.
 *
 * @returns Per-check results (visible and hidden), the score out of the exercise's points, and
 * a status: "graded" when the checks ran; "syntax-error", "timeout" or "crash" for a problem in
 * the learner's code; "setup-error" or "tests-error" for a problem in the lesson itself.
 * @throws {RangeError} when the lesson has no such exercise.
 */
export async function gradeExercise(
  lesson: Lesson,
  exerciseId: string,
  learnerCode: string,
  opts: GradeOptions = {},
): Promise<GradeResult> {
  const { exercise, index } = findExercise(lesson, exerciseId);
  const started = performance.now();
  const result = (
    status: GradeStatus,
    message: string,
    checks: GradedCheck[] = [],
    error?: GradeResult["error"],
  ): GradeResult => {
    // Check points add up to the exercise's; hidden tests name the property that failed.
    const scored = scoreChecks(opts.forAuthor ? checks : checks.map(forLearner), exercise.points);
    return {
      exerciseId,
      status,
      score: status === "graded" ? scored.score : 0,
      maxScore: exercise.points,
      checks: scored.checks,
      message,
      ...(error ? { error } : {}),
      elapsedMs: Math.round(performance.now() - started),
    };
  };

  try {
    compileCell(learnerCode);
  } catch (error) {
    if (!(error instanceof CellSyntaxError)) throw error;
    return result(
      "syntax-error",
      `Your code does not parse (line ${error.line}): ${error.message}. Fix it and check again.`,
      [],
      { name: "SyntaxError", message: error.message, line: error.line, column: error.column },
    );
  }

  const limits = { cellTimeoutMs: opts.cellTimeoutMs, memoryLimitMiB: opts.memoryLimitMiB };
  const kernel = opts.createKernel?.(limits) ??
    new KernelProcess(
      Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
    );
  try {
    await kernel.start();
    // Setup = the hidden cells above the exercise, so grading never reruns long training cells.
    const setup = lesson.blocks.slice(0, index).flatMap((
      b,
    ) => (b.kind === "code" && b.runnable && b.hidden ? [b] : []));
    // "No shortcuts": withheld functions are wrapped before the setup imports them (see
    // notebook/kernel/withhold.ts); the guard records only once armed, after the setup.
    const guard = exercise.withhold !== undefined || exercise.autodiff === true
      ? crypto.randomUUID()
      : null;
    const guardCell = async (call: string): Promise<CellRun> => {
      const code = `(await import("gradbook/grading")).${call}`;
      return await runCell(kernel, `guard:${exercise.id}`, code, { realm: "cells" });
    };
    if (guard !== null) {
      const run = await guardCell(
        `withhold(${JSON.stringify(guard)}, ${JSON.stringify(exercise.withhold ?? [])});`,
      );
      if (run.reply.status !== "ok") {
        return result(
          "setup-error",
          `The exercise's withhold= option at ${lesson.file}:${exercise.line} failed ` +
            `(${run.error?.message ?? run.reply.message ?? run.reply.status}). ` +
            `This is a problem in the lesson, not in your answer.`,
        );
      }
    }
    // The setup runs in both realms: the answer may use its helpers, and so may the checks.
    for (const [cell, realm] of setup.flatMap((c) => [[c, "cells"], [c, "judge"]] as const)) {
      const run = await runCell(kernel, cell.id, cell.source, { realm });
      if (run.reply.status !== "ok") {
        return result(
          "setup-error",
          `The lesson's cell at ${lesson.file}:${cell.line} failed before your code ran ` +
            `(${
              run.error
                ? `${run.error.name}: ${run.error.message}`
                : run.reply.message ?? run.reply.status
            }). ` +
            `This is a problem in the lesson, not in your answer.`,
          [],
          errorInfo(run.error, run.reply),
        );
      }
    }

    if (guard !== null) await guardCell(`arm(${JSON.stringify(guard)});`);
    const answer = await runCell(kernel, `exercise:${exercise.id}`, learnerCode, {
      realm: "cells",
    });
    // The checks see the answer's names only as copies (functions as calls into its worker).
    const bridge = parseCell(learnerCode).values;
    const stopped = classifyStop(answer, "while your code ran", opts.cellTimeoutMs);
    if (stopped !== null) {
      return result(stopped.status, stopped.message, [], errorInfo(answer.error, answer.reply));
    }

    const checks: GradedCheck[] = [];
    const parts = [
      { source: exercise.visibleChecks, visible: true, cellId: `checks:${exercise.id}` },
      { source: exercise.tests, visible: false, cellId: `tests:${exercise.id}` },
    ];
    for (const part of parts) {
      if (part.source.trim() === "") continue;
      const run = await runCell(kernel, part.cellId, part.source, { realm: "judge", bridge });
      checks.push(...run.checks.map((c) => ({ ...c, visible: part.visible })));
      const what = part.visible ? "while the example checks ran" : "while the tests ran";
      const stop = classifyStop(run, what, opts.cellTimeoutMs);
      if (stop !== null && stop.status !== "crash") {
        return result(stop.status, stop.message, checks, errorInfo(run.error, run.reply));
      }
      if (stop !== null) {
        return result(
          run.reply.status === "died" ? "crash" : "tests-error",
          run.reply.status === "died"
            ? stop.message
            : `The ${part.visible ? "example checks" : "tests"} stopped outside any check ` +
              `(${run.error?.name ?? "Error"}: ${run.error?.message ?? run.reply.message}); ` +
              `did you rename or remove something the exercise asked for?`,
          checks,
          errorInfo(run.error, run.reply),
        );
      }
    }
    if (checks.length === 0) {
      return result("tests-error", "The tests ran no check(); this is a problem in the lesson.");
    }
    if (guard !== null) {
      const shortcut = await readGuard(kernel, exercise, guard);
      if (shortcut !== null) {
        const failed = checks.map((c) => ({ ...c, passed: false, earned: 0, message: shortcut }));
        const zero = result("graded", shortcut, failed);
        // The message says why; it is the same for visible and hidden checks.
        zero.checks = zero.checks.map((c) => ({ ...c, message: shortcut }));
        return zero;
      }
    }
    const graded = result("graded", "", checks);
    const passed = checks.filter((c) => c.passed).length;
    graded.message = passed === checks.length
      ? `All ${checks.length} checks passed: ${graded.score}/${graded.maxScore} points.`
      : `${passed} of ${checks.length} checks passed: ${graded.score}/${graded.maxScore} points.`;
    return graded;
  } finally {
    await kernel.shutdown();
  }
}

/**
 * Reads the "no shortcuts" guard after the checks ran: the message that zeroes the answer, or
 * null when it called no withheld function (and called backward() where the exercise requires
 * it). A guard that cannot be read (the answer broke its realm) also zeroes the answer.
 */
async function readGuard(
  kernel: GradingKernel,
  exercise: Exercise,
  nonce: string,
): Promise<string | null> {
  let text = "";
  const code = `(await import("gradbook/grading")).report(${JSON.stringify(nonce)})`;
  const reply = await kernel.execute(`guard:${exercise.id}`, code, (event) => {
    if (event.type === "result") text = String(event.data["text/plain"] ?? "");
  }, { realm: "cells" });
  const m = /withheld=([\w$.,]*);backward=(\d+)/.exec(text);
  if (reply.status !== "ok" || m === null) {
    return "The grader could not confirm that your answer wrote the exercise's function itself " +
      "(its check on which gradbook functions you called did not run); no points.";
  }
  const called = m[1] === "" ? [] : m[1]!.split(",");
  if (called.length > 0) {
    const names = called.map((n) => `\`${n}\``).join(", ");
    return `This exercise asks you to write this yourself; your answer called gradbook's ` +
      `${names}, so it scores 0. Compute it from simpler operations instead.`;
  }
  if (exercise.autodiff === true && Number(m[2]) === 0) {
    return "This exercise asks for the gradient computed by autodiff; your answer never called " +
      "backward(), so it scores 0. Build the value from tensors and call .backward() on it.";
  }
  return null;
}

/** Says how a cell that did not end "ok" stopped, in words for the learner; null if it was ok. */
function classifyStop(
  run: CellRun,
  when: string,
  timeoutMs: number | undefined,
): { status: GradeStatus; message: string } | null {
  const { reply, error } = run;
  if (reply.status === "ok") return null;
  if (reply.status === "timeout" || reply.status === "interrupted") {
    return {
      status: "timeout",
      message: `Your code did not finish within ${seconds(timeoutMs)} ${when}; ` +
        `look for a loop that never ends.`,
    };
  }
  if (reply.status === "died") {
    return {
      status: "crash",
      message: `The kernel died ${when}: ${reply.message ?? "no reason given"}.`,
    };
  }
  const where = error?.line === undefined ? "" : ` (line ${error.line})`;
  return {
    status: "crash",
    message: `Your code threw ${error?.name ?? "an error"}${where} ${when}: ${
      error?.message ?? reply.message ?? ""
    }`,
  };
}
