/**
 * Serving under a path prefix (JupyterHub's `JUPYTERHUB_SERVICE_PREFIX`, e.g. `/user/alice/`).
 *
 * The prefix is handled in one place: {@link stripPrefix} rewrites a request's URL at the top of
 * request handling, so every route, the request guard and the WebSocket upgrade below it see
 * root-relative paths (`/lessons/x`, `/api/…`, `/ws/…`). Pages get the prefix as their base path
 * (`<html data-base="/user/alice/">`) and the client builds every URL from it.
 *
 * @module
 */

/**
 * A prefix in canonical form: one leading and one trailing slash (`"/"` when empty).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../runtime/testing/assert.ts";
 * import { normalizePrefix } from "./prefix.ts";
 * assertEquals(normalizePrefix("user/alice"), "/user/alice/");
 * assertEquals(normalizePrefix(""), "/");
 * ```
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

/**
 * What to do with a request under `prefix`: `"route"` after its URL was rewritten in place to
 * drop the prefix, `"redirect"` to `location` (the prefix without its trailing slash), or
 * `"outside"` when the path is not under the prefix at all.
 */
export type PrefixOutcome =
  | { kind: "route" }
  | { kind: "redirect"; location: string }
  | { kind: "outside" };

/**
 * Drops `prefix` from the request's URL, in place: the same `Request` object keeps its body and
 * its connection (so `Deno.upgradeWebSocket` still works on it) and reports the shorter URL.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../runtime/testing/assert.ts";
 * import { stripPrefix } from "./prefix.ts";
 * const request = new Request("http://127.0.0.1:9000/user/alice/lessons/tour?x=1");
 * assertEquals(stripPrefix(request, "/user/alice/"), { kind: "route" });
 * assertEquals(request.url, "http://127.0.0.1:9000/lessons/tour?x=1");
 * assertEquals(stripPrefix(new Request("http://h/other"), "/user/alice/").kind, "outside");
 * const behindFrontDoor = new Request("http+unix://127.0.0.1:9000/user/alice/api/lessons");
 * assertEquals(stripPrefix(behindFrontDoor, "/user/alice/"), { kind: "route" });
 * assertEquals(behindFrontDoor.url, "http+unix://127.0.0.1:9000/api/lessons");
 * ```
 */
export function stripPrefix(request: Request, prefix: string): PrefixOutcome {
  if (prefix === "/") return { kind: "route" };
  // The raw URL (Deno does not normalise it): authority, then path, then query.
  // (The scheme may be `http+unix`: the server behind the front door listens on a Unix socket.)
  const match = request.url.match(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(.*)$/i);
  if (match === null) return { kind: "outside" };
  const [, origin, path, rest] = match as unknown as [string, string, string, string];
  if (path === prefix.slice(0, -1)) return { kind: "redirect", location: prefix + rest };
  if (!path.startsWith(prefix)) return { kind: "outside" };
  const url = `${origin}/${path.slice(prefix.length)}${rest}`;
  // NOTE: an own property shadows Request.prototype.url; a new Request would lose the
  // connection that Deno.upgradeWebSocket needs.
  Object.defineProperty(request, "url", { value: url, configurable: true, enumerable: true });
  return { kind: "route" };
}

/**
 * Joins the base path and a root-relative route path.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../runtime/testing/assert.ts";
 * import { withBase } from "./prefix.ts";
 * assertEquals(withBase("/user/alice/", "/lessons/tour"), "/user/alice/lessons/tour");
 * assertEquals(withBase("/", "/api/lessons"), "/api/lessons");
 * ```
 */
export function withBase(base: string, path: string): string {
  return base + path.replace(/^\/+/, "");
}
