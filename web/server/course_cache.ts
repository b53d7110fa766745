/**
 * The course as the server serves it: `loadCourse()` re-run only when a lesson file changes
 * (names, sizes and modification times), so authors see edits on reload without a restart.
 *
 * @module
 */
import { join } from "node:path";
import { loadCourse, toPublicLesson } from "../../notebook/course/parse_lesson.ts";
import type { Lesson, LessonError, PublicLesson } from "../../notebook/course/types.ts";

/** A loaded course. */
export interface Course {
  lessons: Lesson[];
  errors: LessonError[];
  /** Public form of each lesson, by slug. */
  publicLessons: Map<string, PublicLesson>;
}

/** Ids of the cells a learner runs in a lesson (runnable code cells and exercises). */
export function runnableCellIds(lesson: Lesson | PublicLesson): string[] {
  const ids: string[] = [];
  for (const block of lesson.blocks) {
    if (block.kind === "code" && block.runnable) ids.push(block.id);
    else if (block.kind === "exercise") ids.push(block.id);
  }
  return ids;
}

/** Original source of every editable cell of a lesson, by cell id. */
export function originalSources(lesson: Lesson | PublicLesson): Map<string, string> {
  const sources = new Map<string, string>();
  for (const block of lesson.blocks) {
    if (block.kind === "code") sources.set(block.id, block.source);
    else if (block.kind === "exercise") sources.set(block.id, block.starter);
  }
  return sources;
}

/**
 * Drops a lesson's leading `# Title` heading when it repeats the front matter title, which the
 * page already shows in its header.
 */
export function dropTitleHeading(lesson: PublicLesson): PublicLesson {
  const first = lesson.blocks[0];
  if (first?.kind !== "markdown") return lesson;
  const match = first.html.match(/^\s*<h1[^>]*>([\s\S]*?)<\/h1>\s*/);
  if (match === null) return lesson;
  const text = match[1]!.replace(/<[^>]*>/g, "").replace(/&amp;/g, "&").trim();
  if (text !== lesson.meta.title.trim()) return lesson;
  const html = first.html.slice(match[0].length);
  const rest = lesson.blocks.slice(1);
  return { ...lesson, blocks: html.trim() === "" ? rest : [{ ...first, html }, ...rest] };
}

/** Loads the lessons of a folder, reloading when its Markdown files change. */
export class CourseCache {
  #signature = "";
  #course: Course | null = null;
  #loading: Promise<Course> | null = null;

  constructor(readonly dir: string) {}

  async #signatureNow(): Promise<string> {
    const parts: string[] = [];
    for await (const entry of Deno.readDir(this.dir)) {
      if (!entry.isFile || !entry.name.endsWith(".md")) continue;
      const info = await Deno.stat(join(this.dir, entry.name));
      parts.push(`${entry.name}:${info.size}:${info.mtime?.getTime() ?? 0}`);
    }
    return parts.sort().join("|");
  }

  /** The current course, reloaded if a lesson file changed since the last call. */
  /** The course as last loaded (null before the first {@link get}), without checking files. */
  peek(): Course | null {
    return this.#course;
  }

  async get(): Promise<Course> {
    const signature = await this.#signatureNow();
    if (this.#course !== null && signature === this.#signature) return this.#course;
    if (this.#loading === null) {
      this.#loading = (async () => {
        const { lessons, errors } = await loadCourse(this.dir);
        const publicLessons = new Map(
          lessons.map((l) => [l.slug, dropTitleHeading(toPublicLesson(l))]),
        );
        return { lessons, errors, publicLessons };
      })();
    }
    try {
      this.#course = await this.#loading;
      this.#signature = signature;
      return this.#course;
    } finally {
      this.#loading = null;
    }
  }
}
