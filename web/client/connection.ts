/**
 * The page's WebSocket to its lesson's kernel, reconnecting with backoff when the server
 * restarts or the connection drops. The page's script opens it before the notebook mounts
 * (`main.tsx`), so the kernel's socket is open by the time a learner can press Run.
 *
 * @module
 */
import type { ClientMessage, ServerMessage } from "../messages.ts";
import { socketUrl } from "./base_path.ts";

/** The URL of the WebSocket to lesson `slug`'s kernel. */
export function lessonSocketUrl(slug: string): string {
  return socketUrl(`/ws/lessons/${encodeURIComponent(slug)}`);
}

type MessageListener = (message: ServerMessage) => void;
type OpenListener = (open: boolean) => void;

/** A reconnecting WebSocket carrying typed messages. */
export class Connection {
  #socket: WebSocket | null = null;
  #delayMs = 250;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Messages sent while the socket was opening, sent when it opens. */
  #outbox: string[] = [];
  /** Messages received before anyone listened, handed to the first listener. */
  #inbox: ServerMessage[] | null = [];
  #onMessage: MessageListener = (message) => this.#inbox?.push(message);
  #onOpen: OpenListener = () => {};

  /** Opens the socket at once; {@link listen} says who gets its messages. */
  constructor(readonly url: string) {
    this.#connect();
  }

  /**
   * Hands this connection's messages to `onMessage` (first those received before, in order) and
   * its opening and closing to `onOpen` (at once when it is open already).
   */
  listen(onMessage: MessageListener, onOpen: OpenListener): void {
    const early = this.#inbox ?? [];
    this.#inbox = null;
    this.#onMessage = onMessage;
    this.#onOpen = onOpen;
    if (this.isOpen) onOpen(true);
    for (const message of early) onMessage(message);
  }

  #connect(): void {
    const socket = new WebSocket(this.url);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      this.#delayMs = 250;
      for (const message of this.#outbox.splice(0)) socket.send(message);
      this.#onOpen(true);
    });
    socket.addEventListener("message", (event) => {
      try {
        this.#onMessage(JSON.parse(String(event.data)) as ServerMessage);
      } catch (error) {
        console.error("gradbook: could not handle a server message", error, event.data);
      }
    });
    socket.addEventListener("close", () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // What was waiting for this socket is dropped with it: the page resets the cells it had
      // queued when told the connection is down, and the learner runs them again.
      this.#outbox = [];
      this.#onOpen(false);
      if (this.#closed) return;
      this.#timer = setTimeout(() => this.#connect(), this.#delayMs);
      this.#delayMs = Math.min(this.#delayMs * 2, 5000);
    });
  }

  /** Whether messages are sent at once now. */
  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a message, or keeps it to send when the socket opening now opens; returns false (and
   * sends nothing) while disconnected between attempts.
   */
  send(message: ClientMessage): boolean {
    const socket = this.#socket;
    if (socket === null) return false;
    if (socket.readyState === WebSocket.CONNECTING) {
      this.#outbox.push(JSON.stringify(message));
      return true;
    }
    if (socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes for good. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close();
  }
}
