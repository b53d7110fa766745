/**
 * Parses lessons (`lessons/*.md`) into typed blocks: rendered Markdown, code cells and
 * exercises. The format is documented for authors in `lessons/README.md`.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import { parseFrontMatter } from "./front_matter.ts";
import { type Fence, type FenceRole, type ProseLine, type Segment, splitFences } from "./fences.ts";
import { renderMarkdown } from "./render_markdown.ts";
import {
  type Block,
  type Exercise,
  type Lesson,
  LessonError,
  type PublicBlock,
  type PublicLesson,
} from "./types.ts";

export { renderMarkdown };

const EXERCISE_ID = /^[a-z0-9][a-z0-9-]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;

/** Turns buffered prose lines into a Markdown block (none if they are all blank). */
function proseBlock(lines: ProseLine[], file: string): Block[] {
  const first = lines.findIndex((l) => l.text.trim() !== "");
  if (first === -1) return [];
  const text = lines.slice(first).map((l) => l.text).join("\n");
  const line = lines[first]!.line;
  return [{ kind: "markdown", html: renderMarkdown(text, file, line), line }];
}

/** A name `withhold=` accepts: a dotted path into the `gradbook` module. */
const WITHHELD_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * Parses `id=... points=... title="..." withhold=a,b autodiff=required` on an exercise fence.
 */
function exerciseAttrs(
  fence: Fence,
  file: string,
): { id: string; points: number; title?: string; withhold: string[]; autodiff: boolean } {
  const { id, points, title, withhold, autodiff, ...rest } = fence.attrs;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw new LessonError(
      file,
      fence.line,
      `unknown exercise option "${unknown}" (known: id, points, title, withhold, autodiff)`,
    );
  }
  const names = withhold === undefined ? [] : withhold.split(",").map((n) => n.trim());
  const bad = names.find((n) => !WITHHELD_NAME.test(n) || n.startsWith("gradbook."));
  if (bad !== undefined || (withhold !== undefined && names.length === 0)) {
    throw new LessonError(
      file,
      fence.line,
      `withhold= takes gradbook names separated by commas, without spaces or the "gradbook." ` +
        `prefix (e.g. withhold=affineGrid,neuro.scaledDotProductAttention), got "${withhold}"`,
    );
  }
  if (autodiff !== undefined && autodiff !== "required") {
    throw new LessonError(
      file,
      fence.line,
      `autodiff= takes only "required" (the answer must call backward()), got "${autodiff}"`,
    );
  }
  if (id === undefined || !EXERCISE_ID.test(id)) {
    throw new LessonError(
      file,
      fence.line,
      `an exercise needs id=<lowercase-words-with-dashes>, got ${
        id === undefined ? "none" : `"${id}"`
      }`,
    );
  }
  const value = Number(points);
  if (points === undefined || !Number.isFinite(value) || value <= 0) {
    throw new LessonError(
      file,
      fence.line,
      `exercise "${id}" needs points=<a number above 0>, got ${points ?? "none"}`,
    );
  }
  return { id, points: value, title, withhold: names, autodiff: autodiff === "required" };
}

/**
 * Builds an exercise from its fence, the prose before it (heading + prompt) and the part fences
 * that follow it. Returns the blocks to emit and how many segments after the fence it used.
 */
function buildExercise(
  fence: Fence,
  prose: ProseLine[],
  rest: Segment[],
  file: string,
): { blocks: Block[]; used: number } {
  const { id, points, title, withhold, autodiff } = exerciseAttrs(fence, file);
  // The prompt is the prose after the last heading (outside displayed code) before the fence.
  let headingAt = -1;
  prose.forEach((l, i) => {
    if (!l.code && HEADING.test(l.text)) headingAt = i;
  });
  const prompt = prose.slice(headingAt + 1);
  const promptStart = prompt.findIndex((l) => l.text.trim() !== "");
  if (promptStart === -1) {
    throw new LessonError(
      file,
      fence.line,
      `exercise "${id}" has no prompt: write the task as Markdown between a heading and the fence`,
    );
  }
  const headingTitle = headingAt === -1 ? undefined : HEADING.exec(prose[headingAt]!.text)?.[2];
  const parts: Partial<Record<FenceRole, Fence[]>> = {};
  let used = 0;
  for (const segment of rest) {
    if (segment.kind === "prose" && segment.text.trim() === "") {
      used++;
      continue;
    }
    if (segment.kind !== "fence" || segment.role === "cell" || segment.role === "exercise") break;
    (parts[segment.role] ??= []).push(segment);
    used++;
  }
  // Trailing blank lines belong to whatever comes next.
  while (used > 0 && rest[used - 1]!.kind === "prose") used--;
  const one = (role: FenceRole, required: boolean): Fence | undefined => {
    const found = parts[role] ?? [];
    if (found.length > 1) {
      throw new LessonError(
        file,
        found[1]!.line,
        `exercise "${id}" has more than one ts ${role} fence`,
      );
    }
    if (required && found.length === 0) {
      throw new LessonError(
        file,
        fence.line,
        `exercise "${id}" has no ts ${role} fence (it must follow the exercise fence)`,
      );
    }
    return found[0];
  };
  const checks = one("checks", false);
  const tests = one("tests", true)!;
  const solution = one("solution", true)!;
  const hints = parts.hint ?? [];
  const fromHeading = headingTitle?.replace(/^exercise\s*[:.-]?\s*/i, "").trim();
  const resolvedTitle = title ??
    (fromHeading ? fromHeading[0]!.toUpperCase() + fromHeading.slice(1) : undefined);
  if (resolvedTitle === undefined || resolvedTitle === "") {
    throw new LessonError(
      file,
      fence.line,
      `exercise "${id}" needs title="..." or a heading above it`,
    );
  }
  const exercise: Exercise = {
    kind: "exercise",
    id,
    title: resolvedTitle,
    points,
    promptHtml: renderMarkdown(
      prompt.slice(promptStart).map((l) => l.text).join("\n"),
      file,
      prompt[promptStart]!.line,
    ),
    starter: fence.source,
    visibleChecks: checks?.source ?? "",
    tests: tests.source,
    hintsHtml: hints.map((h) => renderMarkdown(h.source, file, h.line + 1)),
    solution: solution.source,
    line: fence.line,
    ...(withhold.length > 0 ? { withhold } : {}),
    ...(autodiff ? { autodiff } : {}),
    partLines: {
      starter: fence.line + 1,
      ...(checks ? { checks: checks.line + 1 } : {}),
      tests: tests.line + 1,
      solution: solution.line + 1,
      hints: hints.map((h) => h.line + 1),
    },
  };
  return { blocks: [...proseBlock(prose.slice(0, headingAt + 1), file), exercise], used };
}

/**
 * Parses one lesson.
 *
 * @param source The lesson's Markdown with YAML front matter.
 * @param file The path to name in errors and to store in `Lesson.file`.
 * @throws {LessonError} with file and 1-based line for any malformed part.
 *
 * @example
 * ```ts
 * import { parseLesson } from "./parse_lesson.ts";
 * const fence = "`".repeat(3);
 * const lesson = parseLesson(
 *   `---\ntitle: T\nsummary: S\nobjectives: [a]\nminutes: 5\norder: 1\n---\n# Hi\n${fence}ts\n1 + 1\n${fence}\n`,
 *   "lessons/01-t.md",
 * );
 * if (lesson.blocks[1]?.kind !== "code" || lesson.blocks[1].id !== "c1") throw new Error("bad");
 * ```
 */
export function parseLesson(source: string, file: string): Lesson {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const { meta, bodyStart } = parseFrontMatter(lines, file);
  const segments = splitFences(lines, bodyStart, file);
  const blocks: Block[] = [];
  let prose: ProseLine[] = [];
  let cellCount = 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "prose") {
      prose.push(segment);
      continue;
    }
    if (segment.role === "cell") {
      blocks.push(...proseBlock(prose, file));
      prose = [];
      cellCount++;
      blocks.push({
        kind: "code",
        id: `c${cellCount}`,
        source: segment.source,
        hidden: segment.flags.includes("hidden"),
        runnable: !segment.flags.includes("norun"),
        line: segment.line,
      });
    } else if (segment.role === "exercise") {
      const built = buildExercise(segment, prose, segments.slice(i + 1), file);
      blocks.push(...built.blocks);
      prose = [];
      i += built.used;
    } else {
      throw new LessonError(
        file,
        segment.line,
        `a ts ${segment.role === "hint" ? "md hint" : segment.role} fence must follow a ` +
          `"ts exercise" fence (only blank lines and other exercise parts in between)`,
      );
    }
  }
  blocks.push(...proseBlock(prose, file));
  return { slug: basename(file).replace(/\.md$/, ""), file, meta, blocks };
}

/** Reads and parses one lesson file. @throws {LessonError} as `parseLesson` does. */
export async function parseLessonFile(path: string): Promise<Lesson> {
  return parseLesson(await Deno.readTextFile(path), path);
}

/**
 * Loads every lesson (`*.md` except `README.md`) in `dir`, sorted by front matter `order`
 * (then slug). A lesson that fails to parse is reported in `errors` and the others still load;
 * an exercise id used twice in the course is reported at its second use.
 */
export async function loadCourse(
  dir = "lessons",
): Promise<{ lessons: Lesson[]; errors: LessonError[] }> {
  const lessons: Lesson[] = [];
  const errors: LessonError[] = [];
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".md") && entry.name !== "README.md") {
      names.push(entry.name);
    }
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    const rel = relative(Deno.cwd(), path);
    const file = rel.startsWith("..") ? path : rel;
    try {
      lessons.push(parseLesson(await Deno.readTextFile(path), file));
    } catch (error) {
      if (!(error instanceof LessonError)) throw error;
      errors.push(error);
    }
  }
  lessons.sort((a, b) => a.meta.order - b.meta.order || a.slug.localeCompare(b.slug));
  const seen = new Map<string, string>();
  for (const lesson of lessons) {
    for (const block of lesson.blocks) {
      if (block.kind !== "exercise") continue;
      const first = seen.get(block.id);
      if (first !== undefined) {
        errors.push(
          new LessonError(
            lesson.file,
            block.line,
            `the exercise id "${block.id}" is already used at ${first}; ids must be unique in the course`,
          ),
        );
      } else seen.set(block.id, `${lesson.file}:${block.line}`);
    }
  }
  return { lessons, errors };
}

/**
 * What the browser may see of a lesson: no hidden tests, no solution, no hint text (only how
 * many hints there are), no server file path. Fields are copied one by one, so a field added to
 * `Exercise` later is not leaked by accident.
 */
export function toPublicLesson(lesson: Lesson): PublicLesson {
  const blocks: PublicBlock[] = lesson.blocks.map((block): PublicBlock => {
    if (block.kind !== "exercise") return { ...block };
    return {
      kind: "exercise",
      id: block.id,
      title: block.title,
      points: block.points,
      promptHtml: block.promptHtml,
      starter: block.starter,
      visibleChecks: block.visibleChecks,
      hintCount: block.hintsHtml.length,
      line: block.line,
    };
  });
  return { slug: lesson.slug, meta: structuredClone(lesson.meta), blocks };
}
