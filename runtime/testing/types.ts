/**
 * Types shared by the authors' test API (`gradbook/testing`, run inside the kernel), the grader
 * (server side) and the web client that shows check results.
 *
 * @module
 */

/** MIME type of a batch of check results, emitted once per cell that ran checks. */
export const CHECKS_MIME = "application/vnd.gradbook.checks+json";

/** The result of one `check(name, fn, { points })`. */
export interface CheckResult {
  /** The check's name, a sentence written for the learner. */
  name: string;
  passed: boolean;
  /** Points this check is worth (default 1). */
  points: number;
  /** Points earned: `points` when passed, else 0. */
  earned: number;
  /** Why it failed, written for a learner ("" when passed). */
  message: string;
  elapsedMs: number;
}

/** The payload of a {@link CHECKS_MIME} display. */
export interface ChecksPayload {
  checks: CheckResult[];
  /** Sum of `earned` over `checks`. */
  earned: number;
  /** Sum of `points` over `checks`. */
  total: number;
}

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
