/**
 * What grading one answer reports: shared by the grader, `deno task grade`, the progress file
 * and the server. The results of single checks (`CheckResult`) come from the in-kernel test API.
 *
 * @module
 */
import type { CheckResult } from "../../runtime/testing/types.ts";

/**
 * How a grading run ended. Only "graded" means the checks ran; the others say what went wrong
 * in the learner's code ("syntax-error", "timeout", "crash") or in the lesson itself
 * ("setup-error": a cell above the exercise failed; "tests-error": a check or test cell
 * failed outside any `check()`).
 */
export type GradeStatus =
  | "graded"
  | "syntax-error"
  | "timeout"
  | "crash"
  | "setup-error"
  | "tests-error";

/** One check as the grader reports it: visible example check or hidden test. */
export interface GradedCheck extends CheckResult {
  /** True for checks from the `ts checks` fence, false for hidden tests. */
  visible: boolean;
}

/** The outcome of grading one answer to one exercise. */
export interface GradeResult {
  exerciseId: string;
  status: GradeStatus;
  /** Points scored: the sum of the checks' earned points, which add up to the exercise's points. */
  score: number;
  /** The exercise's points. */
  maxScore: number;
  checks: GradedCheck[];
  /** A summary written for the learner. */
  message: string;
  /** The error that stopped the run, if any; `line` is in the learner's own code when known. */
  error?: { name: string; message: string; line?: number; column?: number };
  elapsedMs: number;
}
