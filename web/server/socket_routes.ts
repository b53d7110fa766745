/**
 * `GET /ws/lessons/:slug`: the WebSocket of a lesson page, attached to the lesson's kernel
 * session in the registry (see `ClientMessage` / `ServerMessage` in `web/messages.ts`).
 *
 * @module
 */
import { json } from "./http.ts";
import type { Route } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

/** The socket route. */
export function socketRoutes({ courseCache, kernels, options }: ServerContext): Route[] {
  return [{
    method: "*",
    path: "/ws/lessons/:slug",
    handle: async ({ request, params }) => {
      const slug = params.slug!;
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("This route expects a WebSocket upgrade", { status: 426 });
      }
      const course = await courseCache.get();
      if (!course.publicLessons.has(slug)) return json({ error: `No lesson "${slug}"` }, 404);
      const { socket, response } = Deno.upgradeWebSocket(request);
      kernels.open(slug, socket);
      if (options.onActivity !== undefined) socket.addEventListener("message", options.onActivity);
      return response;
    },
  }];
}
