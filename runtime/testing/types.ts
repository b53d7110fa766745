/**
 * What the authors' test API (`gradbook/testing`, run inside the kernel) reports, under
 * `CHECKS_MIME` (`runtime/vocabulary.ts`); read by the grader and the web client.
 *
 * @module
 */

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

/** The payload of a `CHECKS_MIME` display. */
export interface ChecksPayload {
  checks: CheckResult[];
  /** Sum of `earned` over `checks`. */
  earned: number;
  /** Sum of `points` over `checks`. */
  total: number;
}
