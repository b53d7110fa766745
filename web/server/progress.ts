/**
 * A learner's progress as the server shows and moves it: per-lesson links with cells run and
 * exercise points, each exercise's progress as the browser may see it (only unlocked hints; the
 * solution only once revealed; never the hidden tests), and the progress export and import.
 *
 * @module
 */
import {
  type ExportedAttempt,
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  type ProgressExport,
  ProgressFileError,
} from "../../notebook/grader/gradebook.ts";
import { findExercise } from "../../notebook/grader/grade.ts";
import type { Lesson } from "../../notebook/course/types.ts";
import type { Course } from "./course_cache.ts";
import { originalSources, runnableCellIds } from "./course_cache.ts";
import { fitScratchToLesson } from "../../notebook/course/scratch_cells.ts";
import { lessonCellIds } from "./scratch_routes.ts";
import type { ExerciseProgress, LessonLink } from "../messages.ts";
import { capRevealed } from "../../notebook/grader/score.ts";
import type { ImportCounts, Store } from "./store.ts";

/** Lessons in order with their progress: cells run and exercise points (best attempt each). */
export function lessonLinks(course: Course, store: Store): LessonLink[] {
  const done = store.cellsDone();
  const scores = store.exerciseScores();
  return course.lessons.map((lesson) => {
    const ids = runnableCellIds(lesson);
    const doneHere = done.get(lesson.slug);
    const scoresHere = scores.get(lesson.slug);
    const revealedHere = store.unlocks(lesson.slug);
    let pointsTotal = 0;
    let pointsEarned = 0;
    let exerciseCount = 0;
    for (const block of lesson.blocks) {
      if (block.kind !== "exercise") continue;
      exerciseCount++;
      pointsTotal += block.points;
      const best = Math.min(block.points, scoresHere?.get(block.id)?.best ?? 0);
      const revealed = revealedHere.get(block.id)?.solutionRevealedAt != null;
      pointsEarned += capRevealed(best, block.points, revealed).score;
    }
    return {
      slug: lesson.slug,
      title: lesson.meta.title,
      summary: lesson.meta.summary,
      minutes: lesson.meta.minutes,
      order: lesson.meta.order,
      cellCount: ids.length,
      cellsDone: ids.filter((id) => doneHere?.has(id) ?? false).length,
      exerciseCount,
      pointsTotal,
      pointsEarned: Math.round(pointsEarned * 100) / 100,
    };
  });
}

/** The progress on one exercise that the browser may see. */
export function exerciseProgress(
  lesson: Lesson,
  exerciseId: string,
  store: Store,
): ExerciseProgress {
  const { exercise } = findExercise(lesson, exerciseId);
  const attempts = store.attempts(lesson.slug, exerciseId);
  const unlocks = store.unlocks(lesson.slug).get(exerciseId);
  const newest = attempts[attempts.length - 1];
  const revealedAt = unlocks?.solutionRevealedAt ?? null;
  return {
    attempts: attempts.length,
    // A revealed solution caps the exercise, earlier attempts included (REVEALED_SOLUTION_CAP).
    bestScore: attempts.length === 0
      ? null
      : capRevealed(Math.max(...attempts.map((a) => a.score)), exercise.points, revealedAt !== null)
        .score,
    last: newest === undefined ? null : (({ source: _, exerciseId: __, ...view }) => view)(newest),
    hintsHtml: exercise.hintsHtml.slice(0, unlocks?.hintsUnlocked ?? 0),
    solution: revealedAt === null ? null : exercise.solution,
    solutionRevealedAt: revealedAt,
  };
}

/** The progress on every exercise of a lesson, by exercise id. */
export function lessonExercises(lesson: Lesson, store: Store): Record<string, ExerciseProgress> {
  const views: Record<string, ExerciseProgress> = {};
  for (const block of lesson.blocks) {
    if (block.kind === "exercise") views[block.id] = exerciseProgress(lesson, block.id, store);
  }
  return views;
}

/** Builds the progress export file of everything in the store. */
export function buildProgressExport(store: Store, learner?: string): ProgressExport {
  const name = learner?.trim();
  return {
    format: PROGRESS_FORMAT,
    version: PROGRESS_VERSION,
    exportedAt: new Date().toISOString(),
    ...(name ? { learner: name } : {}),
    lessons: store.exportLessons(),
  };
}

/**
 * Refuses a file whose lessons, cells, exercises or hints this course does not have, a solution
 * revealed with no attempt (in the file or the store), or an attempt scored out of other points
 * than its exercise's or above them; an attempt's score is recomputed from its checks (the file
 * is the learner's claim, not a grade).
 */
export function checkAgainstCourse(file: ProgressExport, course: Course, store?: Store): void {
  const lessons = new Map(course.lessons.map((l) => [l.slug, l]));
  for (const [slug, entry] of Object.entries(file.lessons)) {
    const lesson = lessons.get(slug);
    if (lesson === undefined) {
      throw new ProgressFileError(
        `The file has progress for the lesson "${slug}", which this course does not have ` +
          `(it has ${[...lessons.keys()].map((s) => `"${s}"`).join(", ") || "no lessons"})`,
      );
    }
    const editable = originalSources(lesson);
    for (const cellId of Object.keys(entry.sources)) {
      if (!editable.has(cellId)) {
        throw new ProgressFileError(
          `The file has an edit of cell "${cellId}", which lesson "${slug}" does not have`,
        );
      }
    }
    if (entry.scratch !== undefined) {
      try {
        entry.scratch = fitScratchToLesson(entry.scratch, lessonCellIds(lesson));
      } catch (error) {
        throw new ProgressFileError(`lesson "${slug}": ${(error as Error).message}`);
      }
    }
    const runnable = new Set(runnableCellIds(lesson));
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
      const block = lesson.blocks.find((b) => b.kind === "exercise" && b.id === exerciseId);
      if (block?.kind !== "exercise") {
        throw new ProgressFileError(
          `The file has progress on exercise "${exerciseId}", which lesson "${slug}" does not have`,
        );
      }
      if (exercise.hintsUnlocked > block.hintsHtml.length) {
        throw new ProgressFileError(
          `The file unlocks ${exercise.hintsUnlocked} hints of exercise "${exerciseId}", which has ${block.hintsHtml.length}`,
        );
      }
      const earlier = store?.attempts(slug, exerciseId).length ?? 0;
      if (exercise.solutionRevealedAt !== null && exercise.attempts.length + earlier === 0) {
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

/**
 * Validates a progress file completely (format, types, sizes, forbidden keys, and this course's
 * lessons, cells and exercises), then merges it into the store in one transaction.
 *
 * @throws {ProgressFileError} before changing anything when the file is not valid.
 */
export async function importProgressText(
  store: Store,
  course: Course,
  text: string,
): Promise<ImportCounts> {
  const file = await parseOffThread(text);
  checkAgainstCourse(file, course, store);
  return store.importProgress(file);
}

/** Longest a progress file may take to parse and validate in its worker. */
const PARSE_TIMEOUT_MS = 120_000;

/** `parseProgressExport` in a worker, so the server keeps answering meanwhile. */
function parseOffThread(text: string): Promise<ProgressExport> {
  const worker = new Worker(new URL("./progress_worker.ts", import.meta.url), { type: "module" });
  return new Promise<ProgressExport>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ProgressFileError("it took too long to read")),
      PARSE_TIMEOUT_MS,
    );
    worker.onmessage = (event: MessageEvent) => {
      clearTimeout(timer);
      const answer = event.data as { file?: ProgressExport; error?: string; isFileError?: boolean };
      if (answer.file !== undefined) resolve(answer.file);
      else if (answer.isFileError) reject(new ProgressFileError(String(answer.error)));
      else reject(new Error(String(answer.error)));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(new Error(`Could not read the progress file: ${event.message}`));
    };
    worker.postMessage(text);
  }).finally(() => worker.terminate());
}
