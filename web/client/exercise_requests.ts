/**
 * The exercise requests of a lesson page: check the exercise cell's code on the server, unlock
 * the next hint, reveal the solution; each answer updates the exercise's progress in the page.
 *
 * @module
 */
import type { CheckRequest, ExerciseResponse, HintRequest, LessonLink } from "../messages.ts";
import { appPath } from "./base_path.ts";
import type { Action, NotebookState } from "./state.ts";

/** Sends a lesson's exercise requests. */
export class ExerciseRequests {
  constructor(
    readonly slug: string,
    private readonly dispatch: (action: Action) => void,
    private readonly getState: () => NotebookState,
    /** The exercise cell's current code (its editor's, else the state's). */
    private readonly codeOf: (cellId: string) => string,
    /** Saves pending edits (a check saves the code it grades). */
    private readonly flush: () => Promise<void>,
    private readonly onLessonLink: (link: LessonLink) => void,
  ) {}

  async #request(
    exerciseId: string,
    action: "check" | "hints" | "solution",
    body: CheckRequest | HintRequest | Record<string, never>,
  ): Promise<void> {
    const url = appPath(
      `/api/lessons/${encodeURIComponent(this.slug)}/exercises/${
        encodeURIComponent(exerciseId)
      }/${action}`,
    );
    let message: string;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json() as ExerciseResponse | { error: string };
      if (response.ok && "progress" in answer) {
        this.dispatch({ type: "exerciseProgress", exerciseId, progress: answer.progress });
        this.onLessonLink(answer.link);
        return;
      }
      message = "error" in answer ? answer.error : `The server answered ${response.status}.`;
    } catch {
      message = "The server could not be reached; check that gradbook is still running.";
    }
    this.dispatch({ type: "exerciseFailed", exerciseId, message });
  }

  /** Grades the exercise cell's current code on the server (one check at a time). */
  async check(exerciseId: string): Promise<void> {
    if (this.getState().exercises[exerciseId]?.checking ?? true) return;
    const code = this.codeOf(exerciseId);
    this.dispatch({ type: "checkStarted", exerciseId, now: Date.now() });
    void this.flush();
    await this.#request(exerciseId, "check", { code });
  }

  /** Unlocks the next hint of an exercise. */
  async unlockHint(exerciseId: string): Promise<void> {
    const exercise = this.getState().exercises[exerciseId];
    if (exercise === undefined || exercise.unlocking) return;
    this.dispatch({ type: "unlockStarted", exerciseId });
    await this.#request(exerciseId, "hints", { index: exercise.progress.hintsHtml.length });
  }

  /** Reveals an exercise's solution (the server allows it after a first attempt). */
  async revealSolution(exerciseId: string): Promise<void> {
    const exercise = this.getState().exercises[exerciseId];
    if (exercise === undefined || exercise.unlocking) return;
    this.dispatch({ type: "unlockStarted", exerciseId });
    await this.#request(exerciseId, "solution", {});
  }
}
