/**
 * Splits a stream's text into ordinary output and `RESULT name {...}` lines: the
 * machine-readable results that lessons print for their tests, which the page shows
 * de-emphasised instead of as prose.
 *
 * @module
 */

/** A run of consecutive lines: ordinary output, or `RESULT ` lines. */
export interface StreamSegment {
  kind: "text" | "results";
  /** The lines, joined with their newlines (a text segment keeps its trailing newline). */
  text: string;
  /** For a results segment, the name after `RESULT ` on each line (`critical-points`). */
  names: string[];
}

const RESULT_LINE = /^RESULT (\S+)/;

/**
 * Splits `text` into segments in order, grouping consecutive `RESULT ` lines.
 *
 * @example
 * ```ts
 * import { splitResultLines } from "./stream_text.ts";
 * splitResultLines("loss 0.1\nRESULT fit {\"a\":1}\n").map((s) => s.kind); // ["text", "results"]
 * ```
 */
export function splitResultLines(text: string): StreamSegment[] {
  if (!text.includes("RESULT ")) return [{ kind: "text", text, names: [] }];
  const segments: StreamSegment[] = [];
  // Lines with their newline, so joining the segments gives back the text exactly.
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    const name = RESULT_LINE.exec(line)?.[1];
    const kind = name === undefined ? "text" : "results";
    const last = segments[segments.length - 1];
    if (last?.kind === kind) last.text += line;
    else segments.push({ kind, text: line, names: [] });
    if (name !== undefined) segments[segments.length - 1]!.names.push(name);
  }
  return segments;
}
