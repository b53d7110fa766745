/**
 * The test API for exercise checks and hidden tests, imported in cells as `"gradbook/testing"`:
 * `check(name, fn, { points })` records one pass or fail; `expectClose`, `expectEqual`,
 * `expectShape` and `expectThrows` throw an {@link ExpectationError} whose message is written for
 * a learner. The results of a cell's checks are emitted as one display of MIME
 * {@link CHECKS_MIME} when the cell ends.
 *
 * Runs inside the sandboxed kernel: no I/O, no permissions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { check, expectClose, takeCheckResults } from "./checks.ts";
 * check("two plus two", () => expectClose(2 + 2, 4));
 * check("a wrong sum", () => expectClose([1, 2], [1, 3]), { points: 2 });
 * const [ok, wrong] = takeCheckResults();
 * assert.deepEqual([ok?.passed, wrong?.passed, wrong?.points], [true, false, 2]);
 * ```
 *
 * @module
 */

import { emitDisplay, registerFlusher } from "../display/sink.ts";
import { type CheckResult, type ChecksPayload } from "./types.ts";
import { CHECKS_MIME } from "../vocabulary.ts";
import { describeValue, shapeOf, toPlain } from "./values.ts";

export { CHECKS_MIME };
export type { CheckResult, ChecksPayload };

/** A failed expectation; its message is shown to the learner as is. */
export class ExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpectationError";
  }
}

/** Options every `expect*` function takes. */
export interface ExpectOptions {
  /** Added to the failure message, e.g. "did you forget the sign of the gradient?". */
  hint?: string;
}

/** Tolerances of {@link expectClose}: passes when `|actual - expected| <= atol + rtol * |expected|`. */
export interface CloseOptions extends ExpectOptions {
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
}

function fail(message: string, options: ExpectOptions): never {
  throw new ExpectationError(options.hint ? `${message}; ${options.hint}` : message);
}

const indexText = (index: number[]) => `[${index.join(", ")}]`;
const num = (x: number) => describeValue(x);

/**
 * Checks that `actual` is close to `expected`: numbers, nested arrays, typed arrays or tensors
 * (anything with `toArray()`), compared elementwise after checking that the shapes agree.
 * An expected `NaN`, `Infinity` or `-Infinity` matches only itself; `-0` equals `0`. The message
 * names the first differing index and both values.
 *
 * @throws {ExpectationError} when a shape, a type or a value differs.
 */
export function expectClose(actual: unknown, expected: unknown, options: CloseOptions = {}): void {
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const a = toPlain(actual);
  const e = toPlain(expected);
  const shapeA = shapeOf(a);
  const shapeE = shapeOf(e);
  if (shapeE === null) {
    throw new TypeError(`expectClose: expected ${describeValue(e)} is not numeric`);
  }
  if (shapeA === null) {
    fail(
      `expected ${describeValue(e)}, got ${
        describeValue(a)
      }, which is not a number or an array of numbers`,
      options,
    );
  }
  if (shapeA.join() !== shapeE.join()) {
    fail(
      `expected shape ${indexText(shapeE)}, got shape ${indexText(shapeA)} ` +
        `(expected ${describeValue(e)}, got ${describeValue(a)})`,
      options,
    );
  }
  let first: { index: number[]; a: number; e: number } | null = null;
  let differing = 0;
  let count = 0;
  const walk = (x: unknown, y: unknown, index: number[]) => {
    if (Array.isArray(y)) {
      y.forEach((yi, i) => walk((x as unknown[])[i], yi, [...index, i]));
      return;
    }
    count++;
    const xv = x as number;
    const yv = y as number;
    // NOTE: an expected ±Infinity or NaN is matched only by itself: with a relative tolerance,
    // `rtol * |Infinity|` would otherwise accept every finite value. Signed zeros are equal.
    const close = Number.isNaN(yv)
      ? Number.isNaN(xv)
      : !Number.isFinite(yv)
      ? xv === yv
      : xv === yv || Math.abs(xv - yv) <= atol + rtol * Math.abs(yv);
    if (!close) {
      differing++;
      first ??= { index, a: xv, e: yv };
    }
  };
  walk(a, e, []);
  // NOTE: TypeScript cannot see the assignment inside `walk`, hence the cast.
  const found = first as { index: number[]; a: number; e: number } | null;
  if (found === null) return;
  const { index, a: av, e: ev } = found;
  const tolerance = atol + rtol * Math.abs(ev);
  const why = Number.isFinite(av - ev)
    ? ` (difference ${num(Math.abs(av - ev))} > tolerance ${num(tolerance)})`
    : "";
  if (index.length === 0) fail(`expected ${num(ev)}, got ${num(av)}${why}`, options);
  fail(
    `${differing} of ${count} values differ; at index ${indexText(index)}: expected ${num(ev)}, ` +
      `got ${num(av)}${why}. Expected ${describeValue(e)}, got ${describeValue(a)}`,
    options,
  );
}

/** Checks that `actual` (a tensor, or nested arrays) has shape `shape`. */
export function expectShape(
  actual: unknown,
  shape: readonly number[],
  options: ExpectOptions = {},
): void {
  const got = typeof actual === "object" && actual !== null &&
      Array.isArray((actual as { shape?: unknown }).shape)
    ? [...(actual as { shape: number[] }).shape]
    : shapeOf(toPlain(actual));
  if (got === null) {
    fail(
      `expected a tensor of shape ${indexText([...shape])}, got ${describeValue(actual)}`,
      options,
    );
  }
  if (got.join() !== shape.join()) {
    fail(`expected shape ${indexText([...shape])}, got shape ${indexText(got)}`, options);
  }
}

/** Checks that `actual` deeply equals `expected` (numbers compared exactly; tensors as arrays). */
export function expectEqual(actual: unknown, expected: unknown, options: ExpectOptions = {}): void {
  const a = toPlain(actual);
  const e = toPlain(expected);
  if (JSON.stringify(a) !== JSON.stringify(e) || (typeof a !== typeof e)) {
    fail(`expected ${describeValue(e)}, got ${describeValue(a)}`, options);
  }
}

/**
 * Checks that `fn` throws (or, if it returns a promise, rejects), with a message matching
 * `matcher` (a substring or a RegExp) when given. Returns a promise only for async `fn`.
 */
export function expectThrows(
  fn: () => unknown,
  matcher?: string | RegExp,
  options: ExpectOptions = {},
): void | Promise<void> {
  const verify = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const matches = matcher === undefined ||
      (typeof matcher === "string" ? message.includes(matcher) : matcher.test(message));
    if (!matches) {
      fail(
        `expected an error matching ${String(matcher)}, but the error was "${message}"`,
        options,
      );
    }
  };
  const notThrown = () => fail("expected an error, but nothing was thrown", options);
  let outcome: unknown;
  try {
    outcome = fn();
  } catch (error) {
    return verify(error);
  }
  if (outcome instanceof Promise) return outcome.then(notThrown, verify);
  notThrown();
}

/** Options of {@link check}. */
export interface CheckOptions {
  /** Points for partial credit (default 1). */
  points?: number;
}

let batch: CheckResult[] = [];
let unregister: (() => void) | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Builds the MIME bundle of a batch of results (JSON plus a text fallback). */
export function checksBundle(checks: CheckResult[]): Record<string, unknown> {
  const earned = checks.reduce((sum, c) => sum + c.earned, 0);
  const total = checks.reduce((sum, c) => sum + c.points, 0);
  const passed = checks.filter((c) => c.passed).length;
  const lines = checks.map((c) =>
    `  ${c.passed ? "✓" : "✗"} ${c.name}${c.points === 1 ? "" : ` (${c.points} points)`}` +
    (c.passed ? "" : `: ${c.message}`)
  );
  const payload: ChecksPayload = { checks, earned, total };
  return {
    [CHECKS_MIME]: payload,
    "text/plain": [
      `Checks: ${passed} of ${checks.length} passed (${earned}/${total} points)`,
      ...lines,
    ]
      .join("\n"),
  };
}

/** Emits the pending results as one display (called when the cell ends). */
function emitBatch(): void {
  forgetFlush();
  if (batch.length === 0) return;
  const checks = batch;
  batch = [];
  emitDisplay(checksBundle(checks), `checks-${Date.now().toString(36)}`, false);
}

function record(result: CheckResult): void {
  batch.push(result);
  if (unregister === null) {
    // The gradbook kernel flushes registered displays when a cell ends; the timer is the
    // fallback elsewhere (e.g. Deno's own Jupyter kernel) and finds nothing left to send here.
    unregister = registerFlusher(emitBatch);
    timer = setTimeout(emitBatch, 0);
  }
}

/** Describes an error thrown inside a check for a learner. */
function failureMessage(error: unknown): string {
  if (error instanceof ExpectationError) return error.message;
  if (error instanceof Error) {
    if (error.name === "AssertionError") return error.message;
    return `the code threw ${error.name}: ${error.message}`;
  }
  return `the code threw ${describeValue(error)}`;
}

/**
 * Runs one check and records whether it passed. An `async` check returns a promise: `await` it.
 *
 * @param name What is checked, as a sentence for the learner.
 * @param fn Throws (for instance through `expectClose`) when the check fails.
 */
export function check(
  name: string,
  fn: () => unknown,
  options: CheckOptions = {},
): void | Promise<void> {
  const points = options.points ?? 1;
  if (!(Number.isFinite(points) && points > 0)) {
    throw new RangeError(`check("${name}"): points must be a number above 0, got ${points}`);
  }
  const start = performance.now();
  const done = (error: unknown, failed: boolean) => {
    if (failed && (error as Error)?.name === "InterruptError") throw error;
    record({
      name,
      passed: !failed,
      points,
      earned: failed ? 0 : points,
      message: failed ? failureMessage(error) : "",
      elapsedMs: Math.round(performance.now() - start),
    });
  };
  let outcome: unknown;
  try {
    outcome = fn();
  } catch (error) {
    return done(error, true);
  }
  if (outcome instanceof Promise) {
    return outcome.then(() => done(undefined, false), (error) => done(error, true));
  }
  done(undefined, false);
}

/** Returns the results recorded since the last display, and forgets them (for tests and tools). */
export function takeCheckResults(): CheckResult[] {
  const checks = batch;
  batch = [];
  forgetFlush();
  return checks;
}

function forgetFlush(): void {
  unregister?.();
  unregister = null;
  clearTimeout(timer);
  timer = undefined;
}
