/**
 * What every server-rendered page shares: the document around it (head, assets, and on a lesson
 * page the client with its data's URL), the sidebar with the course's lessons and their
 * progress, and lesson links.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { formatPoints, type LessonLink } from "../messages.ts";

/** URLs of the page's assets, and what its links start with. */
export interface AssetUrls {
  js: string;
  /** The chunks `js` imports statically (preloaded with it; none by default). */
  jsImports?: string[];
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

/** URL of the JSON a lesson page's client mounts the notebook from (`page_routes.ts`). */
export function lessonDataUrl(slug: string, base = "/"): string {
  return `${base}api/lessons/${encodeURIComponent(slug)}/page`;
}

/** A small bar of cells run out of all. */
export function Meter({ done, total }: { done: number; total: number }) {
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

/** A lesson's exercise points, when it has exercises. */
export function Points({ link }: { link: LessonLink }) {
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

/** The course's lessons with their progress, and the progress file's links. */
export function Sidebar(
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

/** KaTeX fonts preloaded by lesson pages (the ones nearly every formula uses). */
const KATEX_PRELOADS = ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"] as const;

/**
 * The HTML document: head with assets and the body. A lesson page (`pageDataUrl`: the URL of the
 * JSON its client mounts from) also loads the client, and fetches that JSON, the client's
 * chunks and KaTeX's main fonts while the HTML is still being read.
 */
export function Document(
  { title, assets, bodyClass, children, pageDataUrl }: {
    title: string;
    assets: AssetUrls;
    bodyClass: string;
    children: ComponentChildren;
    pageDataUrl?: string;
  },
) {
  const lesson = pageDataUrl !== undefined;
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
        {lesson && (
          // NOTE: crossorigin="anonymous" is fetch()'s own credentials mode (same-origin): the
          // client's fetch then takes this response instead of asking again.
          <link rel="preload" as="fetch" crossorigin="anonymous" href={pageDataUrl} />
        )}
        {lesson &&
          [assets.js, ...assets.jsImports ?? []].map((href) => (
            <link rel="modulepreload" href={href} />
          ))}
        {
          // KaTeX's fonts block their text until loaded: ask for the two that most formulas use
          // with the page, not after its first layout finds them.
          lesson && KATEX_PRELOADS.map((font) => (
            <link
              rel="preload"
              as="font"
              type="font/woff2"
              crossorigin="anonymous"
              href={`${assets.katexCss.replace(/katex\.min\.css$/, "")}fonts/${font}`}
            />
          ))
        }
      </head>
      <body class={bodyClass}>
        {children}
        {lesson && <script type="module" src={assets.js} />}
      </body>
    </html>
  );
}
