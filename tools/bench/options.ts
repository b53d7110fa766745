/**
 * Command-line options of `deno task bench`.
 *
 * @module
 */
import type { BenchOptions } from "./section.ts";

/**
 * Options for a full run (median of 7 after a warm-up of at least a second) or a `--quick` smoke run; `--only a,b`
 * runs the named sections alone (checked against `known`, the section names).
 */
export function benchOptions(
  args: readonly string[],
  known: readonly string[] = [],
): BenchOptions {
  let only: string[] | null = null;
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--quick") continue;
    if (arg === "--only" || arg.startsWith("--only=")) {
      const list = arg === "--only" ? args[++i] ?? "" : arg.slice("--only=".length);
      only = list.split(",").map((name) => name.trim()).filter((name) => name !== "");
      const missing = only.filter((name) => !known.includes(name));
      if (only.length === 0 || missing.length > 0) {
        throw new TypeError(
          `bench: --only takes section names from: ${known.join(", ")} (got "${list}")`,
        );
      }
      continue;
    }
    unknown.push(arg);
  }
  if (unknown.length > 0) {
    throw new TypeError(
      `bench: unknown arguments ${unknown.join(" ")} (accepted: --quick, --only a,b)`,
    );
  }
  return args.includes("--quick")
    ? { quick: true, warmup: 2, warmupMs: 0, samples: 3, minSampleMs: 5, only }
    : { quick: false, warmup: 3, warmupMs: 1000, samples: 7, minSampleMs: 40, only };
}
