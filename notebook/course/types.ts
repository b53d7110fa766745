/**
 * Types of a parsed lesson, shared by the parser (`notebook/course/`), the kernel's headless runner, the
 * exercise grader and the web server. `Lesson` is the full server-side form; `PublicLesson` is
 * what may be sent to the browser (no hidden tests, no solutions).
 *
 * @module
 */

/** YAML front matter of a lesson. */
export interface LessonMeta {
  title: string;
  summary: string;
  objectives: string[];
  prerequisites: string[];
  minutes: number;
  order: number;
}

/** A runnable or display-only code cell. */
export interface CodeCell {
  kind: "code";
  /** Stable id within the lesson, e.g. "c7" (the n-th code fence). */
  id: string;
  source: string;
  /** `ts hidden`: runs, starts collapsed. */
  hidden: boolean;
  /** False for `ts norun`. */
  runnable: boolean;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

/** Markdown prose, already rendered to HTML on the server (KaTeX included). */
export interface MarkdownBlock {
  kind: "markdown";
  html: string;
  line: number;
}

/** An auto-graded exercise (full form, server only). */
export interface Exercise {
  kind: "exercise";
  /** Unique in the course. */
  id: string;
  title: string;
  points: number;
  promptHtml: string;
  /** The cell the learner edits. */
  starter: string;
  /** Checks shown to the learner (source of a `ts checks` fence), may be empty. */
  visibleChecks: string;
  /** Hidden tests (never sent to the browser). */
  tests: string;
  /** Progressive hints, rendered HTML. */
  hintsHtml: string[];
  /** Reference solution (never sent to the browser until revealed). */
  solution: string;
  line: number;
  /**
   * `withhold=`: gradbook functions the answer must not call (it is asked to write them); the
   * grader scores an answer that calls one 0, saying which.
   */
  withhold?: string[];
  /** `autodiff=required`: the answer must call `backward()` (a gradient written by hand scores 0). */
  autodiff?: boolean;
  /** Lines of the exercise's parts in the lesson file (first line of each fence's source). */
  partLines?: ExercisePartLines;
}

/** Where an exercise's parts are in the lesson file: the 1-based line of each fence's first
 * source line, so that an error in a test or the solution can name the lesson's own line. */
export interface ExercisePartLines {
  starter: number;
  checks?: number;
  tests: number;
  solution: number;
  hints: number[];
}

/** What the browser may see of an exercise. */
export interface PublicExercise {
  kind: "exercise";
  id: string;
  title: string;
  points: number;
  promptHtml: string;
  starter: string;
  visibleChecks: string;
  hintCount: number;
  line: number;
}

export type Block = MarkdownBlock | CodeCell | Exercise;
export type PublicBlock = MarkdownBlock | CodeCell | PublicExercise;

/** A parsed lesson. */
export interface Lesson {
  /** File name without extension, e.g. "01-optimization". */
  slug: string;
  /** Path of the source file, relative to the repository root. */
  file: string;
  meta: LessonMeta;
  blocks: Block[];
}

export interface PublicLesson {
  slug: string;
  meta: LessonMeta;
  blocks: PublicBlock[];
}

/** A lesson that failed to parse: names file and line. */
export class LessonError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "LessonError";
  }
}
