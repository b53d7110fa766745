/**
 * Moving progress: `GET /api/progress/export?learner=…` downloads all progress and edits as one
 * JSON file; `POST /api/progress/import` (JSON body) and `POST /progress/import` (the index
 * page's upload form, no JavaScript) merge such a file, or refuse it changing nothing. How an
 * import is validated and written is `progress.ts`'s `importProgressText`; this module only
 * reads the request and words the answer.
 *
 * @module
 */
import { PROGRESS_LIMITS, ProgressFileError } from "../../notebook/grader/gradebook.ts";
import type { ImportResponse } from "../messages.ts";
import { html, json, seeOther } from "./http.ts";
import { renderIndexPage } from "./pages.tsx";
import { buildProgressExport, importProgressText, lessonLinks } from "./progress.ts";
import type { Route, RouteRequest } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

/**
 * Reads a request body as bytes (decoded in the import's worker, not on the server's thread),
 * refusing one larger than a progress file may be.
 */
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

/** The progress routes. */
export function progressRoutes({ courseCache, store, assets, base }: ServerContext): Route[] {
  /** The upload form of the index page: imports, then shows the index with what happened. */
  async function importFromForm({ request }: RouteRequest): Promise<Response> {
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
      return seeOther(`${base}?imported=${[counts.lessons, counts.sources, counts.attempts]}`);
    } catch (error) {
      if (!(error instanceof ProgressFileError)) throw error;
      return page(
        false,
        `${upload.name} was not imported, and nothing changed: ${error.message}.`,
        400,
      );
    }
  }

  return [
    { method: "POST", path: "/progress/import", handle: importFromForm },
    {
      method: "GET",
      path: "/api/progress/export",
      handle: ({ url }) => {
        const learner = url.searchParams.get("learner") ?? undefined;
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
      },
    },
    {
      method: "POST",
      path: "/api/progress/import",
      handle: async ({ request }) => {
        const course = await courseCache.get();
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
      },
    },
  ];
}
