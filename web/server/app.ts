/**
 * The notebook server: course index, lesson pages, static assets (bundled client, CSS, KaTeX CSS
 * and fonts from the local `katex` package), a WebSocket per lesson page to the lesson's kernel,
 * and JSON routes for autosave.
 *
 * Routes:
 * - `GET /` — the course index; `GET /lessons/:slug` — a lesson page
 * - `GET /assets/app.<hash>.js`, `/assets/style.<hash>.css`, `/assets/katex/…` — assets
 * - `GET /ws/lessons/:slug` — WebSocket (see `ClientMessage` / `ServerMessage`)
 * - `GET /api/lessons` — lessons with progress; `GET /api/lessons/:slug/state` — saved state
 * - `POST /api/lessons/:slug/sources` — save edited sources (`null` resets a cell)
 * - `POST /api/lessons/:slug/outputs/clear` — clear saved outputs of cells
 * - `POST /api/lessons/:slug/scratch` — replace the learner's scratch cells (`scratch_routes.ts`)
 * - `POST /api/lessons/:slug/exercises/:id/check` — grade `{ code }` in a fresh kernel
 * - `POST /api/lessons/:slug/exercises/:id/hints` — unlock hint `{ index }` (the next one only)
 * - `POST /api/lessons/:slug/exercises/:id/solution` — reveal the solution (after an attempt)
 * - `GET /api/progress/export?learner=…` — download all progress and edits as one JSON file
 * - `POST /api/progress/import` — merge such a file (JSON body), or refuse it changing nothing
 * - `POST /progress/import` — the same from the index page's upload form (no JavaScript)
 * - `POST /api/lessons/:slug/intelligence/:action` — type errors, completions, hover, parameter
 *   hints for a cell (see `intelligence_routes.ts`)
 * - `POST /exchange/submit` (form) and `POST /api/exchange/submit` — write the learner's progress
 *   export into the exchange folder (`exchange.ts`), when the server has one
 *
 * Under a base path (JupyterHub's `/user/alice/`) every route above is served below it: the
 * prefix is dropped at the top of request handling (`hub/prefix.ts`), and pages declare it to
 * the client as `<html data-base>`.
 *
 * @module
 */
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { FrontDoor } from "./front_door.ts";
import { CourseCache, originalSources } from "./course_cache.ts";
import { buildClient, REPO_ROOT } from "./build_client.ts";
import { type KernelLike, KernelSession } from "./kernel_session.ts";
import { lessonCellNames } from "./cell_names.ts";
import { handleScratchRoute, keepRun, keepsRuns, PendingScratchRuns } from "./scratch_routes.ts";
import { type AssetUrls, renderErrorPage, renderIndexPage, renderLessonPage } from "./pages.tsx";
import { Store } from "./store.ts";
import { loadCookieSecret, RequestGuard, type SecurityOptions } from "./security.ts";
import { normalizePrefix, stripPrefix } from "./hub/prefix.ts";
import { submitToExchange } from "./exchange.ts";
import { type KernelLimits, KernelPool } from "./limits.ts";
import { ExerciseGrader, type ExerciseGraderOptions, RouteError } from "./grading.ts";
import { IntelligenceRoutes } from "./intelligence_routes.ts";
import {
  buildProgressExport,
  importProgressText,
  lessonExercises,
  lessonLinks,
} from "./progress.ts";
import { PROGRESS_LIMITS, ProgressFileError } from "../../notebook/grader/gradebook.ts";
import type {
  CheckRequest,
  ClearOutputsRequest,
  ExerciseProgress,
  ExerciseResponse,
  HintRequest,
  ImportResponse,
  LessonPageData,
  SaveSourcesRequest,
} from "../messages.ts";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Folder of lesson Markdown files. */
  lessonsDir: string;
  /** Folder for the database. */
  dataDir: string;
  /** Makes a kernel for a lesson (one per open lesson). */
  createKernel: () => KernelLike;
  hostname?: string;
  /** First port to try (0: any free port); the next ones are tried if it is taken. */
  port?: number;
  /** How many ports after `port` to try. */
  portAttempts?: number;
  /** Folder for client builds. */
  buildDir?: string;
  /** How exercises are graded: cell time limit (default 60 s), kernel factory, concurrency. */
  grading?: ExerciseGraderOptions;
  /**
   * Token, Host/Origin and body-size checks (`security.ts`). Without a `token`, token auth is
   * off (tests); `deno task serve` always passes a fresh one unless `--no-token`.
   */
  security?: Partial<SecurityOptions>;
  /**
   * Most live kernels, the one idle policy and queue length per lesson (`limits.ts`): a kernel
   * with no cell for `idleTimeoutMs` is stopped, and a lesson with no page open for as long
   * closes its session.
   */
  limits?: KernelLimits;
  /** The path everything is served under (JupyterHub's `JUPYTERHUB_SERVICE_PREFIX`); `/`. */
  basePath?: string;
  /**
   * Who is asking (hub mode's OAuth, `hub/oauth.ts`): the user, or the response to send instead
   * (a redirect to log in, a refusal). Runs after the request guard, on the prefix-less URL.
   */
  authenticate?: (request: Request) => Promise<{ name: string } | Response>;
  /** Called on every admitted request and WebSocket message (hub activity reports). */
  onActivity?: () => void;
  /**
   * The exchange folder "Submit" writes to; `learner` names the submitter when `authenticate`
   * does not (local mode).
   */
  exchange?: { dir: string; learner: string };
}

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
}

const KATEX_DIR = dirname(
  createRequire(join(REPO_ROOT, "deno.json")).resolve("katex/package.json"),
);
const CLIENT_CSS = join(REPO_ROOT, "web", "client", "style.css");
const FONT_NAME = /^KaTeX_[A-Za-z0-9_-]+\.(woff2|woff|ttf)$/;
const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  woff2: "font/woff2",
  woff: "font/woff",
  ttf: "font/ttf",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function html(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

async function file(path: string, immutable: boolean): Promise<Response> {
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

/** Reads a request body (bytes), refusing one larger than a progress file may be. */
async function readLimitedBody(request: Request): Promise<Uint8Array | Response> {
  const length = Number(request.headers.get("content-length") ?? 0);
  const tooLarge = () =>
    json({
      error: `The progress file was not imported: it is larger than the limit of ${
        PROGRESS_LIMITS.fileBytes / 1048576
      } MiB`,
    }, 413);
  if (length > PROGRESS_LIMITS.fileBytes) {
    await request.body?.cancel();
    return tooLarge();
  }
  const bytes = await request.bytes();
  return bytes.byteLength > PROGRESS_LIMITS.fileBytes ? tooLarge() : bytes;
}

async function readJson<T>(request: Request): Promise<T | Response> {
  try {
    return await request.json() as T;
  } catch {
    return json({ error: "The request body is not valid JSON" }, 400);
  }
}

/** What {@link listen} started: the front door's port and a way to stop both listeners. */
interface Listening {
  addr: { port: number };
  shutdown(): Promise<void>;
}

/**
 * Listens on `hostname` (the first free port from `options.port`) through the {@link FrontDoor}
 * (header timeout, connection caps, survives running out of file descriptors), which hands
 * complete requests to `Deno.serve` on a Unix socket in a private temporary folder.
 */
function listen(
  options: ServerOptions,
  handler: Deno.ServeHandler,
  isAuthenticated: (head: string) => boolean,
): Listening {
  const hostname = options.hostname ?? "127.0.0.1";
  const first = options.port ?? 8000;
  const attempts = first === 0 ? 1 : options.portAttempts ?? 20;
  let listener: Deno.TcpListener | null = null;
  for (let port = first; port < first + attempts && listener === null; port++) {
    try {
      listener = Deno.listen({ hostname, port });
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    }
  }
  if (listener === null) {
    throw new Deno.errors.AddrInUse(
      `Cannot listen on ${hostname}: ports ${first} to ${first + attempts - 1} are all taken`,
    );
  }
  const folder = Deno.makeTempDirSync({ prefix: "gradbook-http-" });
  Deno.chmodSync(folder, 0o700);
  const path = join(folder, "http.sock");
  const inner = Deno.serve({ path, transport: "unix", handler, onListen: () => {} });
  const front = new FrontDoor(listener, path, { isAuthenticated });
  const port = listener.addr.port;
  return {
    addr: { port },
    async shutdown() {
      await front.close();
      await inner.shutdown();
      await Deno.remove(folder, { recursive: true }).catch(() => {});
    },
  };
}

/** Builds the client and starts serving. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const build = await buildClient(options.buildDir);
  const base = normalizePrefix(options.basePath ?? "/");
  const assets: AssetUrls = {
    js: `${base}assets/app.${build.hash}.js`,
    css: `${base}assets/style.${build.hash}.css`,
    katexCss: `${base}assets/katex/katex.min.css`,
    base,
    canSubmit: options.exchange !== undefined,
  };
  const courseCache = new CourseCache(options.lessonsDir);
  const store = Store.open(options.dataDir);
  const grader = new ExerciseGrader(store, options.grading);
  const intelligence = new IntelligenceRoutes();
  const pendingRuns = new PendingScratchRuns();
  const sessions = new Map<string, KernelSession>();
  const idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const pool = new KernelPool(
    options.limits,
    (slug, text) => sessions.get(slug)?.notify("warning", text),
  );

  function session(slug: string): KernelSession {
    let existing = sessions.get(slug);
    if (existing === undefined) {
      existing = new KernelSession(
        slug,
        () => pool.wrap(slug, options.createKernel()),
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
          maxQueued: pool.limits.maxQueued,
          widgets: {
            values: (cellId) => store.isOpen ? store.widgetValues(slug)[cellId] ?? {} : {},
            save: (cellId, key, value) => {
              if (store.isOpen) store.saveWidget(slug, cellId, key, value);
            },
            refuse: (cellId, key) => {
              if (!store.isOpen) {
                return "The server is shutting down; the widget value was not kept";
              }
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
      );
      sessions.set(slug, existing);
    }
    return existing;
  }

  function openSocket(request: Request, slug: string): Response {
    const { socket, response } = Deno.upgradeWebSocket(request);
    const lessonSession = session(slug);
    clearTimeout(idleTimers.get(slug));
    idleTimers.delete(slug);
    lessonSession.attach(socket);
    if (options.onActivity !== undefined) socket.addEventListener("message", options.onActivity);
    socket.addEventListener("close", () => {
      lessonSession.detach(socket);
      if (lessonSession.socketCount > 0 || sessions.get(slug) !== lessonSession) return;
      idleTimers.set(
        slug,
        setTimeout(() => {
          idleTimers.delete(slug);
          if (lessonSession.socketCount > 0) return;
          sessions.delete(slug);
          void lessonSession.close();
        }, pool.limits.idleTimeoutMs > 0 ? pool.limits.idleTimeoutMs : 2 ** 31 - 1),
      );
    });
    return response;
  }

  /** The upload form of the index page: imports, then shows the index with what happened. */
  async function importFromForm(request: Request): Promise<Response> {
    const course = await courseCache.get();
    const page = (ok: boolean, text: string, status: number) =>
      html(
        renderIndexPage(lessonLinks(course, store), course.errors, assets, {
          notice: { ok, text },
        }),
        status,
      );
    let upload: FormDataEntryValue | null = null;
    try {
      upload = (await request.formData()).get("file");
    } catch {
      return page(
        false,
        "The upload could not be read; choose a progress file and try again.",
        400,
      );
    }
    if (upload === null || typeof upload === "string") {
      return page(false, "Choose a progress file (.json) to import.", 400);
    }
    if (upload.size > PROGRESS_LIMITS.fileBytes) {
      return page(false, `${upload.name} is too large to be a progress file.`, 400);
    }
    try {
      const counts = await importProgressText(store, course, await upload.bytes());
      const query = [counts.lessons, counts.sources, counts.attempts].join(",");
      return new Response(null, {
        status: 303,
        headers: { location: `${base}?imported=${query}` },
      });
    } catch (error) {
      if (!(error instanceof ProgressFileError)) throw error;
      return page(
        false,
        `${upload.name} was not imported, and nothing changed: ${error.message}.`,
        400,
      );
    }
  }

  /** Writes the learner's progress into the exchange; the file name, or null without one. */
  async function submit(user: string | null): Promise<{ learner: string; file: string } | null> {
    if (options.exchange === undefined) return null;
    const learner = user ?? options.exchange.learner;
    const text = JSON.stringify(buildProgressExport(store, learner), null, 2) + "\n";
    const path = await submitToExchange(options.exchange.dir, learner, text);
    return { learner, file: basename(path) };
  }

  async function handle(request: Request, user: string | null): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method;
    let match: RegExpMatchArray | null;

    if (method === "GET" && path === "/") {
      const course = await courseCache.get();
      const imported = url.searchParams.get("imported")?.match(/^(\d+),(\d+),(\d+)$/);
      const plural = (n: string, word: string) => `${n} ${word}${n === "1" ? "" : "s"}`;
      const submitted = url.searchParams.get("submitted");
      const notice = imported != null
        ? {
          ok: true,
          text: `Progress imported: ${plural(imported[1]!, "lesson")}, ${
            plural(imported[2]!, "edited cell")
          }, ${plural(imported[3]!, "new attempt")}.`,
        }
        : submitted !== null
        ? { ok: true, text: `Submitted: your progress is in the class exchange as ${submitted}.` }
        : undefined;
      return html(renderIndexPage(lessonLinks(course, store), course.errors, assets, { notice }));
    }
    if (method === "POST" && path === "/progress/import") {
      return await importFromForm(request);
    }
    if (method === "POST" && (path === "/exchange/submit" || path === "/api/exchange/submit")) {
      await request.body?.cancel();
      const done = await submit(user);
      if (done === null) return json({ error: "This server has no exchange folder" }, 404);
      if (path.startsWith("/api/")) return json(done);
      const query = new URLSearchParams({ submitted: done.file });
      return new Response(null, { status: 303, headers: { location: `${base}?${query}` } });
    }
    if (method === "GET" && (match = path.match(/^\/lessons\/([^/]+)\/?$/)) !== null) {
      const slug = decodeURIComponent(match[1]!);
      const course = await courseCache.get();
      const lesson = course.publicLessons.get(slug);
      if (lesson === undefined) {
        return html(renderErrorPage(404, `There is no lesson "${slug}".`, assets), 404);
      }
      const full = course.lessons.find((l) => l.slug === slug)!;
      const saved = store.lessonState(slug);
      const data: LessonPageData = {
        lesson,
        saved: { ...saved, exercises: lessonExercises(full, store) },
        course: lessonLinks(course, store),
        names: lessonCellNames(lesson, saved.sources, saved.scratch),
      };
      return html(renderLessonPage(data, assets));
    }
    if (method === "GET" && path.startsWith("/assets/")) {
      const name = path.slice("/assets/".length);
      if (name === `app.${build.hash}.js`) return file(build.jsPath, true);
      if (name === `style.${build.hash}.css`) return file(CLIENT_CSS, false);
      if (name === "katex/katex.min.css") {
        return file(join(KATEX_DIR, "dist", "katex.min.css"), false);
      }
      const font = name.match(/^katex\/fonts\/([^/]+)$/)?.[1];
      if (font !== undefined && FONT_NAME.test(font)) {
        return file(join(KATEX_DIR, "dist", "fonts", font), true);
      }
      return new Response(`No asset "${name}"`, { status: 404 });
    }
    if ((match = path.match(/^\/ws\/lessons\/([^/]+)$/)) !== null) {
      const slug = decodeURIComponent(match[1]!);
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("This route expects a WebSocket upgrade", { status: 426 });
      }
      const course = await courseCache.get();
      if (!course.publicLessons.has(slug)) return json({ error: `No lesson "${slug}"` }, 404);
      return openSocket(request, slug);
    }
    if (path.startsWith("/api/")) return await handleApi(request, path, method);
    return html(renderErrorPage(404, `Nothing is served at ${path}.`, assets), 404);
  }

  async function handleApi(request: Request, path: string, method: string): Promise<Response> {
    const course = await courseCache.get();
    const answer = await intelligence.handle(
      request,
      path,
      course.publicLessons,
      (slug, name) => sessions.get(slug)?.inspect(name) ?? Promise.resolve(null),
    );
    if (answer !== null) return answer;
    const scratch = await handleScratchRoute(
      request,
      path,
      course.publicLessons,
      store,
      pendingRuns,
    );
    if (scratch !== null) return scratch;
    if (method === "GET" && path === "/api/lessons") {
      return json({
        lessons: lessonLinks(course, store),
        errors: course.errors.map((e) => ({ file: e.file, line: e.line, message: e.message })),
      });
    }
    if (path === "/api/progress/export" && method === "GET") {
      const learner = new URL(request.url).searchParams.get("learner") ?? undefined;
      const file = buildProgressExport(store, learner?.slice(0, 200));
      const name = (file.learner ?? "progress").replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 60);
      return new Response(JSON.stringify(file, null, 2) + "\n", {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
          "content-disposition": `attachment; filename="gradbook-${name}-${
            file.exportedAt.slice(0, 10)
          }.json"`,
        },
      });
    }
    if (path === "/api/progress/import" && method === "POST") {
      const body = await readLimitedBody(request);
      if (body instanceof Response) return body;
      try {
        const imported: ImportResponse = {
          imported: await importProgressText(store, course, body),
        };
        return json(imported);
      } catch (error) {
        if (error instanceof ProgressFileError) {
          return json({ error: `The progress file was not imported: ${error.message}` }, 400);
        }
        throw error;
      }
    }
    const exerciseMatch = path.match(
      /^\/api\/lessons\/([^/]+)\/exercises\/([^/]+)\/(check|hints|solution)$/,
    );
    if (exerciseMatch !== null) {
      if (method !== "POST") return json({ error: `${method} is not allowed on ${path}` }, 405);
      const slug = decodeURIComponent(exerciseMatch[1]!);
      const lesson = course.lessons.find((l) => l.slug === slug);
      if (lesson === undefined) return json({ error: `No lesson "${slug}"` }, 404);
      const exerciseId = decodeURIComponent(exerciseMatch[2]!);
      const body = await readJson<Partial<CheckRequest & HintRequest>>(request);
      if (body instanceof Response) return body;
      try {
        let progress: ExerciseProgress;
        if (exerciseMatch[3] === "check") {
          progress = await grader.check(lesson, exerciseId, body?.code);
        } else if (exerciseMatch[3] === "hints") {
          progress = grader.unlockHint(lesson, exerciseId, body?.index);
        } else {
          progress = grader.revealSolution(lesson, exerciseId);
        }
        const link = lessonLinks(course, store).find((l) => l.slug === slug)!;
        const answer: ExerciseResponse = { progress, link };
        return json(answer);
      } catch (error) {
        if (error instanceof RouteError) return json({ error: error.message }, error.status);
        throw error;
      }
    }
    const match = path.match(/^\/api\/lessons\/([^/]+)\/(state|sources|outputs\/clear)$/);
    const slug = match === null ? undefined : decodeURIComponent(match[1]!);
    const lesson = slug === undefined ? undefined : course.publicLessons.get(slug);
    if (match === null || slug === undefined) return json({ error: `No route ${path}` }, 404);
    if (lesson === undefined) return json({ error: `No lesson "${slug}"` }, 404);
    const action = match[2];
    if (action === "state" && method === "GET") {
      const full = course.lessons.find((l) => l.slug === slug)!;
      return json({ ...store.lessonState(slug), exercises: lessonExercises(full, store) });
    }
    if (method !== "POST") return json({ error: `${method} is not allowed on ${path}` }, 405);
    const originals = originalSources(lesson);
    if (action === "sources") {
      const body = await readJson<SaveSourcesRequest>(request);
      if (body instanceof Response) return body;
      if (typeof body?.sources !== "object" || body.sources === null) {
        return json({ error: 'The body needs "sources": an object of cell id to source' }, 400);
      }
      const changes: Record<string, string | null> = {};
      for (const [cellId, source] of Object.entries(body.sources)) {
        const original = originals.get(cellId);
        if (original === undefined) {
          return json({ error: `Lesson "${slug}" has no editable cell "${cellId}"` }, 400);
        }
        if (source !== null && typeof source !== "string") {
          return json({ error: `The source of cell "${cellId}" is not a string or null` }, 400);
        }
        // A source edited back to the original is not an edit: drop it, so reset shows.
        changes[cellId] = source === original ? null : source;
      }
      store.saveSources(slug, changes);
      return json({ saved: Object.keys(changes).length });
    }
    const body = await readJson<ClearOutputsRequest>(request);
    if (body instanceof Response) return body;
    if (!Array.isArray(body?.cellIds) || !body.cellIds.every((id) => typeof id === "string")) {
      return json({ error: 'The body needs "cellIds": an array of cell ids' }, 400);
    }
    store.clearOutputs(slug, body.cellIds);
    return json({ cleared: body.cellIds.length });
  }

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
      return guard.harden(await handle(admitted, who?.name ?? null));
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
    sessions: () => [...sessions.keys()],
    shutdown() {
      closing ??= (async () => {
        for (const timer of idleTimers.values()) clearTimeout(timer);
        idleTimers.clear();
        await grader.close();
        pool.close();
        intelligence.close();
        await Promise.allSettled([...sessions.values()].map((s) => s.close()));
        sessions.clear();
        await server.shutdown();
        store.close();
      })();
      return closing;
    },
  };
}
