/**
 * A lesson's saved state as JSON: `GET /api/lessons` (lessons with progress),
 * `GET /api/lessons/:slug/state`, `POST /api/lessons/:slug/sources` (save edited sources; `null`
 * resets a cell), `POST /api/lessons/:slug/outputs/clear`, and `POST /api/lessons/:slug/scratch`
 * (the learner's scratch cells; checked and saved by `scratch_routes.ts`).
 *
 * @module
 */
import type { ClearOutputsRequest, SaveSourcesRequest } from "../messages.ts";
import { originalSources } from "./course_cache.ts";
import { json, readJson } from "./http.ts";
import { lessonExercises, lessonLinks } from "./progress.ts";
import type { Route, RouteRequest } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";
import { handleScratchRoute } from "./scratch_routes.ts";

/** The lesson state routes. */
export function lessonRoutes({ courseCache, store, pendingRuns }: ServerContext): Route[] {
  /** The public lesson of the route, or a 404 response. */
  async function lessonOf(slug: string) {
    const course = await courseCache.get();
    return course.publicLessons.get(slug) ?? json({ error: `No lesson "${slug}"` }, 404);
  }
  return [
    {
      method: "*",
      path: "/api/lessons/:slug/scratch",
      handle: async ({ request, url }: RouteRequest) =>
        await handleScratchRoute(
          request,
          url.pathname,
          (await courseCache.get()).publicLessons,
          store,
          pendingRuns,
        ) ?? json({ error: `No route ${url.pathname}` }, 404),
    },
    {
      method: "GET",
      path: "/api/lessons",
      handle: async () => {
        const course = await courseCache.get();
        return json({
          lessons: lessonLinks(course, store),
          errors: course.errors.map((e) => ({ file: e.file, line: e.line, message: e.message })),
        });
      },
    },
    {
      method: "GET",
      path: "/api/lessons/:slug/state",
      handle: async ({ params }: RouteRequest) => {
        const slug = params.slug!;
        const lesson = await lessonOf(slug);
        if (lesson instanceof Response) return lesson;
        const full = (await courseCache.get()).lessons.find((l) => l.slug === slug)!;
        return json({ ...store.lessonState(slug), exercises: lessonExercises(full, store) });
      },
    },
    {
      method: "POST",
      path: "/api/lessons/:slug/sources",
      handle: async ({ request, params }: RouteRequest) => {
        const slug = params.slug!;
        const lesson = await lessonOf(slug);
        if (lesson instanceof Response) return lesson;
        const originals = originalSources(lesson);
        const body = await readJson<SaveSourcesRequest>(request);
        if (body instanceof Response) return body;
        if (typeof body?.sources !== "object" || body.sources === null) {
          return json({ error: 'The body needs "sources": an object of cell id to source' }, 400);
        }
        const changes: Record<string, string | null> = {};
        for (const [cellId, source] of Object.entries(body.sources)) {
          const original = originals.get(cellId);
          if (original === undefined) {
            return json({ error: `Lesson "${slug}" has no editable cell "${cellId}"` }, 400);
          }
          if (source !== null && typeof source !== "string") {
            return json({ error: `The source of cell "${cellId}" is not a string or null` }, 400);
          }
          // A source edited back to the original is not an edit: drop it, so reset shows.
          changes[cellId] = source === original ? null : source;
        }
        store.saveSources(slug, changes);
        return json({ saved: Object.keys(changes).length });
      },
    },
    {
      method: "POST",
      path: "/api/lessons/:slug/outputs/clear",
      handle: async ({ request, params }: RouteRequest) => {
        const slug = params.slug!;
        const lesson = await lessonOf(slug);
        if (lesson instanceof Response) return lesson;
        const body = await readJson<ClearOutputsRequest>(request);
        if (body instanceof Response) return body;
        if (!Array.isArray(body?.cellIds) || !body.cellIds.every((id) => typeof id === "string")) {
          return json({ error: 'The body needs "cellIds": an array of cell ids' }, 400);
        }
        store.clearOutputs(slug, body.cellIds);
        return json({ cleared: body.cellIds.length });
      },
    },
  ];
}
