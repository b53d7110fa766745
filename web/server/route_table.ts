/**
 * The server's one route table: each area (pages, assets, the socket, lesson state, exercises,
 * progress, the exchange, editor intelligence) lists its routes as a method and a `URLPattern`
 * path with a handler; {@link RouteTable.handle} finds the first that matches. A path that
 * matches with another method gets 405 under `/api/` (JSON), and the not-found answer elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RouteTable } from "./route_table.ts";
 * const table = new RouteTable([
 *   { method: "GET", path: "/lessons/:slug", handle: ({ params }) => new Response(params.slug) },
 * ], () => new Response("none", { status: 404 }));
 * const found = await table.handle(new Request("http://x/lessons/a%20b"), null);
 * assert.equal(await found.text(), "a b");
 * assert.equal((await table.handle(new Request("http://x/nope"), null)).status, 404);
 * ```
 *
 * @module
 */
import { json } from "./http.ts";

/** What a handler gets: the request, its URL, the decoded path parameters and the user. */
export interface RouteRequest {
  request: Request;
  url: URL;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  /** The hub user (JupyterHub mode), else null. */
  user: string | null;
}

/** One route: a method (`*`: any), a `URLPattern` pathname and its handler. */
export interface Route {
  method: "GET" | "POST" | "*";
  path: string;
  handle(request: RouteRequest): Response | Promise<Response>;
}

interface CompiledRoute extends Route {
  pattern: URLPattern;
}

/** Routes in order; see the module documentation. */
export class RouteTable {
  readonly #routes: CompiledRoute[];

  constructor(
    routes: Route[],
    private readonly notFound: (request: RouteRequest) => Response | Promise<Response>,
  ) {
    this.#routes = routes.map((route) => ({
      ...route,
      pattern: new URLPattern({ pathname: route.path }),
    }));
  }

  /** Answers `request` from the first matching route. */
  async handle(request: Request, user: string | null): Promise<Response> {
    const url = new URL(request.url);
    let wrongMethod = false;
    for (const route of this.#routes) {
      const match = route.pattern.exec({ pathname: url.pathname });
      if (match === null) continue;
      if (route.method !== "*" && route.method !== request.method) {
        wrongMethod = true;
        continue;
      }
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.pathname.groups)) {
        if (value !== undefined) params[name] = decodeURIComponent(value);
      }
      return await route.handle({ request, url, params, user });
    }
    if (wrongMethod && url.pathname.startsWith("/api/")) {
      return json({ error: `${request.method} is not allowed on ${url.pathname}` }, 405);
    }
    return await this.notFound({ request, url, params: {}, user });
  }
}
