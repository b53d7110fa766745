/**
 * The server side of exercises: "Check" grades the learner's code in a fresh kernel (never the
 * notebook's), one check at a time per exercise and a few at a time overall, and records every
 * attempt; hints unlock one at a time; the solution is revealed only after a first attempt.
 *
 * @module
 */
import { capRevealed, REVEALED_SOLUTION_RULE } from "../../notebook/grader/score.ts";
import type { Lesson } from "../../notebook/course/types.ts";
import { findExercise, gradeExercise, type GradeOptions } from "../../notebook/grader/grade.ts";
import { exportedCheck } from "../../notebook/grader/gradebook.ts";
import { KernelProcess } from "../../notebook/kernel/kernel_process.ts";
import type { ExerciseProgress } from "../messages.ts";
import { exerciseProgress } from "./progress.ts";
import type { Store } from "./store.ts";

/** The longest exercise answer accepted, in characters. */
export const MAX_ANSWER_CHARS = 256 * 1024;

/** A request the exercise routes refuse, with the HTTP status to answer. */
export class RouteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "RouteError";
  }
}

/** Options of {@link ExerciseGrader}. */
export interface ExerciseGraderOptions {
  /** Per-cell time limit of a grading run in ms (default 60 s). */
  cellTimeoutMs?: number;
  /** Makes a grading kernel (default: a fresh `KernelProcess` with the grader's limits). */
  createKernel?: GradeOptions["createKernel"];
  /** Grading runs at once over all exercises; more wait their turn (default 2). */
  maxConcurrent?: number;
}

type GradingKernel = ReturnType<NonNullable<GradeOptions["createKernel"]>>;

/** Grades exercises for the notebook server and records attempts, hints and reveals. */
export class ExerciseGrader {
  readonly #inFlight = new Set<string>();
  readonly #kernels = new Set<GradingKernel>();
  readonly #queue: (() => void)[] = [];
  #running = 0;
  #closed = false;

  constructor(
    private readonly store: Store,
    private readonly options: ExerciseGraderOptions = {},
  ) {}

  async #slot(): Promise<() => void> {
    if (this.#running >= (this.options.maxConcurrent ?? 2)) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
    this.#running++;
    return () => {
      this.#running--;
      this.#queue.shift()?.();
    };
  }

  #createKernel: NonNullable<GradeOptions["createKernel"]> = (limits) => {
    const defined = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
    const kernel = this.options.createKernel?.(limits) ?? new KernelProcess(defined);
    this.#kernels.add(kernel);
    return {
      start: () => kernel.start(),
      execute: (cellId, code, onEvent, options) => kernel.execute(cellId, code, onEvent, options),
      shutdown: async () => {
        this.#kernels.delete(kernel);
        await kernel.shutdown();
      },
    };
  };

  /**
   * Grades `code` as the answer to an exercise, records the attempt, and returns the progress.
   *
   * @throws {RouteError} 404 for an unknown exercise, 400 for a bad answer, 409 while the same
   * exercise is already being checked.
   */
  async check(lesson: Lesson, exerciseId: string, code: unknown): Promise<ExerciseProgress> {
    this.#exercise(lesson, exerciseId);
    if (typeof code !== "string") {
      throw new RouteError(400, 'The body needs "code": the exercise cell\'s source as a string');
    }
    if (code.length > MAX_ANSWER_CHARS) {
      throw new RouteError(
        400,
        `The answer is ${code.length} characters long, more than the limit of ${MAX_ANSWER_CHARS}`,
      );
    }
    const key = `${lesson.slug}\u0000${exerciseId}`;
    if (this.#inFlight.has(key)) {
      throw new RouteError(409, "This exercise is already being checked; wait for its result.");
    }
    this.#inFlight.add(key);
    try {
      const release = await this.#slot();
      try {
        if (this.#closed) throw new RouteError(503, "The server is stopping; check again later.");
        const createdAt = Date.now();
        const result = await gradeExercise(lesson, exerciseId, code, {
          cellTimeoutMs: this.options.cellTimeoutMs ?? 60_000,
          createKernel: this.#createKernel,
        });
        if (this.#closed) throw new RouteError(503, "The server stopped while checking.");
        // The stated rule: after a reveal, the exercise counts for at most half its points.
        const revealed = this.store.unlocks(lesson.slug).get(exerciseId)?.solutionRevealedAt;
        const cap = capRevealed(result.score, result.maxScore, revealed != null);
        if (cap.capped) {
          result.message += ` You revealed the solution, so this exercise scores at most ` +
            `${cap.score}/${result.maxScore}: ${REVEALED_SOLUTION_RULE}`;
          result.score = cap.score;
        }
        this.store.recordAttempt(lesson.slug, {
          exerciseId,
          createdAt,
          source: code,
          status: result.status,
          score: result.score,
          maxScore: result.maxScore,
          checks: result.checks.map(exportedCheck),
          message: result.message,
        });
      } finally {
        release();
      }
    } finally {
      this.#inFlight.delete(key);
    }
    return exerciseProgress(lesson, exerciseId, this.store);
  }

  /**
   * Unlocks hints up to `index` (0-based): only the next locked one may be asked for.
   *
   * @throws {RouteError} 400 for an index out of range, 409 when an earlier hint is locked.
   */
  unlockHint(lesson: Lesson, exerciseId: string, index: unknown): ExerciseProgress {
    const exercise = this.#exercise(lesson, exerciseId);
    const count = exercise.hintsHtml.length;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) {
      throw new RouteError(
        400,
        `"index" must be a whole number from 0 to ${count - 1} (this exercise has ${count} ` +
          `hint${count === 1 ? "" : "s"}), got ${JSON.stringify(index)}`,
      );
    }
    const unlocked = this.store.unlocks(lesson.slug).get(exerciseId)?.hintsUnlocked ?? 0;
    if (index > unlocked) {
      throw new RouteError(409, `Unlock hint ${unlocked + 1} before hint ${index + 1}.`);
    }
    this.store.unlockHints(lesson.slug, exerciseId, index + 1);
    return exerciseProgress(lesson, exerciseId, this.store);
  }

  /**
   * Reveals the solution and records when; only after a first attempt.
   *
   * @throws {RouteError} 409 before the first attempt.
   */
  revealSolution(lesson: Lesson, exerciseId: string): ExerciseProgress {
    this.#exercise(lesson, exerciseId);
    if (this.store.attempts(lesson.slug, exerciseId).length === 0) {
      throw new RouteError(
        409,
        "Check your answer at least once before revealing the solution.",
      );
    }
    this.store.revealSolution(lesson.slug, exerciseId, Date.now());
    return exerciseProgress(lesson, exerciseId, this.store);
  }

  #exercise(lesson: Lesson, exerciseId: string) {
    try {
      return findExercise(lesson, exerciseId).exercise;
    } catch {
      throw new RouteError(404, `Lesson "${lesson.slug}" has no exercise "${exerciseId}"`);
    }
  }

  /** Stops every grading kernel; checks still running answer 503 and record nothing. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const resolve of this.#queue.splice(0)) resolve();
    await Promise.allSettled([...this.#kernels].map((k) => k.shutdown()));
    this.#kernels.clear();
  }
}
