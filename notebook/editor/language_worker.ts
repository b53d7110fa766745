/**
 * The language worker: a module `Worker` that owns the {@link CellLanguageService}, so loading
 * TypeScript and the runtime's sources (seconds) and each later answer (tens of milliseconds)
 * never block the server's main thread. It answers {@link LanguageRequest}s one at a time, in
 * order; `language_worker_client.ts` starts it and talks to it.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { CellLanguageService } from "./language_service.ts";
import type { LanguageReply, LanguageRequest, LanguageResults } from "./protocol.ts";

let service: CellLanguageService | null = null;

/** Updates the lesson's cells and answers one request with the service. */
function answer(request: LanguageRequest): LanguageResults[LanguageRequest["action"]] {
  service ??= new CellLanguageService();
  const { lessonId, cellId, offset } = request;
  service.setCells(lessonId, request.cells);
  switch (request.action) {
    case "diagnostics":
      return service.diagnostics(lessonId, cellId);
    case "completions":
      return service.completions(lessonId, cellId, offset);
    case "completion-info":
      return service.completionDetails(lessonId, cellId, offset, request.name);
    case "hover":
      return service.hover(lessonId, cellId, offset);
    case "signature":
      return service.signatureHelp(lessonId, cellId, offset);
  }
}

self.onmessage = (event: MessageEvent<LanguageRequest>) => {
  const request = event.data;
  const start = performance.now();
  let reply: LanguageReply;
  try {
    const result = answer(request);
    reply = { id: request.id, ok: true, result, ms: performance.now() - start };
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      errorName: error instanceof Error ? error.name : "Error",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  self.postMessage(reply);
};
