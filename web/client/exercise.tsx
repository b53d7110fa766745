/**
 * An exercise: title, points, prompt, the learner's cell, and the grading panel: Check (graded
 * on the server in a fresh kernel), the result of every check with its points and feedback,
 * hints unlocked one at a time, and the solution once revealed after a first attempt.
 *
 * @module
 */
import { memo } from "preact/compat";
import { useState } from "preact/hooks";
import type { PublicExercise } from "../../notebook/course/types.ts";
import { type AttemptView, formatPoints } from "../messages.ts";
import { REVEALED_SOLUTION_CAP, REVEALED_SOLUTION_RULE } from "../../notebook/grader/score.ts";
import { CodeCell, type CodeCellProps, Elapsed } from "./cell.tsx";
import type { ExerciseView } from "./state.ts";

/** Props of {@link ExerciseBlock}. */
export interface ExerciseProps extends CodeCellProps {
  exercise: PublicExercise;
  view: ExerciseView;
}

const STATUS_TITLES: Record<AttemptView["status"], string> = {
  graded: "",
  "syntax-error": "Your code does not parse",
  timeout: "Your code ran out of time",
  crash: "Your code stopped with an error",
  "setup-error": "The lesson's setup failed (not your answer)",
  "tests-error": "The checks could not run",
};

/** The heading of a result: what happened, in a few words. */
export function resultTitle(result: AttemptView): string {
  if (result.status !== "graded") return STATUS_TITLES[result.status];
  const passed = result.checks.filter((c) => c.passed).length;
  if (passed === result.checks.length) return `All ${passed} checks passed`;
  return `${passed} of ${result.checks.length} checks passed`;
}

function Result({ result }: { result: AttemptView }) {
  const full = result.status === "graded" && result.score >= result.maxScore;
  const icon = full
    ? "✓"
    : result.status === "timeout"
    ? "⏱"
    : result.status === "graded"
    ? "✗"
    : "!";
  return (
    <div
      class={`exercise-result status-${result.status}${full ? " full" : ""}`}
      role="status"
      aria-live="polite"
    >
      <div class="result-head">
        <span class="result-icon" aria-hidden="true">{icon}</span>
        <strong class="result-title">{resultTitle(result)}</strong>
        <span class="result-score">{formatPoints(result.score, result.maxScore)}</span>
      </div>
      {result.status !== "graded" && <p class="result-message">{result.message}</p>}
      {result.checks.length > 0 && (
        <ul class="result-checks">
          {result.checks.map((check, index) => (
            <li key={index} class={`check ${check.passed ? "passed" : "failed"}`}>
              <span class="check-icon" aria-label={check.passed ? "passed" : "failed"}>
                {check.passed ? "✓" : "✗"}
              </span>
              <span class="check-name">{check.name}</span>
              <span
                class="check-kind"
                title={check.visible ? "An example check you can read above" : "A hidden test"}
              >
                {check.visible ? "example" : "hidden"}
              </span>
              <span class="check-points">{formatPoints(check.earned, check.points)}</span>
              {!check.passed && check.message !== "" && (
                <pre class="check-message">{check.message}</pre>
              )}
            </li>
          ))}
        </ul>
      )}
      {result.status === "graded" && !full && (
        <p class="result-next">Fix what failed, then press Check again.</p>
      )}
    </div>
  );
}

/** One exercise with its grading panel. */
export const ExerciseBlock = memo(function ExerciseBlock(
  { exercise, view, cell, active, controller, freshness = null }: ExerciseProps,
) {
  const [confirming, setConfirming] = useState(false);
  const { progress } = view;
  const hintsLeft = view.hintCount - progress.hintsHtml.length;
  const attempted = progress.attempts > 0;
  return (
    <section
      class={`exercise${view.checking ? " checking" : ""}`}
      id={`exercise-${exercise.id}`}
      data-exercise-id={exercise.id}
    >
      <header class="exercise-head">
        <span class="exercise-tag">Exercise</span>
        <h3>{exercise.title}</h3>
        <span
          class={`exercise-points${
            progress.bestScore !== null && progress.bestScore >= exercise.points ? " complete" : ""
          }`}
          title={attempted ? "Your best score" : "Points for this exercise"}
        >
          {progress.bestScore === null
            ? `${exercise.points} point${exercise.points === 1 ? "" : "s"}`
            : `Best ${formatPoints(progress.bestScore, exercise.points)}`}
        </span>
      </header>
      <div
        class="prose exercise-prompt"
        dangerouslySetInnerHTML={{ __html: exercise.promptHtml }}
      />
      <CodeCell cell={cell} active={active} controller={controller} freshness={freshness} />
      {exercise.visibleChecks.trim() !== "" && (
        <details class="exercise-checks">
          <summary>Example checks</summary>
          <pre>{exercise.visibleChecks}</pre>
        </details>
      )}
      <div class="exercise-actions">
        <button
          type="button"
          class="button primary check-button"
          disabled={view.checking}
          aria-busy={view.checking}
          title="Grade your code in a fresh kernel: the example checks and the hidden tests"
          onClick={() => void controller.check(exercise.id)}
        >
          {view.checking
            ? (
              <>
                <span class="spinner" aria-hidden="true" /> Checking{" "}
                <Elapsed since={view.checkStartedAt ?? Date.now()} />
              </>
            )
            : "Check"}
        </button>
        {hintsLeft > 0 && (
          <button
            type="button"
            class="button ghost hint-button"
            disabled={view.unlocking}
            onClick={() => void controller.unlockHint(exercise.id)}
          >
            {progress.hintsHtml.length === 0 ? "Show a hint" : "Show the next hint"}{" "}
            <span class="muted">
              ({progress.hintsHtml.length + 1} of {view.hintCount})
            </span>
          </button>
        )}
        {progress.solution === null && !confirming && (
          <button
            type="button"
            class="button ghost solution-button"
            disabled={!attempted || view.unlocking}
            title={attempted
              ? `Show the reference solution (noted in your progress). ${REVEALED_SOLUTION_RULE}`
              : "Check your answer once before you can reveal the solution"}
            onClick={() => setConfirming(true)}
          >
            Reveal solution
          </button>
        )}
        {progress.solution === null && !confirming && (
          <span class="solution-rule muted">{REVEALED_SOLUTION_RULE}</span>
        )}
        {confirming && progress.solution === null && (
          <span class="confirm">
            Reveal it? This is noted in your progress, and this exercise will count for at most{" "}
            {REVEALED_SOLUTION_CAP * 100}% of its points.
            <button
              type="button"
              class="button danger confirm-reveal"
              onClick={() => {
                setConfirming(false);
                void controller.revealSolution(exercise.id);
              }}
            >
              Reveal
            </button>
            <button type="button" class="button ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        )}
        <span class="attempts muted">
          {attempted
            ? `${progress.attempts} attempt${progress.attempts === 1 ? "" : "s"}`
            : "Not checked yet"}
        </span>
      </div>
      {view.error !== null && <p class="exercise-error" role="alert">{view.error}</p>}
      {progress.last !== null && !view.checking && <Result result={progress.last} />}
      {progress.hintsHtml.length > 0 && (
        <ol class="exercise-hints">
          {progress.hintsHtml.map((html, index) => (
            <li key={index} class="hint">
              <span class="hint-label">Hint {index + 1}</span>
              <div class="prose" dangerouslySetInnerHTML={{ __html: html }} />
            </li>
          ))}
        </ol>
      )}
      {progress.solution !== null && (
        <div class="exercise-solution">
          <div class="solution-head">
            <strong>Reference solution</strong>
            <span class="muted">
              revealed {progress.solutionRevealedAt === null
                ? ""
                : new Date(progress.solutionRevealedAt).toLocaleString()}; noted in your progress;
              this exercise now counts for at most {REVEALED_SOLUTION_CAP * 100}% of its points
            </span>
          </div>
          <pre><code>{progress.solution}</code></pre>
        </div>
      )}
    </section>
  );
});
