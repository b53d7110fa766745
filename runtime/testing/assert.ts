/**
 * Small assertion helpers in the shape of Deno std's `@std/assert` (JSR is unreachable here),
 * built on `node:assert/strict`. Tests anywhere in the repo import them.
 *
 * @module
 */
import assert from "node:assert/strict";

/** Deep strict equality (arrays, objects, typed arrays). */
export function assertEquals<T>(actual: unknown, expected: T, message?: string): void {
  if (message === undefined) assert.deepStrictEqual(actual, expected);
  else assert.deepStrictEqual(actual, expected, message);
}

/** Fails unless `condition` is truthy. */
export function assert_(condition: unknown, message = "assertion failed"): asserts condition {
  assert.ok(condition, message);
}
export { assert_ as assert };

/** `|actual - expected| <= tolerance` (default 1e-7, absolute). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  message?: string,
): void {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new assert.AssertionError({
      message: message ??
        `expected ${actual} to be within ${tolerance} of ${expected} (difference ${
          Math.abs(actual - expected)
        })`,
      actual,
      expected,
    });
  }
}

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

function checkError(e: unknown, errorClass?: ErrorClass, includes?: string): Error {
  if (errorClass && !(e instanceof errorClass)) {
    throw new assert.AssertionError({
      message: `expected error of class ${errorClass.name}, got ${
        e instanceof Error ? e.name + ": " + e.message : String(e)
      }`,
    });
  }
  if (includes !== undefined) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!msg.includes(includes)) {
      throw new assert.AssertionError({
        message: `expected error message to include ${JSON.stringify(includes)}, got ${
          JSON.stringify(msg)
        }`,
      });
    }
  }
  return e as Error;
}

/** Asserts `fn` throws (optionally an instance of `errorClass` whose message includes `includes`). */
export function assertThrows(fn: () => unknown, errorClass?: ErrorClass, includes?: string): Error {
  try {
    fn();
  } catch (e) {
    return checkError(e, errorClass, includes);
  }
  throw new assert.AssertionError({ message: "expected function to throw" });
}

/** Async variant of {@link assertThrows}. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  errorClass?: ErrorClass,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return checkError(e, errorClass, includes);
  }
  throw new assert.AssertionError({ message: "expected promise to reject" });
}

/** Asserts `actual` includes the substring `expected`. */
export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new assert.AssertionError({
      message: message ??
        `expected ${JSON.stringify(actual.slice(0, 500))} to include ${JSON.stringify(expected)}`,
    });
  }
}
