/**
 * `POST /api/lessons/:slug/exercises/:id/check` (grade `{ code }` in a fresh kernel), `…/hints`
 * (unlock hint `{ index }`, the next one only) and `…/solution` (reveal, after an attempt).
 *
 * @module
 */
import type { CheckRequest, ExerciseProgress, ExerciseResponse, HintRequest } from "../messages.ts";
import { RouteError } from "./grading.ts";
import { json, readJson } from "./http.ts";
import { lessonLinks } from "./progress.ts";
import type { Route } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

/** The exercise routes. */
export function exerciseRoutes({ courseCache, grader, store }: ServerContext): Route[] {
  return [{
    method: "POST",
    path: "/api/lessons/:slug/exercises/:exercise/:action(check|hints|solution)",
    handle: async ({ request, params }) => {
      const slug = params.slug!;
      const course = await courseCache.get();
      const lesson = course.lessons.find((l) => l.slug === slug);
      if (lesson === undefined) return json({ error: `No lesson "${slug}"` }, 404);
      const exerciseId = params.exercise!;
      const body = await readJson<Partial<CheckRequest & HintRequest>>(request);
      if (body instanceof Response) return body;
      try {
        let progress: ExerciseProgress;
        if (params.action === "check") {
          progress = await grader.check(lesson, exerciseId, body?.code);
        } else if (params.action === "hints") {
          progress = grader.unlockHint(lesson, exerciseId, body?.index);
        } else {
          progress = grader.revealSolution(lesson, exerciseId);
        }
        const link = lessonLinks(course, store).find((l) => l.slug === slug)!;
        const answer: ExerciseResponse = { progress, link };
        return json(answer);
      } catch (error) {
        if (error instanceof RouteError) return json({ error: error.message }, error.status);
        throw error;
      }
    },
  }];
}
