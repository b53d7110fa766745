/**
 * Splits a lesson body into prose lines and gradbook fences (` ```ts ` cells and exercise parts),
 * and parses fence info strings such as `ts exercise id=adam-step points=3 title="One step"`.
 *
 * @module
 */

import { LessonError } from "./types.ts";

/** What a gradbook fence is for. */
export type FenceRole =
  | "cell"
  | "exercise"
  | "checks"
  | "tests"
  | "solution"
  | "hint";

/** A fence the parser acts on (every other fence stays in the prose as displayed code). */
export interface Fence {
  kind: "fence";
  role: FenceRole;
  /** Flags after the role, e.g. `hidden`, `norun`. */
  flags: string[];
  /** `key=value` attributes (only on `ts exercise`). */
  attrs: Record<string, string>;
  source: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** One line of Markdown prose; `code` is true inside a displayed fence (e.g. ` ```sh `). */
export interface ProseLine {
  kind: "prose";
  text: string;
  line: number;
  code: boolean;
}

export type Segment = Fence | ProseLine;

const OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const TS_FLAGS = new Set(["hidden", "norun"]);
const TS_ROLES = new Set<FenceRole>(["exercise", "checks", "tests", "solution"]);

/** Splits an info string into words and `key=value` / `key="quoted value"` attributes. */
export function parseInfo(
  info: string,
  file: string,
  line: number,
): { words: string[]; attrs: Record<string, string> } {
  const words: string[] = [];
  const attrs: Record<string, string> = {};
  const token = /\s*(?:([A-Za-z][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))|(\S+))/y;
  let rest = info.trim();
  while (rest !== "") {
    token.lastIndex = 0;
    const m = token.exec(rest);
    if (m === null) {
      throw new LessonError(file, line, `cannot read the fence options "${info.trim()}"`);
    }
    if (m[1] !== undefined) {
      if (m[1] in attrs) {
        throw new LessonError(file, line, `the fence option "${m[1]}" is given twice`);
      }
      attrs[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!;
    } else {
      if (m[4]!.includes('"')) {
        throw new LessonError(
          file,
          line,
          `cannot read the fence option ${m[4]} (unbalanced quote)`,
        );
      }
      words.push(m[4]!);
    }
    rest = rest.slice(m[0].length).trim();
  }
  return { words, attrs };
}

/** Classifies an info string; null means "displayed code, leave it to Markdown". */
function classify(info: string, file: string, line: number): Omit<Fence, "source"> | null {
  const { words, attrs } = parseInfo(info, file, line);
  const [lang, ...options] = words;
  if (lang !== "ts" && lang !== "md") return null;
  if (lang === "md") {
    if (options.length === 0 && Object.keys(attrs).length === 0) return null;
    if (options.length === 1 && options[0] === "hint" && Object.keys(attrs).length === 0) {
      return { kind: "fence", role: "hint", flags: [], attrs, line };
    }
    throw new LessonError(
      file,
      line,
      `unknown fence option "${[...options, ...Object.keys(attrs)].join(" ")}" on an md fence ` +
        `(use "md hint" for an exercise hint, or plain "md" for displayed Markdown source)`,
    );
  }
  const roles = options.filter((o) => TS_ROLES.has(o as FenceRole)) as FenceRole[];
  const unknown = options.filter((o) => !TS_ROLES.has(o as FenceRole) && !TS_FLAGS.has(o));
  if (unknown.length > 0) {
    throw new LessonError(
      file,
      line,
      `unknown fence option "${unknown[0]}" on a ts fence (known: hidden, norun, exercise, ` +
        `checks, tests, solution)`,
    );
  }
  if (roles.length > 1 || (roles.length === 1 && options.length > 1)) {
    throw new LessonError(file, line, `a ts fence cannot combine "${options.join(" ")}"`);
  }
  if (options.includes("hidden") && options.includes("norun")) {
    throw new LessonError(file, line, 'a ts fence cannot be both "hidden" and "norun"');
  }
  const role = roles[0] ?? "cell";
  if (role !== "exercise" && Object.keys(attrs).length > 0) {
    throw new LessonError(
      file,
      line,
      `unknown fence option "${
        Object.keys(attrs)[0]
      }=" (only "ts exercise" fences take key=value options)`,
    );
  }
  return { kind: "fence", role, flags: role === "cell" ? options : [], attrs, line };
}

/**
 * Splits body lines into prose and gradbook fences.
 *
 * @param lines The whole file's lines.
 * @param start 0-based index of the first body line.
 * @throws {LessonError} for an unclosed fence or unknown fence options, with the line.
 */
export function splitFences(lines: string[], start: number, file: string): Segment[] {
  const out: Segment[] = [];
  for (let i = start; i < lines.length; i++) {
    const text = lines[i]!;
    const open = OPEN.exec(text);
    if (open === null || (open[2]![0] === "`" && open[3]!.includes("`"))) {
      out.push({ kind: "prose", text, line: i + 1, code: false });
      continue;
    }
    const indent = open[1]!.length;
    const marker = open[2]!;
    const close = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    if (end >= lines.length) {
      throw new LessonError(
        file,
        i + 1,
        `the code fence opened here (${text.trim()}) is never closed with ${marker}`,
      );
    }
    const fence = classify(open[3]!, file, i + 1);
    const body = lines.slice(i + 1, end);
    if (fence === null) {
      out.push({ kind: "prose", text, line: i + 1, code: true });
      body.forEach((t, k) => out.push({ kind: "prose", text: t, line: i + 2 + k, code: true }));
      out.push({ kind: "prose", text: lines[end]!, line: end + 1, code: true });
    } else {
      const strip = new RegExp(`^ {0,${indent}}`);
      out.push({ ...fence, source: body.map((t) => t.replace(strip, "")).join("\n") });
    }
    i = end;
  }
  return out;
}
