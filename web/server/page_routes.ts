/**
 * The HTML pages: the course index (`GET /`, with a notice after an import or a submission) and
 * a lesson page (`GET /lessons/:slug`).
 *
 * @module
 */
import type { LessonPageData } from "../messages.ts";
import { lessonCellNames } from "./cell_names.ts";
import { html } from "./http.ts";
import { renderErrorPage, renderIndexPage, renderLessonPage } from "./pages.tsx";
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
        const slug = params.slug!;
        const course = await courseCache.get();
        const lesson = course.publicLessons.get(slug);
        if (lesson === undefined) {
          return html(renderErrorPage(404, `There is no lesson "${slug}".`, assets), 404);
        }
        const full = course.lessons.find((l) => l.slug === slug)!;
        const saved = store.lessonState(slug);
        const data: LessonPageData = {
          lesson,
          saved: { ...saved, exercises: lessonExercises(full, store) },
          course: lessonLinks(course, store),
          names: lessonCellNames(lesson, saved.sources, saved.scratch),
        };
        return html(renderLessonPage(data, assets));
      },
    },
  ];
}
