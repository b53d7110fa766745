/**
 * Where the server lives: every fetch, WebSocket and link of the client is built from the base
 * path the page declares in `<html data-base>` (`/`, or JupyterHub's `/user/alice/`).
 *
 * @module
 */

/** The page's base path, always ending in `/` (`/` when the page names none). */
export function basePath(doc: { documentElement: { dataset: DOMStringMap } } = document): string {
  const base = doc.documentElement.dataset.base ?? "/";
  return base.endsWith("/") ? base : base + "/";
}

/**
 * A server URL path: `path` (root-relative, e.g. `/api/lessons`) under the base path.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * import { appPath } from "./base_path.ts";
 * const page = { documentElement: { dataset: { base: "/user/alice/" } } };
 * assertEquals(appPath("/api/lessons", page), "/user/alice/api/lessons");
 * ```
 */
export function appPath(
  path: string,
  doc: { documentElement: { dataset: DOMStringMap } } = document,
): string {
  return basePath(doc) + path.replace(/^\/+/, "");
}

/** A WebSocket URL for `path` under the base path, on the page's own host. */
export function socketUrl(path: string): string {
  const protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${location.host}${appPath(path)}`;
}

/** The page's path with the base path removed (`/lessons/tour`), for routing in the client. */
export function routePath(): string {
  const base = basePath();
  const path = location.pathname;
  return path.startsWith(base) ? "/" + path.slice(base.length) : path;
}
