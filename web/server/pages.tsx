/**
 * Server-rendered HTML of the course index and of a lesson page's shell. The lesson page is
 * readable without JavaScript (prose, math and code); the client then takes over `#notebook`
 * from the JSON embedded in the page.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import type { LessonError, PublicLesson } from "../../notebook/course/types.ts";
import { formatPoints, type LessonLink, type LessonPageData } from "../messages.ts";

/** URLs of the page's assets, and what its links start with. */
export interface AssetUrls {
  js: string;
  css: string;
  katexCss: string;
  /**
   * The path every link of the page starts with: `/`, or JupyterHub's prefix (`/user/alice/`).
   * The client reads it from `<html data-base>`.
   */
  base?: string;
  /** Whether the page offers "Submit" (the server has an exchange folder). */
  canSubmit?: boolean;
}

const FAVICON = "data:image/svg+xml," + encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4f46e5"/><text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff" font-family="serif">∇</text></svg>`,
);

/** URL of a lesson page (under the base path, `/` by default). */
export function lessonUrl(slug: string, base = "/"): string {
  return `${base}lessons/${encodeURIComponent(slug)}`;
}

function Meter({ done, total }: { done: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((100 * done) / total);
  return (
    <span
      class={`meter${percent === 100 ? " complete" : ""}`}
      role="progressbar"
      aria-valuenow={percent}
      aria-valuemin={0}
      aria-valuemax={100}
      title={`${done} of ${total} cells run`}
    >
      <span style={`width:${percent}%`} />
    </span>
  );
}

function Points({ link }: { link: LessonLink }) {
  if (link.exerciseCount === 0) return null;
  const complete = link.pointsEarned >= link.pointsTotal;
  return (
    <span
      class={`points${complete ? " complete" : ""}`}
      title={`Exercise points: best attempt of each of ${link.exerciseCount} exercise${
        link.exerciseCount === 1 ? "" : "s"
      }`}
    >
      {formatPoints(link.pointsEarned, link.pointsTotal)}
    </span>
  );
}

function Sidebar(
  { course, current, assets }: { course: LessonLink[]; current?: string; assets: AssetUrls },
) {
  const base = assets.base ?? "/";
  return (
    <aside class="sidebar">
      <a class="brand" href={base}>
        <span class="logo">∇</span>
        <span>gradbook</span>
      </a>
      <nav class="toc" aria-label="Lessons">
        <div class="toc-heading">Course</div>
        <ol>
          {course.map((link) => (
            <li
              key={link.slug}
              class={link.slug === current ? "current" : undefined}
              data-slug={link.slug}
            >
              <a
                href={lessonUrl(link.slug, base)}
                aria-current={link.slug === current ? "page" : undefined}
              >
                <span class="toc-num">{link.order}</span>
                <span class="toc-body">
                  <span class="toc-title">{link.title}</span>
                  <span class="toc-progress">
                    <Meter done={link.cellsDone} total={link.cellCount} />
                    <Points link={link} />
                  </span>
                </span>
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <div id="toc-tail">
        <div class="toc-heading">Your progress</div>
        <a class="toc-link" href={`${base}api/progress/export`} download>
          Download progress file
        </a>
        <a class="toc-link" href={`${base}#progress`}>Import a progress file…</a>
        {assets.canSubmit && (
          <form class="submit-form" method="post" action={`${base}exchange/submit`}>
            <button type="submit" class="button primary">Submit</button>
          </form>
        )}
      </div>
    </aside>
  );
}

function Document(
  { title, assets, bodyClass, children, data }: {
    title: string;
    assets: AssetUrls;
    bodyClass: string;
    children: ComponentChildren;
    data?: LessonPageData;
  },
) {
  return (
    <html lang="en" data-base={assets.base ?? "/"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        <link rel="icon" href={FAVICON} />
        <link rel="stylesheet" href={assets.katexCss} />
        <link rel="stylesheet" href={assets.css} />
        {data !== undefined && <link rel="modulepreload" href={assets.js} />}
      </head>
      <body class={bodyClass}>
        {children}
        {data !== undefined && (
          <script
            type="application/json"
            id="page-data"
            // "<" escaped so that no "</script>" inside the lesson can end this element.
            dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replace(/</g, "\\u003c") }}
          />
        )}
        {data !== undefined && <script type="module" src={assets.js} />}
      </body>
    </html>
  );
}

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

/** The static (pre-JavaScript) rendering of a lesson's blocks, replaced by the client. */
function StaticBlocks({ lesson }: { lesson: PublicLesson }) {
  return (
    <>
      {lesson.blocks.map((block, index) => {
        if (block.kind === "markdown") {
          return <div key={index} class="prose" dangerouslySetInnerHTML={{ __html: block.html }} />;
        }
        const source = block.kind === "code" ? block.source : block.starter;
        if (block.kind === "code" && block.hidden) return null;
        return (
          <div key={index} class="cell static">
            <pre class="static-code"><code>{source}</code></pre>
          </div>
        );
      })}
    </>
  );
}

/** Renders a lesson page: sidebar, header with objectives, static blocks, prev/next links. */
export function renderLessonPage(data: LessonPageData, assets: AssetUrls): string {
  const { lesson, course } = data;
  const index = course.findIndex((link) => link.slug === lesson.slug);
  const prev = index > 0 ? course[index - 1] : undefined;
  const next = index >= 0 ? course[index + 1] : undefined;
  const { meta } = lesson;
  const base = assets.base ?? "/";
  return "<!doctype html>" + renderToString(
    <Document
      title={`${meta.title} — gradbook`}
      assets={assets}
      bodyClass="page-lesson"
      data={data}
    >
      <div class="shell">
        <Sidebar course={course} current={lesson.slug} assets={assets} />
        <main class="content">
          <header class="lesson-head">
            <div class="eyebrow">
              {meta.order === 0 ? "Start here" : `Lesson ${meta.order}`} · {meta.minutes} min
            </div>
            <h1>{meta.title}</h1>
            {meta.summary !== "" && <p class="summary">{meta.summary}</p>}
            {meta.objectives.length > 0 && (
              <section class="objectives">
                <h2>In this lesson you will</h2>
                <ul>
                  {meta.objectives.map((objective) => <li key={objective}>{objective}</li>)}
                </ul>
              </section>
            )}
            {meta.prerequisites.length > 0 && (
              <p class="prerequisites">
                <span>Before this:</span> {meta.prerequisites.join(", ")}
              </p>
            )}
          </header>
          <div id="notebook" class="notebook">
            <StaticBlocks lesson={lesson} />
          </div>
          <nav class="pager" aria-label="Lesson navigation">
            {prev !== undefined
              ? (
                <a class="prev" href={lessonUrl(prev.slug, base)} rel="prev">
                  <span>← Previous</span>
                  <b>{prev.title}</b>
                </a>
              )
              : <span />}
            {next !== undefined
              ? (
                <a class="next" href={lessonUrl(next.slug, base)} rel="next">
                  <span>Next →</span>
                  <b>{next.title}</b>
                </a>
              )
              : (
                <a class="next" href={base}>
                  <span>Done →</span>
                  <b>Back to the course</b>
                </a>
              )}
          </nav>
        </main>
      </div>
    </Document>,
  );
}

/** A plain error page. */
export function renderErrorPage(status: number, message: string, assets: AssetUrls): string {
  return "<!doctype html>" + renderToString(
    <Document title={`${status} — gradbook`} assets={assets} bodyClass="page-error">
      <main class="content narrow">
        <h1>{status === 404 ? "Not found" : "Something went wrong"}</h1>
        <p>{message}</p>
        <p>
          <a href={assets.base ?? "/"}>Back to the course</a>
        </p>
      </main>
    </Document>,
  );
}
