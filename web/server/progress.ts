/**
 * A learner's progress as the server shows and moves it: per-lesson links with cells run and
 * exercise points, each exercise's progress as the browser may see it (only unlocked hints; the
 * solution only once revealed; never the hidden tests), and the progress export and import.
 *
 * @module
 */
import {
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  type ProgressExport,
} from "../../notebook/grader/gradebook.ts";
import { findExercise } from "../../notebook/grader/grade.ts";
import type { Lesson } from "../../notebook/course/types.ts";
import type { Course } from "./course_cache.ts";
import { runnableCellIds } from "./course_cache.ts";
import type { ExerciseProgress, LessonLink } from "../messages.ts";
import { capRevealed } from "../../notebook/grader/score.ts";
import type { Store } from "./store.ts";

// The import moved to its own module (a worker writes it); routes still import it from here.
export { importProgressText } from "./progress_import.ts";

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
