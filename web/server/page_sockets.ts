/**
 * The WebSockets of one lesson's open pages: messages to one page or to all of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PageSockets } from "./page_sockets.ts";
 * const pages = new PageSockets();
 * assert.equal(pages.size, 0);
 * pages.broadcast({ type: "notice", level: "info", text: "nobody listens" });
 * ```
 *
 * @module
 */
import type { ServerMessage } from "../messages.ts";

/** The sockets of a lesson's pages. */
export class PageSockets {
  readonly #sockets = new Set<WebSocket>();

  /** Number of sockets. */
  get size(): number {
    return this.#sockets.size;
  }

  add(socket: WebSocket): void {
    this.#sockets.add(socket);
  }

  delete(socket: WebSocket): void {
    this.#sockets.delete(socket);
  }

  /** Sends `message` to one page, if its socket is open. */
  send(socket: WebSocket, message: ServerMessage): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  /** Sends `message` to every open page. */
  broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.#sockets) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    }
  }

  /** Closes every socket (the server is going away) and forgets them. */
  closeAll(): void {
    for (const socket of this.#sockets) {
      try {
        socket.close(1001, "Server shutting down");
      } catch { /* already closed */ }
    }
    this.#sockets.clear();
  }
}
