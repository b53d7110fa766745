/**
 * The HTML pages: the course index (`GET /`, with a notice after an import or a submission) and
 * a lesson page (`GET /lessons/:slug`), with the JSON its client mounts the notebook from
 * (`GET /api/lessons/:slug/page`: fetched beside the HTML rather than embedded in it, so the
 * browser paints the lesson without first reading a few hundred KiB of saved outputs).
 *
 * @module
 */
import type { LessonPageData } from "../messages.ts";
import { lessonCellNames } from "./cell_names.ts";
import { html, json } from "./http.ts";
import { renderErrorPage, renderIndexPage, renderLessonPage } from "./pages.tsx";
import { slimPageData } from "./slim_page_data.ts";
import { lessonExercises, lessonLinks } from "./progress.ts";
import type { Route, RouteRequest } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

/** The notice the index shows after an import (`?imported=l,s,a`) or a submission. */
function indexNotice(url: URL): { ok: boolean; text: string } | undefined {
  const imported = url.searchParams.get("imported")?.match(/^(\d+),(\d+),(\d+)$/);
  const plural = (n: string, word: string) => `${n} ${word}${n === "1" ? "" : "s"}`;
  const submitted = url.searchParams.get("submitted");
  if (imported != null) {
    return {
      ok: true,
      text: `Progress imported: ${plural(imported[1]!, "lesson")}, ${
        plural(imported[2]!, "edited cell")
      }, ${plural(imported[3]!, "new attempt")}.`,
    };
  }
  if (submitted !== null) {
    return { ok: true, text: `Submitted: your progress is in the class exchange as ${submitted}.` };
  }
  return undefined;
}

/** The page routes. */
export function pageRoutes(context: ServerContext): Route[] {
  const { courseCache, store, assets } = context;
  return [
    {
      method: "GET",
      path: "/",
      handle: async ({ url }: RouteRequest) => {
        const course = await courseCache.get();
        const notice = indexNotice(url);
        return html(renderIndexPage(lessonLinks(course, store), course.errors, assets, { notice }));
      },
    },
    {
      method: "GET",
      path: "/lessons/:slug{/}?",
      handle: async ({ params }: RouteRequest) => {
        // The HTML needs no saved state (its data route sends that): only the lesson and the
        // course's links.
        const course = await courseCache.get();
        const lesson = course.publicLessons.get(params.slug!);
        if (lesson === undefined) {
          return html(renderErrorPage(404, `There is no lesson "${params.slug}".`, assets), 404);
        }
        return html(renderLessonPage({ lesson, course: lessonLinks(course, store) }, assets));
      },
    },
    {
      method: "GET",
      path: "/api/lessons/:slug/page",
      handle: async ({ params }: RouteRequest) => {
        const data = await pageData(context, params.slug!);
        if (data === null) return json({ error: `There is no lesson "${params.slug}".` }, 404);
        return json(slimPageData(data));
      },
    },
  ];
}

/** What a lesson page shows and its client mounts: null when there is no such lesson. */
async function pageData(
  { courseCache, store }: ServerContext,
  slug: string,
): Promise<LessonPageData | null> {
  const course = await courseCache.get();
  const lesson = course.publicLessons.get(slug);
  if (lesson === undefined) return null;
  const full = course.lessons.find((l) => l.slug === slug)!;
  const saved = store.lessonState(slug);
  return {
    lesson,
    saved: { ...saved, exercises: lessonExercises(full, store) },
    course: lessonLinks(course, store),
    names: lessonCellNames(lesson, saved.sources, saved.scratch),
  };
}
