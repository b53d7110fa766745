/**
 * The course index page: every lesson in order with its progress, errors of lessons that could
 * not be loaded, and the progress file's export and import forms.
 *
 * @module
 */
import { renderToString } from "preact-render-to-string";
import type { LessonError } from "../../notebook/course/types.ts";
import { formatPoints, type LessonLink } from "../messages.ts";
import { type AssetUrls, Document, lessonUrl, Meter, Points, Sidebar } from "./page_shell.tsx";

function CourseErrors({ errors }: { errors: LessonError[] }) {
  if (errors.length === 0) return null;
  return (
    <section class="course-errors" role="alert">
      <h2>
        {errors.length === 1
          ? "A lesson could not be loaded"
          : `${errors.length} lessons could not be loaded`}
      </h2>
      <ul>
        {errors.map((error) => (
          <li key={error.message}>
            <code>{error.message}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A message at the top of the index page (e.g. after an import). */
export interface PageNotice {
  ok: boolean;
  text: string;
}

/** Export (with an optional name) and import of progress, as plain HTML forms. */
function ProgressForms({ base }: { base: string }) {
  return (
    <section class="progress-panel" id="progress" aria-labelledby="progress-title">
      <h2 id="progress-title">Your progress</h2>
      <p class="muted">
        Your edits, cells run, exercise attempts and hints are saved on this computer. Move them to
        another one, or hand in your work, as one JSON file.
      </p>
      <div class="progress-forms">
        <form class="progress-form" method="get" action={`${base}api/progress/export`}>
          <label>
            <span>Your name (optional)</span>
            <input type="text" name="learner" maxLength={200} placeholder="e.g. Ada Lovelace" />
          </label>
          <button type="submit" class="button primary">Download progress</button>
        </form>
        <form
          class="progress-form"
          method="post"
          action={`${base}progress/import`}
          enctype="multipart/form-data"
        >
          <label>
            <span>Progress file (.json)</span>
            <input type="file" name="file" accept=".json,application/json" required />
          </label>
          <button type="submit" class="button">Import</button>
        </form>
      </div>
    </section>
  );
}

/**
 * A lesson's status on its card. Cells run and exercise points are separate measures: a lesson
 * is "Completed" only when every cell ran and its exercises are solved.
 */
export function lessonStatus(link: LessonLink): string {
  const cellsRun = link.cellsDone >= link.cellCount;
  const solved = link.exerciseCount === 0 || link.pointsEarned >= link.pointsTotal;
  if (cellsRun && solved) return "Completed";
  if (link.cellsDone === 0 && link.pointsEarned === 0) return "Not started";
  if (cellsRun) return "Cells run · exercises open";
  return `${link.cellsDone} of ${link.cellCount} cells run`;
}

/** Renders the course index: every lesson in order, with its progress. */
export function renderIndexPage(
  course: LessonLink[],
  errors: LessonError[],
  assets: AssetUrls,
  extra: { notice?: PageNotice } = {},
): string {
  const base = assets.base ?? "/";
  const pointsTotal = course.reduce((sum, link) => sum + link.pointsTotal, 0);
  const pointsEarned = course.reduce((sum, link) => sum + link.pointsEarned, 0);
  const total = course.reduce((sum, link) => sum + link.cellCount, 0);
  const done = course.reduce((sum, link) => sum + link.cellsDone, 0);
  const started = course.find((link) => link.cellsDone > 0 && link.cellsDone < link.cellCount) ??
    course.find((link) => link.cellsDone < link.cellCount) ?? course[0];
  return "<!doctype html>" + renderToString(
    <Document title="gradbook — course" assets={assets} bodyClass="page-index">
      <div class="shell">
        <Sidebar course={course} assets={assets} />
        <main class="content">
          <header class="hero">
            <div class="eyebrow">Interactive course · runs offline</div>
            <h1>The frontiers of deep learning, one cell at a time</h1>
            <p class="summary">
              Read, edit and run every idea in TypeScript, on gradbook's own autodiff runtime. Press
              {" "}
              <kbd>Shift</kbd>+<kbd>Enter</kbd> in a cell to run it.
            </p>
            <div class="hero-progress">
              <Meter done={done} total={total} />
              <span>
                {done} of {total} cells run
                {pointsTotal > 0 && ` · ${formatPoints(pointsEarned, pointsTotal)} from exercises`}
              </span>
              {started !== undefined && (
                <a class="button primary" href={lessonUrl(started.slug, base)}>
                  {done === 0 ? "Start the course" : "Continue"} →
                </a>
              )}
            </div>
          </header>
          {extra.notice !== undefined && (
            <p
              class={`page-notice ${extra.notice.ok ? "ok" : "error"}`}
              role={extra.notice.ok ? "status" : "alert"}
            >
              {extra.notice.text}
            </p>
          )}
          <CourseErrors errors={errors} />
          {course.length === 0 && errors.length === 0 && (
            <p class="empty">No lessons yet: add Markdown files to the lessons folder.</p>
          )}
          <ol class="lesson-list">
            {course.map((link) => (
              <li key={link.slug} class="lesson-card">
                <a href={lessonUrl(link.slug, base)}>
                  <span class="card-num">{String(link.order).padStart(2, "0")}</span>
                  <span class="card-body">
                    <span class="card-title">{link.title}</span>
                    <span class="card-summary">{link.summary}</span>
                    <span class="card-meta">
                      <span>{link.minutes} min</span>
                      <span>{link.cellCount} cells</span>
                      {link.exerciseCount > 0 && (
                        <span>
                          {link.exerciseCount} exercise{link.exerciseCount === 1 ? "" : "s"}
                        </span>
                      )}
                      <Meter done={link.cellsDone} total={link.cellCount} />
                      <Points link={link} />
                      <span class="card-status">
                        {lessonStatus(link)}
                      </span>
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ol>
          <ProgressForms base={base} />
        </main>
      </div>
    </Document>,
  );
}
