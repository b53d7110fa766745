/**
 * The page's WebSocket to its lesson's kernel, reconnecting with backoff when the server
 * restarts or the connection drops.
 *
 * @module
 */
import type { ClientMessage, ServerMessage } from "../messages.ts";

/** A reconnecting WebSocket carrying typed messages. */
export class Connection {
  #socket: WebSocket | null = null;
  #delayMs = 250;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly url: string,
    private readonly onMessage: (message: ServerMessage) => void,
    private readonly onConnected: (connected: boolean) => void,
  ) {
    this.#connect();
  }

  #connect(): void {
    const socket = new WebSocket(this.url);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      this.#delayMs = 250;
      this.onConnected(true);
    });
    socket.addEventListener("message", (event) => {
      try {
        this.onMessage(JSON.parse(String(event.data)) as ServerMessage);
      } catch (error) {
        console.error("gradbook: could not handle a server message", error, event.data);
      }
    });
    socket.addEventListener("close", () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.onConnected(false);
      if (this.#closed) return;
      this.#timer = setTimeout(() => this.#connect(), this.#delayMs);
      this.#delayMs = Math.min(this.#delayMs * 2, 5000);
    });
  }

  /** Whether messages can be sent now. */
  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Sends a message; returns false (and sends nothing) while disconnected. */
  send(message: ClientMessage): boolean {
    if (this.#socket === null || this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes for good. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close();
  }
}
