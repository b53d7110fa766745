import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor } from "gradbook";
import { flushDisplays, setDisplaySink } from "../display/sink.ts";
import {
  check,
  CHECKS_MIME,
  type ChecksPayload,
  ExpectationError,
  expectClose,
  expectEqual,
  expectShape,
  expectThrows,
  takeCheckResults,
} from "./checks.ts";

/** Asserts that `fn` fails with an ExpectationError whose message matches `pattern`. */
function assertFails(fn: () => void, pattern: RegExp) {
  throws(fn, (error: unknown) => {
    ok(error instanceof ExpectationError, `expected an ExpectationError, got ${error}`);
    ok(pattern.test(error.message), `"${error.message}" does not match ${pattern}`);
    return true;
  });
}

Deno.test("expectClose() passes within tolerance for numbers, arrays and tensors", () => {
  expectClose(0.1 + 0.2, 0.3);
  expectClose([[1, 2], [3, 4.000001]], [[1, 2], [3, 4]]);
  expectClose(tensor([1, 2, 3]), [1, 2, 3]);
  expectClose(new Float32Array([0.5, 0.25]), tensor([0.5, 0.25]));
  expectClose(100.5, 100, { atol: 0, rtol: 0.01 });
  expectClose([NaN], [NaN]);
});

Deno.test("expectClose() names the first differing index and both values", () => {
  assertFails(
    () => expectClose([0.1, 0.2, 0.3], [0.1, -0.2, -0.3]),
    /^2 of 3 values differ; at index \[1\]: expected -0\.2, got 0\.2 \(difference 0\.4 > tolerance 0\.000003\)\. Expected \[0\.1, -0\.2, -0\.3\], got \[0\.1, 0\.2, 0\.3\]$/,
  );
  assertFails(
    () => expectClose([[1, 2], [3, 4]], [[1, 2], [3, 5]]),
    /at index \[1, 1\]: expected 5, got 4/,
  );
  assertFails(() => expectClose(1, 0.9), /^expected 0\.9, got 1 \(difference 0\.1 > tolerance/);
  assertFails(() => expectClose(NaN, 1), /^expected 1, got NaN$/);
});

Deno.test("expectClose() reports shape and type mismatches and appends the hint", () => {
  assertFails(
    () => expectClose(tensor([1, 2]), [[1], [2]]),
    /^expected shape \[2, 1\], got shape \[2\]/,
  );
  assertFails(() => expectClose(undefined, [1, 2]), /got undefined, which is not a number/);
  assertFails(
    () => expectClose([1], [-1], { hint: "did you forget the sign of the gradient?" }),
    /; did you forget the sign of the gradient\?$/,
  );
});

Deno.test("expectShape(), expectEqual() and expectThrows() pass and fail with clear messages", async () => {
  expectShape(tensor([[1, 2, 3], [4, 5, 6]]), [2, 3]);
  expectShape([[1], [2]], [2, 1]);
  assertFails(
    () => expectShape(tensor([1, 2, 3]), [3, 1]),
    /^expected shape \[3, 1\], got shape \[3\]$/,
  );
  expectEqual({ a: [1, 2] }, { a: [1, 2] });
  assertFails(() => expectEqual("cat", "dog"), /^expected "dog", got "cat"$/);
  expectThrows(() => {
    throw new RangeError("matmul: cannot multiply [2, 3] by [4, 5]");
  }, /cannot multiply/);
  assertFails(() => expectThrows(() => 1), /^expected an error, but nothing was thrown$/);
  assertFails(() =>
    expectThrows(() => {
      throw new Error("other");
    }, "shape"), /^expected an error matching shape, but the error was "other"$/);
  await expectThrows(() => Promise.reject(new Error("async boom")), "boom");
});

Deno.test("check() records passes, failures with points, and errors thrown by learner code", async () => {
  takeCheckResults();
  check("passes", () => expectClose(1, 1));
  check("fails", () => expectClose([1, 2], [1, 3]), { points: 3 });
  check("throws", () => {
    const grad = null as unknown as { toArray(): number[] };
    return grad.toArray();
  });
  await check("async passes", async () => expectClose(await Promise.resolve(2), 2));
  const results = takeCheckResults();
  deepEqual(results.map((r) => [r.name, r.passed, r.points, r.earned]), [
    ["passes", true, 1, 1],
    ["fails", false, 3, 0],
    ["throws", false, 1, 0],
    ["async passes", true, 1, 1],
  ]);
  ok(results[1]!.message.startsWith("1 of 2 values differ; at index [1]: expected 3, got 2"));
  ok(results[2]!.message.startsWith("the code threw TypeError: Cannot read properties of null"));
  throws(() => check("bad points", () => {}, { points: 0 }), RangeError);
});

Deno.test("check() results of one cell are emitted as one checks display when the cell ends", () => {
  const displays: Record<string, unknown>[] = [];
  setDisplaySink((data) => displays.push(data));
  try {
    takeCheckResults();
    check("a", () => {});
    check("b", () => expectClose(1, 2), { points: 2 });
    equal(displays.length, 0);
    flushDisplays(); // what the kernel does when a cell ends
    equal(displays.length, 1);
    const payload = displays[0]![CHECKS_MIME] as ChecksPayload;
    deepEqual([payload.earned, payload.total, payload.checks.length], [1, 3, 2]);
    ok(String(displays[0]!["text/plain"]).startsWith("Checks: 1 of 2 passed (1/3 points)\n  ✓ a"));
    flushDisplays();
    equal(displays.length, 1, "an empty batch must not be displayed again");
  } finally {
    setDisplaySink(null);
  }
});

/** Asserts that `fn` throws an instance of `kind` whose message includes `text`. */
function throwsWith(fn: () => unknown, kind: new (...args: never[]) => Error, text = ""): void {
  throws(fn, (error: unknown) => {
    ok(error instanceof kind, `threw ${error}, not a ${kind.name}`);
    ok((error as Error).message.includes(text), `"${(error as Error).message}" lacks "${text}"`);
    return true;
  });
}

Deno.test("expectClose() matches an expected infinity only with the same infinity", () => {
  expectClose(Infinity, Infinity);
  expectClose([-Infinity, 1], [-Infinity, 1]);
  throwsWith(() => expectClose(1e300, Infinity), ExpectationError, "expected Infinity, got 1e+300");
  throwsWith(() => expectClose(5, Infinity), ExpectationError);
  throwsWith(() => expectClose(-Infinity, Infinity), ExpectationError);
  throwsWith(() => expectClose([2, 3], [2, -Infinity]), ExpectationError, "at index [1]");
  throwsWith(() => expectClose(Infinity, 5), ExpectationError);
});

Deno.test("expectClose() treats NaN as equal only to NaN, and signed zeros as equal", () => {
  expectClose(NaN, NaN);
  expectClose([1, NaN], [1, NaN]);
  throwsWith(() => expectClose(0, NaN), ExpectationError);
  throwsWith(() => expectClose(NaN, 0), ExpectationError);
  expectClose(-0, 0);
  expectClose(0, -0);
});

Deno.test("expectClose() refuses mismatched shapes and non-numbers with a clear message", () => {
  throwsWith(() => expectClose([1, 2, 3], [1, 2]), ExpectationError, "expected shape [2]");
  throwsWith(() => expectClose([[1], [2]], [1, 2]), ExpectationError, "got shape [2, 1]");
  throwsWith(() => expectClose([1, [2]], [1, 2]), ExpectationError, "not a number");
  throwsWith(() => expectClose("1", 1), ExpectationError, "not a number");
  throwsWith(() => expectClose(undefined, [1]), ExpectationError, "not a number");
  throwsWith(() => expectClose(1, "one"), TypeError, "is not numeric");
});
