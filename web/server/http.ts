/**
 * Small response helpers shared by the route handlers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { json } from "./http.ts";
 * const response = json({ ok: true }, 201);
 * assert.equal(response.status, 201);
 * assert.deepEqual(await response.json(), { ok: true });
 * ```
 *
 * @module
 */
import { basename } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  woff2: "font/woff2",
  woff: "font/woff",
  ttf: "font/ttf",
};

/** A JSON response that is never cached. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** An HTML response that is never cached. */
export function html(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

/** A redirect to `location` that the browser follows with a GET (after a form POST). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** A file from disk, typed by its extension; `immutable` for names that carry a hash. */
export async function file(path: string, immutable: boolean): Promise<Response> {
  try {
    const body = await Deno.readFile(path);
    const ext = path.slice(path.lastIndexOf(".") + 1);
    return new Response(body, {
      headers: {
        "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      },
    });
  } catch {
    return new Response(`No file ${basename(path)}`, { status: 404 });
  }
}

/** The request's JSON body, or a 400 response saying it is not JSON. */
export async function readJson<T>(request: Request): Promise<T | Response> {
  try {
    return await request.json() as T;
  } catch {
    return json({ error: "The request body is not valid JSON" }, 400);
  }
}
