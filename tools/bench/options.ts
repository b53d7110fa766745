/**
 * Command-line options of `deno task bench`.
 *
 * @module
 */
import type { BenchOptions } from "./section.ts";

/** Options for a full run (median of 7 after warm-up) or a `--quick` smoke run. */
export function benchOptions(args: readonly string[]): BenchOptions {
  const unknown = args.filter((a) => a !== "--quick");
  if (unknown.length > 0) {
    throw new TypeError(`bench: unknown arguments ${unknown.join(" ")} (only --quick is accepted)`);
  }
  return args.includes("--quick")
    ? { quick: true, warmup: 2, samples: 3, minSampleMs: 5 }
    : { quick: false, warmup: 3, samples: 7, minSampleMs: 40 };
}
