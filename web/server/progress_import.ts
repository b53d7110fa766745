/**
 * Importing a learner's progress file without holding the server: the file (up to 16 MiB) is
 * parsed, validated, checked against the course and written to the database in a worker that
 * opens its own connection to the store's SQLite file (WAL mode, so the server keeps reading
 * meanwhile). The server's event loop only hands the text over and waits; the worker writes
 * everything in one transaction, so a learner sees all of the file or none of it.
 *
 * @module
 */
import {
  type ExportedAttempt,
  type ProgressExport,
  ProgressFileError,
} from "../../notebook/grader/gradebook.ts";
import type { Course } from "./course_cache.ts";
import { originalSources, runnableCellIds } from "./course_cache.ts";
import type { ImportCounts, Store } from "./store.ts";
import { fitScratchToLesson } from "../../notebook/course/scratch_cells.ts";
import { lessonCellIds } from "./scratch_routes.ts";

/** What a progress file is checked against in one lesson (plain data, so it crosses to a worker). */
export interface LessonOutline {
  /** Cells whose source a learner may edit. */
  editable: string[];
  /** Cells a learner runs (code cells and exercises). */
  runnable: string[];
  /** Every lesson cell id, in order (where scratch cells go; ids they may not take). */
  lessonCells: string[];
  /** Each exercise's number of hints and points, by exercise id. */
  exercises: Record<string, { hints: number; points: number }>;
}

/** A course as a progress import sees it: each lesson's outline, by slug, in course order. */
export type CourseOutline = Record<string, LessonOutline>;

const outlines = new WeakMap<Course, CourseOutline>();

/** The outline of a course (computed once per loaded course). */
export function outlineCourse(course: Course): CourseOutline {
  let outline = outlines.get(course);
  if (outline !== undefined) return outline;
  outline = {};
  for (const lesson of course.lessons) {
    const exercises: LessonOutline["exercises"] = {};
    for (const block of lesson.blocks) {
      if (block.kind !== "exercise") continue;
      exercises[block.id] = { hints: block.hintsHtml.length, points: block.points };
    }
    outline[lesson.slug] = {
      editable: [...originalSources(lesson).keys()],
      runnable: runnableCellIds(lesson),
      lessonCells: [...lessonCellIds(lesson)],
      exercises,
    };
  }
  outlines.set(course, outline);
  return outline;
}

/**
 * Refuses a file whose lessons, cells, exercises or hints this course does not have, a solution
 * revealed with no attempt (in the file or among `attemptsSoFar`), or an attempt scored out of
 * other points than its exercise's or above them; an attempt's score is recomputed from its
 * checks (the file is the learner's claim, not a grade).
 *
 * @param attemptsSoFar The number of attempts the store already holds at an exercise.
 * @throws {ProgressFileError} at the first thing the course does not allow.
 */
export function checkAgainstCourse(
  file: ProgressExport,
  course: CourseOutline,
  attemptsSoFar: (slug: string, exerciseId: string) => number = () => 0,
): void {
  for (const [slug, entry] of Object.entries(file.lessons)) {
    const lesson = Object.hasOwn(course, slug) ? course[slug] : undefined;
    if (lesson === undefined) {
      const known = Object.keys(course).map((s) => `"${s}"`).join(", ");
      throw new ProgressFileError(
        `The file has progress for the lesson "${slug}", which this course does not have ` +
          `(it has ${known || "no lessons"})`,
      );
    }
    const editable = new Set(lesson.editable);
    for (const cellId of Object.keys(entry.sources)) {
      if (!editable.has(cellId)) {
        throw new ProgressFileError(
          `The file has an edit of cell "${cellId}", which lesson "${slug}" does not have`,
        );
      }
    }
    if (entry.scratch !== undefined) {
      try {
        entry.scratch = fitScratchToLesson(entry.scratch, new Set(lesson.lessonCells));
      } catch (error) {
        throw new ProgressFileError(`lesson "${slug}": ${(error as Error).message}`);
      }
    }
    const runnable = new Set(lesson.runnable);
    const scratchIds = new Set(entry.scratch?.map((c) => c.id));
    for (const cellId of Object.keys(entry.widgets ?? {})) {
      if (!runnable.has(cellId) && !scratchIds.has(cellId)) {
        throw new ProgressFileError(
          `The file has widget values for cell "${cellId}", but lesson "${slug}" has no such runnable cell`,
        );
      }
    }
    for (const cellId of entry.cellsDone) {
      if (!runnable.has(cellId)) {
        throw new ProgressFileError(
          `The file says cell "${cellId}" ran, but lesson "${slug}" has no such runnable cell`,
        );
      }
    }
    for (const [exerciseId, exercise] of Object.entries(entry.exercises)) {
      const block = Object.hasOwn(lesson.exercises, exerciseId)
        ? lesson.exercises[exerciseId]
        : undefined;
      if (block === undefined) {
        throw new ProgressFileError(
          `The file has progress on exercise "${exerciseId}", which lesson "${slug}" does not have`,
        );
      }
      if (exercise.hintsUnlocked > block.hints) {
        throw new ProgressFileError(
          `The file unlocks ${exercise.hintsUnlocked} hints of exercise "${exerciseId}", which has ${block.hints}`,
        );
      }
      if (
        exercise.solutionRevealedAt !== null &&
        exercise.attempts.length + attemptsSoFar(slug, exerciseId) === 0
      ) {
        throw new ProgressFileError(
          `The file reveals the solution of exercise "${exerciseId}" with no attempt at it ` +
            `(a solution opens only after a first check)`,
        );
      }
      for (const attempt of exercise.attempts) {
        if (
          attempt.maxScore !== block.points ||
          !(attempt.score >= 0 && attempt.score <= block.points)
        ) {
          throw new ProgressFileError(
            `An attempt at exercise "${exerciseId}" scores ${attempt.score} of ${attempt.maxScore}, ` +
              `but the exercise is worth ${block.points} points`,
          );
        }
        attempt.score = scoreFromChecks(attempt, block.points);
      }
    }
  }
}

/** The score an attempt's own checks support: the exercise's points times the earned share. */
function scoreFromChecks(attempt: ExportedAttempt, points: number): number {
  if (attempt.status !== "graded") return 0;
  let earned = 0;
  let total = 0;
  for (const check of attempt.checks) {
    total += Math.max(0, check.points);
    if (check.passed) earned += Math.min(Math.max(0, check.earned), Math.max(0, check.points));
  }
  return total > 0 ? Math.round((points * earned / total) * 100) / 100 : 0;
}

/** What the server sends the import worker. */
export interface ImportRequest {
  /** The file, as text or as UTF-8 bytes (moved to the worker, not copied). */
  body: string | ArrayBuffer;
  /** The store's SQLite file, which the worker opens itself. */
  databasePath: string;
  course: CourseOutline;
}

/** What the import worker answers: `writing` once (before it writes), then counts or an error. */
export type ImportAnswer =
  | { phase: "writing" }
  | { counts: ImportCounts }
  | { error: string; isFileError: boolean };

/** Longest a progress file may take to be read and validated, before anything is written. */
const READ_TIMEOUT_MS = 120_000;

/**
 * Validates a progress file completely (format, types, sizes, forbidden keys, and this course's
 * lessons, cells and exercises), then merges it into the store in one transaction, all in a
 * worker on its own connection to the store's file. Pass the request's bytes rather than its
 * text where you can: an `ArrayBuffer` (or a `Uint8Array` spanning its whole buffer) is moved to
 * the worker and decoded there, so the server's thread neither decodes nor copies 16 MiB.
 *
 * @throws {ProgressFileError} before changing anything when the file is not valid.
 * @throws {TypeError} when the store is not in a file (an in-memory store has no second
 *   connection).
 */
export function importProgressText(
  store: Store,
  course: Course,
  file: string | ArrayBuffer | Uint8Array,
): Promise<ImportCounts> {
  if (store.path === ":memory:" || store.path === "") {
    return Promise.reject(
      new TypeError("A progress import needs a store in a file, but this store is in memory"),
    );
  }
  const body = typeof file === "string" || file instanceof ArrayBuffer
    ? file
    : file.byteOffset === 0 && file.byteLength === file.buffer.byteLength &&
        file.buffer instanceof ArrayBuffer
    ? file.buffer
    : file.slice().buffer;
  const request: ImportRequest = {
    body,
    databasePath: store.path,
    course: outlineCourse(course),
  };
  const worker = new Worker(new URL("./progress_import_worker.ts", import.meta.url), {
    type: "module",
  });
  return new Promise<ImportCounts>((resolve, reject) => {
    // NOTE: only reading may time out: a worker ended while it holds SQLite's write lock could
    // leave the lock held, so once it writes it runs to its end (one transaction, bounded work).
    const timer = setTimeout(() => {
      reject(new ProgressFileError("it took too long to read"));
      worker.terminate();
    }, READ_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<ImportAnswer>) => {
      const answer = event.data;
      clearTimeout(timer);
      if ("phase" in answer) return;
      worker.terminate();
      if ("counts" in answer) resolve(answer.counts);
      else if (answer.isFileError) reject(new ProgressFileError(answer.error));
      else reject(new Error(`The progress import failed: ${answer.error}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(`The progress import failed: ${event.message}`));
    };
    worker.postMessage(request, typeof body === "string" ? [] : [body]);
  });
}
