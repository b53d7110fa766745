/**
 * Logging in through JupyterHub, as its own single-user server does (JupyterHub's
 * `services/auth.py`, `HubOAuth`): OAuth 2.0's authorization-code grant with the hub as the
 * provider.
 *
 * 1. A browser without a session is redirected to the hub's authorize URL with this server's
 *    client id, redirect URI and a random `state`, which is also set in a cookie.
 * 2. The hub sends the browser back to `oauth_callback?code=…&state=…`; the state must match the
 *    cookie. The code is exchanged at `JUPYTERHUB_API_URL/oauth2/token` (client secret: this
 *    server's API token) for an access token.
 * 3. `JUPYTERHUB_API_URL/user` with that token names the user and the token's scopes; only a
 *    user whose scopes cover one of `JUPYTERHUB_OAUTH_ACCESS_SCOPES` gets a session (an HttpOnly
 *    cookie under the prefix; the session is re-checked with the hub every few minutes).
 *
 * Scripts may send `Authorization: token <hub token>` instead of a cookie.
 *
 * @module
 */
import type { HubConfig } from "./config.ts";
import { grantsAccess } from "./scopes.ts";

/** A user the hub vouched for. */
export interface HubUser {
  name: string;
  scopes: string[];
}

/** Options of {@link HubAuth}. */
export interface HubAuthOptions {
  /** How to reach the hub (tests pass a fake). */
  fetch?: typeof fetch;
  /** Clock in ms. */
  now?: () => number;
  /** How long a session's hub check holds before it is asked again (default 5 minutes). */
  recheckMs?: number;
}

interface Session {
  user: HubUser;
  token: string;
  checkedAt: number;
}

const STATE_TTL_MS = 10 * 60_000;
const MAX_SESSIONS = 1000;
const MAX_PENDING_STATES = 200;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Authenticates requests with the hub; see the module documentation. */
export class HubAuth {
  readonly #config: HubConfig;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #recheckMs: number;
  readonly #sessions = new Map<string, Session>();
  readonly #states = new Map<string, { next: string; createdAt: number }>();
  readonly #tokenUsers = new Map<string, { user: HubUser | null; checkedAt: number }>();

  constructor(config: HubConfig, options: HubAuthOptions = {}) {
    this.#config = config;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#recheckMs = options.recheckMs ?? 5 * 60_000;
  }

  /** The session cookie's name: the OAuth client id, as JupyterHub's servers name theirs. */
  get cookieName(): string {
    return this.#config.clientId;
  }

  /**
   * The user behind a request whose URL has already lost the prefix, or the response to send
   * instead: the OAuth callback's redirect, a redirect to the hub's login, or a refusal.
   */
  async authenticate(request: Request): Promise<HubUser | Response> {
    const url = new URL(request.url);
    if (url.pathname === this.#config.callbackPath) return await this.#callback(request, url);
    const sessionId = cookieValue(request.headers.get("cookie"), this.cookieName);
    const session = sessionId === null ? undefined : this.#sessions.get(sessionId);
    if (session !== undefined && sessionId !== null) {
      if (this.#now() - session.checkedAt < this.#recheckMs) return session.user;
      const user = await this.#userOf(session.token).catch(() => null);
      if (user !== null && grantsAccess(user.scopes, this.#config.accessScopes)) {
        session.checkedAt = this.#now();
        session.user = user;
        return user;
      }
      this.#sessions.delete(sessionId);
    }
    const header = request.headers.get("authorization")?.match(/^(?:token|bearer)\s+(\S+)$/i);
    if (header != null) return await this.#tokenUser(header[1]!);
    const isPage = (request.method === "GET" || request.method === "HEAD") &&
      request.headers.get("upgrade") === null && !url.pathname.startsWith("/api/");
    if (!isPage) {
      return Response.json(
        { error: "Not logged in: open this server through JupyterHub to log in" },
        { status: 403, headers: { "cache-control": "no-store" } },
      );
    }
    return this.#redirectToHub(url.pathname + url.search);
  }

  /** Forgets every session (the server is stopping). */
  clear(): void {
    this.#sessions.clear();
    this.#states.clear();
    this.#tokenUsers.clear();
  }

  #redirectToHub(next: string): Response {
    const now = this.#now();
    for (const [state, entry] of this.#states) {
      if (now - entry.createdAt > STATE_TTL_MS || this.#states.size > MAX_PENDING_STATES) {
        this.#states.delete(state);
      }
    }
    const state = randomId();
    this.#states.set(state, { next, createdAt: now });
    const query = new URLSearchParams({
      client_id: this.#config.clientId,
      redirect_uri: this.#config.callbackUrl,
      response_type: "code",
      state,
    });
    return new Response(null, {
      status: 302,
      headers: {
        location: `${this.#config.authorizeUrl}?${query}`,
        "set-cookie": this.#cookie(`${this.cookieName}-oauth-state`, state, STATE_TTL_MS / 1000),
        "cache-control": "no-store",
      },
    });
  }

  async #callback(request: Request, url: URL): Promise<Response> {
    const code = url.searchParams.get("code");
    const state = url.searchParams.get("state");
    const expected = cookieValue(request.headers.get("cookie"), `${this.cookieName}-oauth-state`);
    const pending = state === null ? undefined : this.#states.get(state);
    if (code === null || state === null || state !== expected || pending === undefined) {
      return this.#page(
        400,
        "The login could not be completed (its state did not match); open the server again.",
      );
    }
    this.#states.delete(state);
    let user: HubUser | null;
    let token: string;
    try {
      token = await this.#exchange(code);
      user = await this.#userOf(token);
    } catch (error) {
      console.error(`gradbook: JupyterHub login failed: ${(error as Error).message}`);
      return this.#page(502, "JupyterHub did not complete the login; try again.");
    }
    if (user === null) return this.#page(403, "JupyterHub did not accept the login token.");
    if (!grantsAccess(user.scopes, this.#config.accessScopes)) {
      return this.#page(
        403,
        `${user.name} may not use this server: it belongs to ${this.#config.user}.`,
      );
    }
    const sessionId = randomId();
    if (this.#sessions.size >= MAX_SESSIONS) {
      this.#sessions.delete(this.#sessions.keys().next().value!);
    }
    this.#sessions.set(sessionId, { user, token, checkedAt: this.#now() });
    const headers = new Headers({
      location: this.#config.prefix + pending.next.replace(/^\/+/, ""),
      "cache-control": "no-store",
    });
    headers.append("set-cookie", this.#cookie(this.cookieName, sessionId));
    headers.append("set-cookie", this.#cookie(`${this.cookieName}-oauth-state`, "", 0));
    return new Response(null, { status: 302, headers });
  }

  async #exchange(code: string): Promise<string> {
    const response = await this.#fetch(`${this.#config.apiUrl}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: this.#config.clientId,
        client_secret: this.#config.apiToken,
        grant_type: "authorization_code",
        code,
        redirect_uri: this.#config.callbackUrl,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await response.json().catch(() => null) as { access_token?: unknown } | null;
    if (!response.ok || typeof body?.access_token !== "string") {
      throw new Error(`the token URL answered ${response.status}`);
    }
    return body.access_token;
  }

  /** The hub's user for a token, or null when the hub refuses the token. */
  async #userOf(token: string): Promise<HubUser | null> {
    const response = await this.#fetch(`${this.#config.apiUrl}/user`, {
      headers: { authorization: `token ${token}` },
      signal: AbortSignal.timeout(15_000),
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return null;
    }
    const body = await response.json().catch(() => null) as
      | { name?: unknown; scopes?: unknown }
      | null;
    if (!response.ok || typeof body?.name !== "string") {
      throw new Error(`${this.#config.apiUrl}/user answered ${response.status}`);
    }
    const scopes = Array.isArray(body.scopes)
      ? body.scopes.filter((s): s is string => typeof s === "string")
      : [];
    return { name: body.name, scopes };
  }

  async #tokenUser(token: string): Promise<HubUser | Response> {
    const cached = this.#tokenUsers.get(token);
    let user = cached?.user ?? null;
    if (cached === undefined || this.#now() - cached.checkedAt >= 60_000) {
      user = await this.#userOf(token).catch(() => null);
      if (this.#tokenUsers.size >= MAX_SESSIONS) this.#tokenUsers.clear();
      this.#tokenUsers.set(token, { user, checkedAt: this.#now() });
    }
    if (user !== null && grantsAccess(user.scopes, this.#config.accessScopes)) return user;
    return Response.json(
      { error: "The token does not give access to this server" },
      { status: 403, headers: { "cache-control": "no-store" } },
    );
  }

  #cookie(name: string, value: string, maxAgeSeconds?: number): string {
    const age = maxAgeSeconds === undefined ? "" : `; Max-Age=${Math.round(maxAgeSeconds)}`;
    return `${name}=${value}; Path=${this.#config.prefix}; HttpOnly; SameSite=Lax${age}`;
  }

  #page(status: number, message: string): Response {
    return new Response(
      `<!doctype html><meta charset="utf-8"><title>gradbook: ${status}</title>` +
        `<h1>${status}</h1><p>${escapeHtml(message)}</p>\n`,
      {
        status,
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      },
    );
  }
}
