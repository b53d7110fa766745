/**
 * The notebook server: every request passes the base path (`hub/prefix.ts`), the request guard
 * (`security.ts`) and, in hub mode, authentication, then the one route table
 * (`route_table.ts`), built from one handler module per area:
 *
 * - pages (`page_routes.ts`): `GET /`, `GET /lessons/:slug`
 * - assets (`asset_routes.ts`): `/assets/app.<hash>.js`, `/assets/style.<hash>.css`,
 *   `/assets/katex/…`
 * - the socket (`socket_routes.ts`): `GET /ws/lessons/:slug`, attached to the lesson's session in
 *   the kernel registry (`kernel_registry.ts`, the one owner of kernel lifetime)
 * - lesson state (`lesson_routes.ts`): `/api/lessons`, `…/:slug/state`, `…/sources`,
 *   `…/outputs/clear`, and `POST …/:slug/scratch` (the learner's scratch cells, `scratch_routes.ts`)
 * - exercises (`exercise_routes.ts`): `POST /api/lessons/:slug/exercises/:id/(check|hints|solution)`
 * - progress (`progress_routes.ts`): `GET /api/progress/export`, `POST /api/progress/import`,
 *   `POST /progress/import`
 * - editor intelligence (`intelligence_routes.ts`): `POST /api/lessons/:slug/intelligence/:action`
 * - the exchange (`exchange_routes.ts`): `POST /exchange/submit`, `POST /api/exchange/submit`
 *
 * Under a base path (JupyterHub's `/user/alice/`) every route above is served below it: the
 * prefix is dropped at the top of request handling, and pages declare it to the client as
 * `<html data-base>`.
 *
 * @module
 */
import { buildClient } from "./build_client.ts";
import { CourseCache } from "./course_cache.ts";
import { keepRun, keepsRuns, PendingScratchRuns } from "./scratch_routes.ts";
import type { Kernel } from "../../notebook/kernel/kernel.ts";
import { KernelSession } from "./kernel_session.ts";
import { KernelRegistry } from "./kernel_registry.ts";
import { type AssetUrls, renderErrorPage } from "./pages.tsx";
import { Store } from "./store.ts";
import { loadCookieSecret, RequestGuard } from "./security.ts";
import { normalizePrefix, stripPrefix } from "./hub/prefix.ts";
import { ExerciseGrader } from "./grading.ts";
import { IntelligenceRoutes, intelligenceRoutes } from "./intelligence_routes.ts";
import { PROGRESS_LIMITS } from "../../notebook/grader/gradebook.ts";
import { html, json } from "./http.ts";
import { listen } from "./listen.ts";
import { RouteTable } from "./route_table.ts";
import type { ServerContext, ServerOptions } from "./server_context.ts";
import { pageRoutes } from "./page_routes.ts";
import { assetRoutes } from "./asset_routes.ts";
import { socketRoutes } from "./socket_routes.ts";
import { lessonRoutes } from "./lesson_routes.ts";
import { exerciseRoutes } from "./exercise_routes.ts";
import { progressRoutes } from "./progress_routes.ts";
import { exchangeRoutes } from "./exchange_routes.ts";
import { KernelSpares } from "./kernel_spares.ts";

export type { ServerOptions } from "./server_context.ts";

/** A running server. */
export interface RunningServer {
  url: string;
  /** The URL to open in a browser: `url` with `?token=…` when token auth is on. */
  openUrl: string;
  port: number;
  /** Closes sockets, stops every kernel, stops serving and closes the database. */
  shutdown(): Promise<void>;
  /** Lesson slugs with a live kernel session. */
  sessions(): string[];
  /** Resolves once the kernels started ahead of need (`spareKernels`) are ready. */
  sparesReady(): Promise<void>;
}

/** Makes the kernel registry, whose sessions save runs and widget values in `store`. */
function kernelRegistry(
  options: ServerOptions,
  createKernel: () => Kernel,
  store: Store,
  courseCache: CourseCache,
  pendingRuns: PendingScratchRuns,
): KernelRegistry {
  return new KernelRegistry(options.limits ?? {}, (slug, admission) =>
    new KernelSession(
      slug,
      createKernel,
      // NOTE: a socket message or a run can still end while the server shuts down: once the
      // store is closed nothing more is written (writing then threw an uncaught error).
      (cellId, run) => {
        if (!store.isOpen) return;
        // NOTE: a page may run any cell id: only the lesson's cells and its learner's scratch
        // cells keep a run, so a hostile page cannot grow the store without bound.
        const lesson = courseCache.peek()?.lessons.find((l) => l.slug === slug);
        const saved = { ...run, finishedAt: Date.now() };
        if (lesson === undefined) store.saveRun(slug, cellId, saved);
        else keepRun(lesson, store, pendingRuns, cellId, saved);
      },
      {
        maxQueued: options.limits?.maxQueued,
        admission,
        widgets: {
          values: (cellId) => store.isOpen ? store.widgetValues(slug)[cellId] ?? {} : {},
          save: (cellId, key, value) => {
            if (store.isOpen) store.saveWidget(slug, cellId, key, value);
          },
          refuse: (cellId, key) => {
            if (!store.isOpen) return "The server is shutting down; the widget value was not kept";
            // NOTE: a page may send anything: only the lesson's runnable cells keep widget
            // values, at most PROGRESS_LIMITS.widgetsPerCell each (what an export may hold).
            const lesson = courseCache.peek()?.lessons.find((l) => l.slug === slug);
            if (lesson === undefined || !keepsRuns(lesson, store, cellId)) {
              return `The server ignored a widget value for cell "${cellId.slice(0, 40)}", ` +
                `which this lesson does not have`;
            }
            const saved = store.widgetValues(slug)[cellId] ?? {};
            if (
              !Object.hasOwn(saved, key) &&
              Object.keys(saved).length >= PROGRESS_LIMITS.widgetsPerCell
            ) {
              return `The server ignored a widget value: cell "${cellId.slice(0, 40)}" already ` +
                `has ${PROGRESS_LIMITS.widgetsPerCell} widgets`;
            }
            return null;
          },
        },
      },
    ));
}

/** Builds the client and starts serving. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const build = await buildClient(options.buildDir);
  const base = normalizePrefix(options.basePath ?? "/");
  const assets: AssetUrls = {
    js: `${base}assets/app.${build.hash}.js`,
    jsImports: build.entryImports.map((chunk) => `${base}assets/${chunk}`),
    css: `${base}assets/style.${build.hash}.css`,
    katexCss: `${base}assets/katex/katex.min.css`,
    base,
    canSubmit: options.exchange !== undefined,
  };
  const courseCache = new CourseCache(options.lessonsDir);
  const store = Store.open(options.dataDir);
  const pendingRuns = new PendingScratchRuns();
  const spares = new KernelSpares(options.createKernel, options.spareKernels ?? 0);
  const context: ServerContext = {
    options,
    base,
    assets,
    build,
    courseCache,
    store,
    grader: new ExerciseGrader(store, options.grading),
    intelligence: new IntelligenceRoutes(),
    pendingRuns,
    kernels: kernelRegistry(options, () => spares.take(), store, courseCache, pendingRuns),
  };
  const routes = new RouteTable(
    [
      ...pageRoutes(context),
      ...assetRoutes(context),
      ...socketRoutes(context),
      ...intelligenceRoutes(context),
      ...exerciseRoutes(context),
      ...lessonRoutes(context),
      ...progressRoutes(context),
      ...exchangeRoutes(context),
    ],
    ({ url }) =>
      url.pathname.startsWith("/api/")
        ? json({ error: `No route ${url.pathname}` }, 404)
        : html(renderErrorPage(404, `Nothing is served at ${url.pathname}.`, assets), 404),
  );

  const token = options.security?.token ?? null;
  const guard = new RequestGuard(
    {
      hostname: options.hostname,
      ...options.security,
      token,
      // Kept in the data folder: a restarted server still admits the cookies of open tabs.
      cookieSecret: options.security?.cookieSecret ??
        (token === null ? undefined : loadCookieSecret(options.dataDir)),
    },
    () => server.addr.port,
  );
  const server = listen(options, async (request) => {
    try {
      const placed = stripPrefix(request, base);
      if (placed.kind === "redirect") {
        return guard.harden(
          new Response(null, { status: 302, headers: { location: placed.location } }),
        );
      }
      if (placed.kind === "outside") {
        return guard.harden(html(renderErrorPage(404, `Nothing is served here.`, assets), 404));
      }
      const admitted = await guard.admit(request);
      if (admitted instanceof Response) return guard.harden(admitted);
      const who = options.authenticate === undefined ? null : await options.authenticate(admitted);
      if (who instanceof Response) return guard.harden(who);
      options.onActivity?.();
      return guard.harden(await routes.handle(admitted, who?.name ?? null));
    } catch (error) {
      console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      return request.url.includes("/api/")
        ? json({ error: message }, 500)
        : html(renderErrorPage(500, message, assets), 500);
    }
  }, (head) => token === null || head.includes(token) || head.includes(guard.credential));
  const port = server.addr.port;
  let closing: Promise<void> | null = null;

  const url = `http://${options.hostname ?? "127.0.0.1"}:${port}${base}`;
  return {
    url,
    openUrl: token === null ? url : `${url}?token=${token}`,
    port,
    sessions: () => context.kernels.slugs(),
    sparesReady: () => spares.ready(),
    shutdown() {
      closing ??= (async () => {
        await context.grader.close();
        context.intelligence.close();
        await spares.close();
        await context.kernels.close();
        await server.shutdown();
        store.close();
      })();
      return closing;
    },
  };
}
