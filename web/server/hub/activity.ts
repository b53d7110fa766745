/**
 * Activity reports to JupyterHub, so its idle culler sees a learner at work even when no request
 * passes through the proxy (a long training cell streaming over one WebSocket).
 *
 * Like JupyterHub's single-user server (`singleuser/mixins.py`), it posts
 * `{"servers": {"<name>": {"last_activity": "<ISO time>"}}, "last_activity": "<ISO time>"}` to
 * `JUPYTERHUB_ACTIVITY_URL` with this server's API token: once at start, then every interval if
 * anything happened since the last report.
 *
 * @module
 */

/** Options of {@link ActivityReporter}. */
export interface ActivityReporterOptions {
  /** `JUPYTERHUB_ACTIVITY_URL`. */
  url: string;
  /** `JUPYTERHUB_API_TOKEN`. */
  token: string;
  /** `JUPYTERHUB_SERVER_NAME` (`""` for the default server). */
  serverName: string;
  /** Time between reports, ms. */
  intervalMs: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Where failures are told (default `console.error`). */
  log?: (line: string) => void;
}

/** Posts activity to the hub; see the module documentation. */
export class ActivityReporter {
  readonly #options: ActivityReporterOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #lastActivity: number;
  #lastReported = -Infinity;
  #timer: ReturnType<typeof setInterval> | undefined;
  #inFlight: Promise<boolean> | null = null;

  constructor(options: ActivityReporterOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#lastActivity = this.#now();
  }

  /** Records that the learner did something now. */
  note(): void {
    this.#lastActivity = this.#now();
  }

  /** Reports once now, then on every interval. */
  start(): void {
    void this.report();
    this.#timer = setInterval(() => void this.report(), this.#options.intervalMs);
  }

  /** Stops reporting; waits for a report in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  /** Posts the last activity if it is newer than the last report; true when the hub took it. */
  report(): Promise<boolean> {
    if (this.#inFlight !== null) return this.#inFlight;
    if (this.#lastActivity <= this.#lastReported) return Promise.resolve(false);
    const at = this.#lastActivity;
    const when = new Date(at).toISOString();
    const body = {
      servers: { [this.#options.serverName]: { last_activity: when } },
      last_activity: when,
    };
    this.#inFlight = (async () => {
      try {
        const response = await this.#fetch(this.#options.url, {
          method: "POST",
          headers: {
            authorization: `token ${this.#options.token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`the hub answered ${response.status}`);
        this.#lastReported = at;
        return true;
      } catch (error) {
        (this.#options.log ?? console.error)(
          `gradbook: activity report to JupyterHub failed: ${(error as Error).message}`,
        );
        return false;
      } finally {
        this.#inFlight = null;
      }
    })();
    return this.#inFlight;
  }
}
