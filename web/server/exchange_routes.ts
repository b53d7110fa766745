/**
 * `POST /exchange/submit` (the index page's form) and `POST /api/exchange/submit`: write the
 * learner's progress export into the exchange folder (`exchange.ts`), when the server has one.
 *
 * @module
 */
import { basename } from "node:path";
import { submitToExchange } from "./exchange.ts";
import { json, seeOther } from "./http.ts";
import { buildProgressExport } from "./progress.ts";
import type { Route, RouteRequest } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

/** The exchange routes. */
export function exchangeRoutes({ options, store, base }: ServerContext): Route[] {
  async function submit({ request, url, user }: RouteRequest): Promise<Response> {
    await request.body?.cancel();
    if (options.exchange === undefined) {
      return json({ error: "This server has no exchange folder" }, 404);
    }
    const learner = user ?? options.exchange.learner;
    const text = JSON.stringify(buildProgressExport(store, learner), null, 2) + "\n";
    const file = basename(await submitToExchange(options.exchange.dir, learner, text));
    if (url.pathname.startsWith("/api/")) return json({ learner, file });
    return seeOther(`${base}?${new URLSearchParams({ submitted: file })}`);
  }
  return [
    { method: "POST", path: "/exchange/submit", handle: submit },
    { method: "POST", path: "/api/exchange/submit", handle: submit },
  ];
}
