/**
 * Hub mode's settings, read from the `JUPYTERHUB_*` variables a JupyterHub spawner sets for a
 * single-user server (see JupyterHub's `Spawner.get_env`).
 *
 * @module
 */
import { normalizePrefix } from "./prefix.ts";

/** What gradbook needs to know to run as a JupyterHub single-user server. */
export interface HubConfig {
  /** The hub user this server belongs to (`JUPYTERHUB_USER`). */
  user: string;
  /** The named server, `""` for the default one (`JUPYTERHUB_SERVER_NAME`). */
  serverName: string;
  /** This server's token for the hub's API; also its OAuth client secret. */
  apiToken: string;
  /** The hub's API as this server reaches it, without a trailing slash. */
  apiUrl: string;
  /** This server's OAuth client id (`jupyterhub-user-alice`). */
  clientId: string;
  /** Path prefix the proxy forwards to this server (`/user/alice/`). */
  prefix: string;
  /** Where to listen (`JUPYTERHUB_SERVICE_URL`). */
  hostname: string;
  port: number;
  /** The OAuth redirect URI registered with the hub (a path or a full URL). */
  callbackUrl: string;
  /** Path of the callback under `prefix`, as routed: `/oauth_callback`. */
  callbackPath: string;
  /** The browser-facing authorize URL (`/hub/api/oauth2/authorize`). */
  authorizeUrl: string;
  /** Scopes that let a user in; any one suffices (`JUPYTERHUB_OAUTH_ACCESS_SCOPES`). */
  accessScopes: string[];
  /** Where to post activity (`JUPYTERHUB_ACTIVITY_URL`); `null` turns reports off. */
  activityUrl: string | null;
  /** Seconds between activity reports (`JUPYTERHUB_ACTIVITY_INTERVAL`, default 300). */
  activityIntervalSeconds: number;
}

/** Whether the process was started by a JupyterHub spawner. */
export function isHubMode(env: (name: string) => string | undefined): boolean {
  return env("JUPYTERHUB_API_TOKEN") !== undefined &&
    env("JUPYTERHUB_SERVICE_PREFIX") !== undefined;
}

function defaultPort(protocol: string): number {
  return protocol === "https:" ? 443 : 80;
}

/**
 * Reads hub mode's settings; throws a `TypeError` naming every missing or malformed variable.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../tests/assert.ts";
 * import { hubConfigFromEnv } from "./config.ts";
 * const env: Record<string, string> = {
 *   JUPYTERHUB_USER: "alice",
 *   JUPYTERHUB_API_TOKEN: "secret",
 *   JUPYTERHUB_API_URL: "http://127.0.0.1:8081/hub/api",
 *   JUPYTERHUB_CLIENT_ID: "jupyterhub-user-alice",
 *   JUPYTERHUB_SERVICE_PREFIX: "/user/alice/",
 *   JUPYTERHUB_SERVICE_URL: "http://127.0.0.1:41234/user/alice/",
 *   JUPYTERHUB_OAUTH_CALLBACK_URL: "/user/alice/oauth_callback",
 *   JUPYTERHUB_OAUTH_ACCESS_SCOPES: '["access:servers!server=alice/"]',
 *   JUPYTERHUB_BASE_URL: "/",
 * };
 * const config = hubConfigFromEnv((name) => env[name]);
 * assertEquals(config.port, 41234);
 * assertEquals(config.callbackPath, "/oauth_callback");
 * assertEquals(config.authorizeUrl, "/hub/api/oauth2/authorize");
 * ```
 */
export function hubConfigFromEnv(env: (name: string) => string | undefined): HubConfig {
  const problems: string[] = [];
  const need = (name: string): string => {
    const value = env(name);
    if (value === undefined || value === "") problems.push(`${name} is not set`);
    return value ?? "";
  };
  const user = need("JUPYTERHUB_USER");
  const apiToken = need("JUPYTERHUB_API_TOKEN");
  const apiUrl = need("JUPYTERHUB_API_URL").replace(/\/+$/, "");
  const clientId = env("JUPYTERHUB_CLIENT_ID") ?? `jupyterhub-user-${user}`;
  const prefix = normalizePrefix(need("JUPYTERHUB_SERVICE_PREFIX"));
  const serviceUrl = env("JUPYTERHUB_SERVICE_URL") ?? "http://127.0.0.1:8888/";
  let hostname = "127.0.0.1";
  let port = 8888;
  try {
    const url = new URL(serviceUrl);
    hostname = url.hostname.replace(/^\[|\]$/g, "");
    port = url.port === "" ? defaultPort(url.protocol) : Number(url.port);
  } catch {
    problems.push(`JUPYTERHUB_SERVICE_URL is not a URL: "${serviceUrl}"`);
  }
  const callbackUrl = env("JUPYTERHUB_OAUTH_CALLBACK_URL") ?? `${prefix}oauth_callback`;
  const callbackFullPath = callbackUrl.startsWith("/")
    ? callbackUrl
    : URL.canParse(callbackUrl)
    ? new URL(callbackUrl).pathname
    : "";
  if (!callbackFullPath.startsWith(prefix)) {
    problems.push(`JUPYTERHUB_OAUTH_CALLBACK_URL ${callbackUrl} is not under the prefix ${prefix}`);
  }
  let accessScopes: string[] = [];
  const scopesText = env("JUPYTERHUB_OAUTH_ACCESS_SCOPES");
  if (scopesText === undefined) {
    // Before JupyterHub 3, a server admitted only its owner.
    accessScopes = [`access:servers!server=${user}/${env("JUPYTERHUB_SERVER_NAME") ?? ""}`];
  } else {
    try {
      const parsed: unknown = JSON.parse(scopesText);
      if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === "string")) throw 0;
      accessScopes = parsed;
    } catch {
      problems.push("JUPYTERHUB_OAUTH_ACCESS_SCOPES is not a JSON list of strings");
    }
  }
  const baseUrl = normalizePrefix(env("JUPYTERHUB_BASE_URL") ?? "/");
  // A hub on another host (JUPYTERHUB_HOST) makes the authorize URL absolute.
  const authorizeUrl = (env("JUPYTERHUB_HOST") ?? "") + `${baseUrl}hub/api/oauth2/authorize`;
  const interval = Number(env("JUPYTERHUB_ACTIVITY_INTERVAL") ?? "300");
  if (!Number.isFinite(interval) || interval <= 0) {
    problems.push("JUPYTERHUB_ACTIVITY_INTERVAL is not a positive number of seconds");
  }
  if (problems.length > 0) {
    throw new TypeError(`Cannot start in JupyterHub mode: ${problems.join("; ")}`);
  }
  return {
    user,
    serverName: env("JUPYTERHUB_SERVER_NAME") ?? "",
    apiToken,
    apiUrl,
    clientId,
    prefix,
    hostname,
    port,
    callbackUrl,
    callbackPath: "/" + callbackFullPath.slice(prefix.length),
    authorizeUrl,
    accessScopes,
    activityUrl: env("JUPYTERHUB_ACTIVITY_URL") || null,
    activityIntervalSeconds: interval,
  };
}
