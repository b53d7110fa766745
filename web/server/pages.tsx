/**
 * Server-rendered HTML of a lesson page's shell (and of error pages). The lesson page is readable
 * without JavaScript (prose, math and code); the client then takes over `#notebook` from the
 * JSON at its `data-page` URL. The course index is in `index_page.tsx`, the document and sidebar
 * every page shares in `page_shell.tsx`.
 *
 * @module
 */
import { renderToString } from "preact-render-to-string";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { LessonPageData } from "../messages.ts";
import { type AssetUrls, Document, lessonDataUrl, lessonUrl, Sidebar } from "./page_shell.tsx";

export { type AssetUrls, lessonDataUrl, lessonUrl } from "./page_shell.tsx";
export { lessonStatus, type PageNotice, renderIndexPage } from "./index_page.tsx";

/** The static (pre-JavaScript) rendering of a lesson's blocks, replaced by the client. */
function StaticBlocks({ lesson }: { lesson: PublicLesson }) {
  return (
    <>
      {lesson.blocks.map((block, index) => {
        if (block.kind === "markdown") {
          // NOTE: data-prose lets the client reuse this HTML, which the page data leaves out
          return (
            <div
              key={index}
              class="prose"
              data-prose={index}
              dangerouslySetInnerHTML={{ __html: block.html }}
            />
          );
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

/**
 * Renders a lesson page: sidebar, header with objectives, static blocks, prev/next links. The
 * saved state is not part of it: the client fetches it with the rest of the page data.
 */
export function renderLessonPage(
  { lesson, course }: Pick<LessonPageData, "lesson" | "course">,
  assets: AssetUrls,
): string {
  const index = course.findIndex((link) => link.slug === lesson.slug);
  const prev = index > 0 ? course[index - 1] : undefined;
  const next = index >= 0 ? course[index + 1] : undefined;
  const { meta } = lesson;
  const base = assets.base ?? "/";
  const pageDataUrl = lessonDataUrl(lesson.slug, base);
  return "<!doctype html>" + renderToString(
    <Document
      title={`${meta.title} — gradbook`}
      assets={assets}
      bodyClass="page-lesson"
      pageDataUrl={pageDataUrl}
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
          <div id="notebook" class="notebook" data-page={pageDataUrl} data-slug={lesson.slug}>
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
