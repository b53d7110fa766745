/**
 * The progress import's worker (see `progress_import.ts`): decodes, parses and validates the file, checks
 * it against the course outline, then merges it into the database on its own connection in one
 * transaction. Answers `{ phase: "writing" }` before writing, then `{ counts }` or
 * `{ error, isFileError }`; it closes its connection before its last answer.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { parseProgressExport, ProgressFileError } from "../../notebook/grader/gradebook.ts";
import { checkAgainstCourse, type ImportAnswer, type ImportRequest } from "./progress_import.ts";
import { Store } from "./store.ts";

const answer = (message: ImportAnswer) => self.postMessage(message);

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  const { body, databasePath, course } = event.data;
  let store: Store | undefined;
  try {
    // Decoded as `Request.text()` would: UTF-8, a leading byte-order mark dropped.
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    const file = parseProgressExport(text);
    store = new Store(databasePath);
    const opened = store;
    checkAgainstCourse(file, course, (slug, id) => opened.attempts(slug, id).length);
    answer({ phase: "writing" });
    const counts = store.importProgress(file);
    store.close();
    answer({ counts });
  } catch (error) {
    store?.close();
    answer({
      error: error instanceof Error ? error.message : String(error),
      isFileError: error instanceof ProgressFileError,
    });
  }
};
