/**
 * Parses and validates a progress file off the server's event loop (a 16 MiB file takes
 * seconds): receives the text, answers `{ file }` or `{ error, isFileError }`.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { parseProgressExport, ProgressFileError } from "../../notebook/grader/gradebook.ts";

self.onmessage = (event: MessageEvent<string>) => {
  try {
    self.postMessage({ file: parseProgressExport(String(event.data)) });
  } catch (error) {
    self.postMessage({
      error: error instanceof Error ? error.message : String(error),
      isFileError: error instanceof ProgressFileError,
    });
  }
};
