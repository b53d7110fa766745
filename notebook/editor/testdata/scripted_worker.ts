/**
 * A stand-in for the language worker in `language_worker_client_test.ts`: it answers after
 * `offset` ms with what it received and how many requests it has seen, throws an uncaught
 * error for the cell "crash", and never answers for the cell "hang".
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import type { LanguageReply, LanguageRequest } from "../protocol.ts";

let seen = 0;

self.onmessage = (event: MessageEvent<LanguageRequest>) => {
  const request = event.data;
  seen++;
  if (request.cellId === "crash") throw new Error("scripted crash");
  if (request.cellId === "hang") return;
  const result = { source: request.cells[0]?.source ?? "", seen };
  setTimeout(() => {
    const reply = { id: request.id, ok: true, result, ms: request.offset } as unknown;
    self.postMessage(reply as LanguageReply);
  }, request.offset);
};
