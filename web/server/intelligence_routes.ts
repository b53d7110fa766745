/**
 * The editor intelligence routes: type errors, completions, hover and parameter hints for a
 * lesson's cells, answered by one shared language service in a worker (`LanguageWorker`,
 * started on the first request, which takes a few seconds while TypeScript loads; later
 * requests take milliseconds), so the server's main thread keeps serving meanwhile. Hover on a
 * top-level variable adds its live value from the lesson's kernel when it has run (`inspect`).
 * Call {@link IntelligenceRoutes.close} to stop the worker.
 *
 * `POST /api/lessons/:slug/intelligence/:action` with an `IntelligenceRequest` (`notebook/editor/types.ts`), where
 * action is `diagnostics`, `completions`, `completion-info`, `hover` or `signature`.
 *
 * @module
 */
import { lessonProgramCells } from "../../notebook/editor/lesson_cells.ts";
import {
  LanguageWorker,
  type LanguageWorkerOptions,
} from "../../notebook/editor/language_worker_client.ts";
import { LANGUAGE_ACTIONS, type LanguageAction } from "../../notebook/editor/protocol.ts";
import type { IntelligenceRequest, IntelligenceResponses } from "../../notebook/editor/types.ts";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { Route } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

/** Looks up a top-level name's live value in a lesson's kernel (null: unknown or not running). */
export type InspectLive = (slug: string, name: string) => Promise<string | null>;

const ROUTE = /^\/api\/lessons\/([^/]+)\/intelligence\/([a-z-]+)$/;
/** Largest request body accepted: every cell of a long lesson, edited. */
const MAX_BODY_CHARS = 2 * 1024 * 1024;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** Serves the intelligence routes; see the module documentation. */
export class IntelligenceRoutes {
  /** The language service's worker (started on the first question). */
  readonly worker: LanguageWorker;

  constructor(options: LanguageWorkerOptions = {}) {
    this.worker = new LanguageWorker(options);
  }

  /** Stops the language worker; later requests fail. */
  close(): void {
    this.worker.close();
  }

  /**
   * Answers `request` if `path` is an intelligence route, else returns null.
   * `lessons` are the public lessons by slug.
   */
  handle(
    request: Request,
    path: string,
    lessons: ReadonlyMap<string, PublicLesson>,
    inspectLive?: InspectLive,
  ): Promise<Response | null> {
    const match = path.match(ROUTE);
    if (match === null) return Promise.resolve(null);
    if (request.method !== "POST") {
      return Promise.resolve(
        json({ error: `${request.method} is not allowed on ${path}; use POST` }, 405),
      );
    }
    return this.answer(
      request,
      decodeURIComponent(match[1]!),
      match[2]!,
      lessons,
      inspectLive,
    );
  }

  /** Answers a POST to the intelligence route of lesson `slug` and `action`. */
  async answer(
    request: Request,
    slug: string,
    actionName: string,
    lessons: ReadonlyMap<string, PublicLesson>,
    inspectLive?: InspectLive,
  ): Promise<Response> {
    const lesson = lessons.get(slug);
    if (lesson === undefined) return json({ error: `No lesson "${slug}"` }, 404);
    const body = await readRequest(request);
    if (typeof body === "string") return json({ error: body }, 400);
    const cells = lessonProgramCells(lesson, body.sources, body.order);
    const cell = cells.find((c) => c.id === body.cellId);
    if (cell === undefined) {
      return json({ error: `Lesson "${slug}" has no runnable cell "${body.cellId}"` }, 400);
    }
    const offset = Math.min(Math.max(Math.trunc(body.offset ?? 0), 0), cell.source.length);
    if (!LANGUAGE_ACTIONS.includes(actionName as LanguageAction)) {
      return json({ error: `No intelligence action "${actionName}"` }, 404);
    }
    const action = actionName as LanguageAction;
    const query = { lessonId: slug, cells, cellId: cell.id, offset, name: String(body.name ?? "") };
    switch (action) {
      case "diagnostics": {
        const { result, ms } = await this.worker.ask({ ...query, action });
        return answer("diagnostics", { diagnostics: result, ms: round(ms) });
      }
      case "completions": {
        const { result } = await this.worker.ask({ ...query, action });
        return answer("completions", { completions: result });
      }
      case "completion-info":
        return answer("completion-info", (await this.worker.ask({ ...query, action })).result);
      case "hover": {
        const hover = (await this.worker.ask({ ...query, action })).result;
        if (hover?.name !== undefined && inspectLive !== undefined) {
          const live = await inspectLive(slug, hover.name).catch(() => null);
          if (live !== null) hover.live = live;
        }
        return answer("hover", { hover });
      }
      case "signature":
        return answer("signature", { help: (await this.worker.ask({ ...query, action })).result });
    }
  }
}

function answer<K extends keyof IntelligenceResponses>(
  _action: K,
  body: IntelligenceResponses[K],
): Response {
  return json(body);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Reads and checks a request body; returns what is wrong with it as a sentence. */
async function readRequest(request: Request): Promise<IntelligenceRequest | string> {
  const text = await request.text();
  if (text.length > MAX_BODY_CHARS) {
    return `The request is ${text.length} characters, over the limit of ${MAX_BODY_CHARS}`;
  }
  let body: Partial<IntelligenceRequest>;
  try {
    body = JSON.parse(text);
  } catch {
    return "The request body is not valid JSON";
  }
  if (typeof body !== "object" || body === null || typeof body.cellId !== "string") {
    return 'The body needs "cellId": the id of a cell';
  }
  const sources = body.sources ?? {};
  if (
    typeof sources !== "object" || sources === null ||
    !Object.values(sources).every((s) => typeof s === "string")
  ) {
    return 'The body\'s "sources" must be an object of cell id to source text';
  }
  if (body.offset !== undefined && !Number.isFinite(body.offset)) {
    return 'The body\'s "offset" must be a number';
  }
  const order = body.order ?? [];
  if (!Array.isArray(order) || !order.every((id) => typeof id === "string")) {
    return 'The body\'s "order" must be an array of cell ids';
  }
  return { cellId: body.cellId, sources, order, offset: body.offset, name: body.name };
}

/** The intelligence route of the server's table (the live value comes from the lesson's kernel). */
export function intelligenceRoutes({ intelligence, courseCache, kernels }: ServerContext): Route[] {
  return [{
    method: "POST",
    path: "/api/lessons/:slug/intelligence/:action([a-z-]+)",
    handle: async ({ request, params }) =>
      intelligence.answer(
        request,
        params.slug!,
        params.action!,
        (await courseCache.get()).publicLessons,
        (slug, name) => kernels.get(slug)?.inspect(name) ?? Promise.resolve(null),
      ),
  }];
}
