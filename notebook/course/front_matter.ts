/**
 * The YAML front matter of a lesson: split from the body, parsed with `yaml`, and checked key by
 * key so that a missing or mistyped key is reported with its line.
 *
 * @module
 */

import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { LessonError, type LessonMeta } from "./types.ts";

/** Front matter keys and the kind of value each takes. */
const KEYS: Record<keyof LessonMeta, "string" | "strings" | "number"> = {
  title: "string",
  summary: "string",
  objectives: "strings",
  prerequisites: "strings",
  minutes: "number",
  order: "number",
};
/** Keys that may be left out, with their default. */
const OPTIONAL: Partial<LessonMeta> = { prerequisites: [] };

/** Front matter and where the Markdown body starts. */
export interface SplitLesson {
  meta: LessonMeta;
  /** 0-based index into the file's lines of the first body line. */
  bodyStart: number;
}

/**
 * Parses the front matter at the top of a lesson (between `---` lines).
 *
 * @param lines The lesson file split into lines.
 * @param file The lesson file, for errors.
 * @throws {LessonError} for a missing block, YAML syntax errors, and missing, unknown or
 * wrongly typed keys, each with its line.
 */
export function parseFrontMatter(lines: string[], file: string): SplitLesson {
  if (lines[0]?.trimEnd() !== "---") {
    throw new LessonError(
      file,
      1,
      "a lesson must start with YAML front matter between '---' lines",
    );
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === "---");
  if (end === -1) {
    throw new LessonError(file, 1, "the front matter opened on line 1 is never closed by '---'");
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join("\n"), { lineCounter });
  const lineAt = (offset: number | undefined) => 1 + lineCounter.linePos(offset ?? 0).line;
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const line = 1 + (yamlError.linePos?.[0].line ?? 1);
    throw new LessonError(
      file,
      line,
      `invalid YAML front matter: ${
        yamlError.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")
      }`,
    );
  }
  if (!isMap(doc.contents)) {
    throw new LessonError(file, 2, "the front matter must be a YAML mapping of keys to values");
  }
  const meta: Record<string, unknown> = { ...OPTIONAL };
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineAt(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    const kind = KEYS[key as keyof LessonMeta];
    if (kind === undefined) {
      throw new LessonError(
        file,
        line,
        `unknown front matter key "${key}" (known keys: ${Object.keys(KEYS).join(", ")})`,
      );
    }
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
    meta[key] = checkValue(key, kind, value, file, line);
  }
  for (const key of Object.keys(KEYS)) {
    if (!(key in meta)) {
      throw new LessonError(file, end + 1, `the front matter has no "${key}" key`);
    }
  }
  const ordered = Object.fromEntries(Object.keys(KEYS).map((key) => [key, meta[key]]));
  return { meta: ordered as unknown as LessonMeta, bodyStart: end + 1 };
}

/** Checks one value against its expected kind, returning it or throwing with the key's line. */
function checkValue(
  key: string,
  kind: "string" | "strings" | "number",
  value: unknown,
  file: string,
  line: number,
): unknown {
  const shown = JSON.stringify(value);
  if (kind === "string" && (typeof value !== "string" || value.trim() === "")) {
    throw new LessonError(
      file,
      line,
      `front matter "${key}" must be a non-empty string, got ${shown}`,
    );
  }
  if (kind === "number" && (typeof value !== "number" || !Number.isFinite(value))) {
    throw new LessonError(file, line, `front matter "${key}" must be a number, got ${shown}`);
  }
  if (key === "minutes" && (value as number) <= 0) {
    throw new LessonError(file, line, `front matter "minutes" must be positive, got ${shown}`);
  }
  if (
    kind === "strings" &&
    (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
  ) {
    throw new LessonError(
      file,
      line,
      `front matter "${key}" must be a list of strings, got ${shown}`,
    );
  }
  return value;
}
