/**
 * The server's front door: every HTTP and WebSocket request passes {@link RequestGuard.admit}
 * before any route sees it.
 *
 * - Token auth like Jupyter's: a random token in the printed URL (`/?token=…`) is exchanged for
 *   an HttpOnly, SameSite=Strict cookie (named after the port, so two servers do not clash);
 *   scripts may send `Authorization: token …` instead.
 * - Host check against DNS rebinding: the `Host` header must name a loopback address
 *   (127.0.0.1, localhost, [::1]) or the `--host` name, with the server's own port.
 * - Origin check: a request that carries `Origin` (every cross-origin fetch, form post and
 *   WebSocket) must come from the server's own origin.
 * - Path normalisation: `..` segments (also `%2e%2e`, double-encoded), backslashes, control
 *   characters and malformed percent-encoding are refused with 400 before routing.
 * - Body limits: a body over the route's limit is refused with 413 without being read whole.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import { PROGRESS_LIMITS } from "../../notebook/grader/gradebook.ts";

import { generateToken } from "./secrets.ts";

export { COOKIE_SECRET_FILE, generateToken, loadCookieSecret } from "./secrets.ts";

/** Options of {@link RequestGuard}. */

/**
 * The policy on every response: script only from this origin's files, no plugins, no `<base>`,
 * never framed; styles may be inline (KaTeX sets `style` attributes), images may be `data:`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self'",
].join("; ");

export interface SecurityOptions {
  /** The token every request must carry; `null` turns token auth off (`--no-token`). */
  token: string | null;
  /**
   * The secret the login cookie is derived from (HMAC-SHA256), kept in the data folder by
   * {@link loadCookieSecret} so that cookies stay valid when the server restarts with a new
   * token (as Jupyter's cookie secret). Without one, a random secret per server.
   */
  cookieSecret?: string;
  /** The address the server listens on (default 127.0.0.1); its name is an allowed Host. */
  hostname?: string;
  /** More names accepted in the `Host` header (the port must still match). */
  allowedHosts?: string[];
  /**
   * Behind a proxy (JupyterHub's): any `Host` is accepted, since the proxy's public name is not
   * known here, and `Origin` may be `https://` (TLS ends at the proxy). It must still name the
   * same host as `Host`. Hub mode's OAuth login replaces the token.
   */
  behindProxy?: boolean;
  /** Largest request body in bytes on most routes (default 2 MiB). */
  maxBodyBytes?: number;
  /** Larger limits on routes that take files: path prefix → bytes. */
  bodyLimits?: Record<string, number>;
}

/** Default largest request body, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Routes that take a whole progress file get its limit plus room for a form's framing. */
const PROGRESS_BODY_BYTES = PROGRESS_LIMITS.fileBytes + 1024 * 1024;
const DEFAULT_BODY_LIMITS: Record<string, number> = {
  "/api/progress/import": PROGRESS_BODY_BYTES,
  "/progress/import": PROGRESS_BODY_BYTES,
};

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"];
const WILDCARD_ADDRESSES = ["0.0.0.0", "::", "[::]"];

/** Whether `hostname` is a loopback address or name. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK_NAMES.includes(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Lines to print loudly when the server runs with weaker protection than the default. */
export function securityWarnings(options: { token: string | null; hostname: string }): string[] {
  const lines: string[] = [];
  if (options.token === null) {
    lines.push(
      "WARNING: --no-token: any program or user on this machine can run code as you through",
      "this server. Use it only on a single-user machine you trust.",
    );
  }
  if (!isLoopback(options.hostname)) {
    lines.push(
      `WARNING: --host ${options.hostname}: the server is reachable from other machines.`,
      "Cells run as you; the token is then the only protection, and traffic is not encrypted.",
    );
    if (options.token === null) lines.push("WARNING: with --no-token, ANYONE on the network can.");
  }
  return lines;
}

/**
 * Why a raw request path is refused, or `null` if it is fine. Decodes up to three times, so a
 * double-encoded `%252e%252e` is seen as `..` too.
 *
 * @example
 * ```ts
 * import { pathProblem } from "./security.ts";
 * console.log(pathProblem("/lessons/intro")); // null
 * console.log(pathProblem("/lessons/%252e%252e/etc")); // "the path has a \"..\" segment"
 * ```
 */
export function pathProblem(rawPath: string): string | null {
  let path = rawPath;
  for (let depth = 0; depth < 4; depth++) {
    if (path.includes("\\")) return "the path has a backslash";
    // deno-lint-ignore no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(path)) return "the path has a control character";
    if (path.split("/").some((segment) => segment === ".." || segment === ".")) {
      return `the path has a "${path.includes("..") ? ".." : "."}" segment`;
    }
    if (!path.includes("%")) return null;
    try {
      path = decodeURIComponent(path);
    } catch {
      return "the path has malformed percent-encoding";
    }
  }
  return "the path is encoded more than three times";
}

/** Splits Deno's raw `request.url` (not normalised) into authority and path. */
function splitRawUrl(url: string): { authority: string; path: string; query: string } {
  // NOTE: behind the front door Deno reports `http+unix://host/...`.
  const match = url.match(/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i);
  return { authority: match?.[1] ?? "", path: match?.[2] || "/", query: match?.[3] ?? "" };
}

/** Parses `host:port` / `[v6]:port` into a lower-case name and port text. */
function splitHost(host: string): { name: string; port: string } {
  const match = host.toLowerCase().match(/^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/);
  return { name: match?.[1] ?? "", port: match?.[2] ?? "" };
}

function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Compares two strings in time that depends only on their lengths. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function refuse(status: number, message: string, isApi: boolean): Response {
  const headers = { "cache-control": "no-store" };
  if (isApi) {
    return Response.json({ error: message }, { status, headers });
  }
  const escaped = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>gradbook: ${status}</title>` +
      `<h1>${status}</h1><p>${escaped}</p>\n`,
    { status, headers: { ...headers, "content-type": "text/html; charset=utf-8" } },
  );
}

/** Checks every request; see the module documentation. */
export class RequestGuard {
  readonly #options: SecurityOptions;
  readonly #port: () => number;
  readonly #isWildcard: boolean;
  readonly #hostNames: Set<string>;

  /** `port` is read at request time (the server may pick its port after the guard exists). */
  readonly #credential: string;

  constructor(options: SecurityOptions, port: () => number) {
    this.#options = options;
    this.#credential = createHmac("sha256", options.cookieSecret ?? generateToken())
      .update("gradbook login cookie").digest("hex");
    this.#port = port;
    const hostname = (options.hostname ?? "127.0.0.1").toLowerCase();
    this.#isWildcard = WILDCARD_ADDRESSES.includes(hostname);
    const bracketed = hostname.includes(":") && !hostname.startsWith("[")
      ? `[${hostname}]`
      : hostname;
    this.#hostNames = new Set([
      ...LOOPBACK_NAMES,
      bracketed,
      ...(options.allowedHosts ?? []).map((h) => h.toLowerCase()),
    ]);
  }

  /** The login cookie's value: an HMAC of the cookie secret (never the token itself). */
  get credential(): string {
    return this.#credential;
  }

  /** Name of the auth cookie (per port: browsers share cookies across a host's ports). */
  get cookieName(): string {
    return `gradbook-token-${this.#port()}`;
  }

  /**
   * Admits a request: returns the request to route (with its body read, within the limit, when
   * it has one) or the refusal to send.
   */
  async admit(request: Request): Promise<Request | Response> {
    const raw = splitRawUrl(request.url);
    const isApi = raw.path.startsWith("/api/");
    const host = request.headers.get("host") ?? "";
    const hostProblem = this.#hostProblem(host, raw.authority);
    if (hostProblem !== null) return refuse(403, hostProblem, isApi);
    const origin = request.headers.get("origin");
    const sameOrigin = origin !== null &&
      (origin.toLowerCase() === `http://${host.toLowerCase()}` ||
        (this.#options.behindProxy === true &&
          origin.toLowerCase() === `https://${host.toLowerCase()}`));
    if (origin !== null && !sameOrigin) {
      return refuse(
        403,
        `Requests from other web pages are refused: the Origin ${origin} is not this server's`,
        isApi,
      );
    }
    const problem = pathProblem(raw.path);
    if (problem !== null) return refuse(400, `The request was refused: ${problem}`, isApi);

    const token = this.#options.token;
    if (token !== null) {
      const url = new URL(request.url);
      const fromQuery = url.searchParams.get("token");
      const authorization = request.headers.get("authorization")?.match(/^token\s+(\S+)$/i)?.[1];
      const fromCookie = cookieValue(request.headers.get("cookie"), this.cookieName);
      const isWebSocket = request.headers.get("upgrade")?.toLowerCase() === "websocket";
      if (
        fromQuery !== null && sameText(fromQuery, token) && !isWebSocket &&
        (request.method === "GET" || request.method === "HEAD")
      ) {
        // Trade the token in the URL for a cookie, and drop it from the address bar.
        url.searchParams.delete("token");
        await request.body?.cancel();
        return new Response(null, {
          status: 303,
          headers: {
            location: url.pathname + url.search,
            "set-cookie":
              `${this.cookieName}=${this.#credential}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000`,
            "cache-control": "no-store",
            "referrer-policy": "no-referrer",
          },
        });
      }
      const offered = fromCookie ?? authorization ?? fromQuery;
      const bearer = authorization ?? fromQuery;
      const admitted = (fromCookie !== null && sameText(fromCookie, this.#credential)) ||
        (bearer != null && sameText(bearer, token));
      if (!admitted) {
        await request.body?.cancel();
        return refuse(
          403,
          offered == null
            ? "This gradbook server needs its token: open the URL it printed when it started " +
              "(http://…/?token=…)"
            : "The token is wrong: open the URL the server printed when it started",
          isApi,
        );
      }
    }
    return await this.#limitBody(request, raw.path, isApi);
  }

  /**
   * Adds headers that keep other pages from framing or sniffing ours, and the page's
   * {@link CONTENT_SECURITY_POLICY}: scripts only from this server's own files (no inline script,
   * no `eval`), so markup that slips into a page (a cell's output) cannot run.
   */
  harden(response: Response): Response {
    if (response.status === 101) return response;
    try {
      response.headers.set("x-content-type-options", "nosniff");
      response.headers.set("x-frame-options", "DENY");
      // NOTE: not "no-referrer": under it browsers send `Origin: null` with a same-origin form
      // POST (Fetch standard, "serializing a request origin"), and the Origin check refuses the
      // page's own forms (import, Submit). "same-origin" still sends nothing to other sites.
      response.headers.set("referrer-policy", "same-origin");
      if (!response.headers.has("content-security-policy")) {
        response.headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
      }
    } catch {
      // Immutable headers (a redirect made by Response.redirect): leave them.
    }
    return response;
  }

  #hostProblem(host: string, authority: string): string | null {
    if (host === "") return "The request has no Host header";
    if (authority.toLowerCase() !== host.toLowerCase()) {
      return `The request names two hosts (${authority} and ${host})`;
    }
    if (this.#options.behindProxy === true) return null;
    if (this.#isWildcard && this.#options.allowedHosts === undefined) return null;
    const { name, port } = splitHost(host);
    if (!this.#hostNames.has(name) && !/^127\.\d+\.\d+\.\d+$/.test(name)) {
      return `The Host ${host} is not this server's (DNS rebinding is refused); ` +
        `open http://127.0.0.1:${this.#port()}/ instead`;
    }
    if (port !== String(this.#port())) {
      return `The Host ${host} does not name this server's port ${this.#port()}`;
    }
    return null;
  }

  async #limitBody(request: Request, path: string, isApi: boolean): Promise<Request | Response> {
    if (request.body === null || request.method === "GET" || request.method === "HEAD") {
      return request;
    }
    const limit = this.#bodyLimit(path);
    const tooLarge = () =>
      refuse(
        413,
        `The request body is larger than the limit of ${formatBytes(limit)} for ${path}`,
        isApi,
      );
    const declared = Number(request.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > limit) {
      await request.body.cancel().catch(() => {});
      return tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = request.body.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limit) {
          await reader.cancel().catch(() => {});
          return tooLarge();
        }
        chunks.push(value);
      }
    } catch {
      return refuse(400, "The request body could not be read (the connection broke)", isApi);
    }
    const body = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return new Request(request.url, { method: request.method, headers: request.headers, body });
  }

  #bodyLimit(path: string): number {
    const limits = { ...DEFAULT_BODY_LIMITS, ...this.#options.bodyLimits };
    for (const [prefix, bytes] of Object.entries(limits)) {
      if (path === prefix || path.startsWith(prefix + "/")) return bytes;
    }
    return this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(0)} MiB` : `${bytes} bytes`;
}
