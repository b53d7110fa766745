/**
 * A compiled cell's source map as plain data: decoded from the compiler's `mappings`, sent with
 * the compiled code (the host compiles cells, see `cell_compiler.ts`), and read by the kernel to
 * map a traceback's positions back into the cell. No TypeScript needed to read it.
 *
 * @module
 */

/** A position in the cell's own source, 1-based. */
export interface CellPosition {
  line: number;
  column: number;
}

/** One mapping: a column of the generated line and the source position it came from (0-based). */
export interface Segment {
  generatedColumn: number;
  line: number;
  column: number;
}

/** Segments per generated line (index 0 is line 1), each line's in column order. */
export type SourceMapLines = Segment[][];

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Decodes the `mappings` of a source map (its JSON text; "" gives none) into segments per
 * generated line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSourceMap } from "./cell_source_map.ts";
 * // Generated line 1, column 0 comes from source line 1, column 0; line 2 from line 3.
 * const lines = decodeSourceMap(JSON.stringify({ mappings: "AAAA;AAEA" }));
 * assert.deepEqual(lines, [
 *   [{ generatedColumn: 0, line: 0, column: 0 }],
 *   [{ generatedColumn: 0, line: 2, column: 0 }],
 * ]);
 * ```
 */
export function decodeSourceMap(text: string): SourceMapLines {
  if (text === "") return [];
  const mappings = (JSON.parse(text) as { mappings: string }).mappings;
  const result: SourceMapLines = [];
  let line = 0;
  let column = 0;
  for (const lineText of mappings.split(";")) {
    const segments: Segment[] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(",")) {
      if (segmentText === "") continue;
      const values = decodeVlq(segmentText);
      generatedColumn += values[0] ?? 0;
      if (values.length >= 4) {
        line += values[2]!;
        column += values[3]!;
        segments.push({ generatedColumn, line, column });
      }
    }
    result.push(segments);
  }
  return result;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Where 1-based (`line`, `column`) of the generated code came from in the cell (1-based), or
 * null when that line maps nowhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapToCell } from "./cell_source_map.ts";
 * const lines = [[], [{ generatedColumn: 0, line: 0, column: 0 }, { generatedColumn: 6, line: 0, column: 4 }]];
 * assert.deepEqual(mapToCell(lines, 2, 8), { line: 1, column: 5 });
 * assert.equal(mapToCell(lines, 1, 1), null);
 * ```
 */
export function mapToCell(
  lines: SourceMapLines,
  line: number,
  column: number,
): CellPosition | null {
  const segments = lines[line - 1];
  if (segments === undefined || segments.length === 0) return null;
  let best = segments[0]!;
  for (const segment of segments) {
    if (segment.generatedColumn <= column - 1) best = segment;
    else break;
  }
  return { line: best.line + 1, column: best.column + 1 };
}
