/**
 * The server side of scratch cells (`notebook/course/scratch_cells.ts`):
 * `POST /api/lessons/:slug/scratch` replaces a lesson's scratch cells with the page's list
 * ({@link SaveScratchRequest}), after checking it as a hostile page could send it (size, count,
 * ids that are scratch ids and no lesson cell's, known anchors); and which cells of a lesson may
 * keep a saved run (with the runs of scratch cells whose save is still on its way).
 *
 * @module
 */
import {
  fitScratchToLesson,
  isScratchId,
  readScratchCells,
  SCRATCH_LIMITS,
} from "../../notebook/course/scratch_cells.ts";
import type { Lesson, PublicLesson } from "../../notebook/course/types.ts";
import type { SavedRun, SaveScratchRequest } from "../messages.ts";
import { runnableCellIds } from "./course_cache.ts";
import type { Store } from "./store.ts";

/** Largest request body: every scratch source at its limit, JSON-escaped, with room to spare. */
const MAX_BODY_CHARS = 2 * SCRATCH_LIMITS.lessonChars + 64 * 1024;

const ROUTE = /^\/api\/lessons\/([^/]+)\/scratch$/;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** Ids of every code cell and exercise of a lesson (what a scratch id must never be). */
export function lessonCellIds(lesson: Lesson | PublicLesson): Set<string> {
  return new Set(lesson.blocks.flatMap((b) => b.kind === "markdown" ? [] : [b.id]));
}

/**
 * Whether a run of `cellId` may be saved: the lesson's runnable cells and its saved scratch
 * cells, nothing else (a page may send an execute message with any cell id).
 */
export function keepsRuns(lesson: Lesson | PublicLesson, store: Store, cellId: string): boolean {
  return runnableCellIds(lesson).includes(cellId) ||
    store.scratchCells(lesson.slug).some((c) => c.id === cellId);
}

/** How many runs of scratch cells not saved yet are held, over all lessons. */
export const MAX_PENDING_RUNS = 16;

/**
 * Runs of scratch cells the server has not seen saved yet: a page saves a new cell over HTTP and
 * runs it over its socket, and the run may finish first (the save can wait behind other
 * requests); and runs of cells just deleted, which an undo saves again. Held in memory, at most {@link MAX_PENDING_RUNS} (the oldest go first), and written
 * when the cell's save arrives; never written for a cell that is never saved.
 */
export class PendingScratchRuns {
  readonly #runs = new Map<string, { slug: string; cellId: string; run: SavedRun }>();

  /** Holds a run of `cellId` in lesson `slug`, replacing an earlier one of the same cell. */
  hold(slug: string, cellId: string, run: SavedRun): void {
    const key = JSON.stringify([slug, cellId]);
    this.#runs.delete(key);
    this.#runs.set(key, { slug, cellId, run });
    while (this.#runs.size > MAX_PENDING_RUNS) {
      this.#runs.delete(this.#runs.keys().next().value!);
    }
  }

  /** Takes the held runs of the cells `ids` of lesson `slug`. */
  take(slug: string, ids: Iterable<string>): Map<string, SavedRun> {
    const taken = new Map<string, SavedRun>();
    for (const cellId of ids) {
      const key = JSON.stringify([slug, cellId]);
      const held = this.#runs.get(key);
      if (held === undefined) continue;
      this.#runs.delete(key);
      taken.set(cellId, held.run);
    }
    return taken;
  }

  /** Number of runs held. */
  get size(): number {
    return this.#runs.size;
  }
}

/**
 * Saves a finished run of `cellId` if the lesson keeps runs of it ({@link keepsRuns}), holds it
 * in `pending` if it is a scratch cell whose save has not arrived, and drops it otherwise.
 */
export function keepRun(
  lesson: Lesson | PublicLesson,
  store: Store,
  pending: PendingScratchRuns,
  cellId: string,
  run: SavedRun,
): void {
  if (keepsRuns(lesson, store, cellId)) store.saveRun(lesson.slug, cellId, run);
  else if (isScratchId(cellId)) pending.hold(lesson.slug, cellId, run);
}

/**
 * Answers `request` if `path` is the scratch route, else returns null. `lessons` are the public
 * lessons by slug.
 */
export async function handleScratchRoute(
  request: Request,
  path: string,
  lessons: ReadonlyMap<string, PublicLesson>,
  store: Store,
  pending: PendingScratchRuns,
): Promise<Response | null> {
  const match = path.match(ROUTE);
  if (match === null) return null;
  if (request.method !== "POST") {
    return json({ error: `${request.method} is not allowed on ${path}; use POST` }, 405);
  }
  const slug = decodeURIComponent(match[1]!);
  const lesson = lessons.get(slug);
  if (lesson === undefined) return json({ error: `No lesson "${slug}"` }, 404);
  const text = await request.text();
  if (text.length > MAX_BODY_CHARS) {
    return json({
      error: `The scratch cells were not saved: the request is ${text.length} characters, ` +
        `more than the limit of ${MAX_BODY_CHARS}`,
    }, 413);
  }
  let body: Partial<SaveScratchRequest>;
  try {
    body = JSON.parse(text);
  } catch {
    return json({ error: "The request body is not valid JSON" }, 400);
  }
  try {
    const cells = readScratchCells(typeof body === "object" && body !== null ? body.cells : body);
    const fitted = fitScratchToLesson(cells, lessonCellIds(lesson));
    // A deleted cell's run is held too, so Z (undo) followed by this save brings it back.
    const kept = new Set(fitted.map((c) => c.id));
    const runs = store.lessonState(slug).runs;
    for (const gone of store.scratchCells(slug)) {
      const run = runs[gone.id];
      if (!kept.has(gone.id) && run !== undefined) pending.hold(slug, gone.id, run);
    }
    store.saveScratch(slug, fitted);
    for (const [cellId, run] of pending.take(slug, kept)) {
      store.saveRun(slug, cellId, run);
    }
    return json({ saved: cells.length });
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    return json({ error: `The scratch cells were not saved: ${error.message}` }, 400);
  }
}
