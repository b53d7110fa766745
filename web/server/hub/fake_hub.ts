/**
 * A fake JupyterHub for tests: a local `Deno.serve` that answers the endpoints a single-user
 * server talks to (the OAuth token URL, `/hub/api/user`, the activity URL) the way JupyterHub
 * 3 does, plus {@link FakeHub.issueCode}, which stands in for the hub's authorize page.
 *
 * @module
 */

/** A recorded activity report. */
export interface ActivityPost {
  authorization: string | null;
  body: unknown;
}

/** The fake hub; see the module documentation. */
export class FakeHub {
  readonly apiToken = "server-secret-token";
  readonly clientId = "jupyterhub-user-alice";
  readonly activity: ActivityPost[] = [];
  /** Requests to the token URL, as form fields. */
  readonly tokenRequests: Record<string, string>[] = [];
  readonly #codes = new Map<string, { user: string; scopes: string[]; redirectUri: string }>();
  readonly #tokens = new Map<string, { user: string; scopes: string[] }>();
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  constructor() {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
  }

  /** `JUPYTERHUB_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#server.addr.port}/hub/api`;
  }

  /** The variables a spawner would set for alice's server listening on `port`. */
  env(port: number): Record<string, string> {
    return {
      JUPYTERHUB_USER: "alice",
      JUPYTERHUB_SERVER_NAME: "",
      JUPYTERHUB_API_TOKEN: this.apiToken,
      JUPYTERHUB_API_URL: this.apiUrl,
      JUPYTERHUB_CLIENT_ID: this.clientId,
      JUPYTERHUB_BASE_URL: "/",
      JUPYTERHUB_SERVICE_PREFIX: "/user/alice/",
      JUPYTERHUB_SERVICE_URL: `http://127.0.0.1:${port}/user/alice/`,
      JUPYTERHUB_OAUTH_CALLBACK_URL: "/user/alice/oauth_callback",
      JUPYTERHUB_OAUTH_ACCESS_SCOPES:
        '["access:servers!server=alice/", "access:servers!user=alice"]',
      JUPYTERHUB_ACTIVITY_URL: `${this.apiUrl}/users/alice/activity`,
    };
  }

  /**
   * What the hub's authorize page does once `user` is logged in: remembers a code for them with
   * the scopes their token will carry. JupyterHub grants a server's owner
   * `access:servers!server=alice/`; another user gets only identity scopes.
   */
  issueCode(user: string, redirectUri: string, scopes?: string[]): string {
    const code = crypto.randomUUID();
    this.#codes.set(code, {
      user,
      redirectUri,
      scopes: scopes ??
        (user === "alice"
          ? ["access:servers!server=alice/", "read:users:name!user=alice"]
          : [`read:users:name!user=${user}`]),
    });
    return code;
  }

  /** Makes a token directly (as `jupyterhub token` would). */
  issueToken(user: string, scopes: string[]): string {
    const token = crypto.randomUUID();
    this.#tokens.set(token, { user, scopes });
    return token;
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/hub/api/oauth2/token") {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      this.tokenRequests.push(form);
      const grant = this.#codes.get(form.code ?? "");
      if (
        grant === undefined || form.client_id !== this.clientId ||
        form.client_secret !== this.apiToken || form.grant_type !== "authorization_code" ||
        form.redirect_uri !== grant.redirectUri
      ) {
        return Response.json({ error: "invalid_grant" }, { status: 400 });
      }
      this.#codes.delete(form.code!);
      const token = this.issueToken(grant.user, grant.scopes);
      return Response.json({ access_token: token, token_type: "Bearer" });
    }
    if (request.method === "GET" && path === "/hub/api/user") {
      const token = request.headers.get("authorization")?.match(/^token (\S+)$/)?.[1];
      const grant = token === undefined ? undefined : this.#tokens.get(token);
      if (grant === undefined) return Response.json({ status: 403 }, { status: 403 });
      return Response.json({ kind: "user", name: grant.user, scopes: grant.scopes });
    }
    if (request.method === "POST" && path === "/hub/api/users/alice/activity") {
      const authorization = request.headers.get("authorization");
      this.activity.push({ authorization, body: await request.json() });
      return authorization === `token ${this.apiToken}`
        ? new Response(null, { status: 204 })
        : Response.json({ status: 403 }, { status: 403 });
    }
    return Response.json({ status: 404 }, { status: 404 });
  }
}
