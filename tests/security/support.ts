/**
 * Helpers for the security and reliability tests: a course of small lessons on a temporary
 * folder, a fast scripted kernel, raw HTTP requests (so paths reach the server unnormalised and
 * Host can lie), and a WebSocket client that collects messages.
 *
 * @module
 */
import { join } from "node:path";
import type { KernelEvent, KernelState } from "../../notebook/kernel/protocol.ts";
import { type RunningServer, type ServerOptions, startServer } from "../../web/server/app.ts";
import type { ExecuteReply, Kernel, KernelStatusEvent } from "../../notebook/kernel/kernel.ts";
import type { ServerMessage } from "../../web/messages.ts";

/** A lesson with `cells` runnable cells `c1`…`cN`. */
export function lessonText(title: string, order: number, cells = 3): string {
  const body = Array.from({ length: cells }, (_, i) => "```ts\n" + `${i + 1}\n` + "```\n")
    .join("\n");
  return `---\ntitle: ${title}\nsummary: s\nobjectives: []\nminutes: 1\norder: ${order}\n---\n\n${body}`;
}

/** Writes lessons `01-a`, `02-b`, … into `root/lessons`; returns their slugs. */
export async function writeCourse(root: string, lessons: number, cells = 3): Promise<string[]> {
  const dir = join(root, "lessons");
  await Deno.mkdir(dir, { recursive: true });
  const slugs: string[] = [];
  for (let i = 0; i < lessons; i++) {
    const slug = `${String(i + 1).padStart(2, "0")}-${String.fromCharCode(97 + (i % 26))}${
      i >= 26 ? i : ""
    }`;
    await Deno.writeTextFile(join(dir, `${slug}.md`), lessonText(`Lesson ${i + 1}`, i + 1, cells));
    slugs.push(slug);
  }
  return slugs;
}

/**
 * A kernel in the server's own process: `execute` echoes the code on stdout after `delayMs`.
 * Counts live instances, so tests can see culling.
 */
export class EchoKernel implements Kernel {
  static live = 0;
  state: KernelState = "dead";
  #listeners = new Set<(status: KernelStatusEvent) => void>();
  constructor(readonly delayMs = 0) {}
  onStatus(callback: (status: KernelStatusEvent) => void) {
    this.#listeners.add(callback);
    return () => {
      this.#listeners.delete(callback);
    };
  }
  #set(state: KernelState, reason?: string) {
    if (this.state === "dead" && state !== "dead") EchoKernel.live++;
    if (this.state !== "dead" && state === "dead") EchoKernel.live--;
    this.state = state;
    for (const listener of this.#listeners) listener({ state, reason });
  }
  start() {
    if (this.state === "dead") this.#set("idle");
    return Promise.resolve();
  }
  async execute(cellId: string, code: string, onEvent: (event: KernelEvent) => void) {
    await this.start();
    this.#set("busy");
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    onEvent({ type: "stream", id: cellId, name: "stdout", text: code });
    if (this.state === "busy") this.#set("idle");
    const reply: ExecuteReply = {
      type: "reply",
      id: cellId,
      status: "ok",
      executionCount: 1,
      elapsedMs: this.delayMs,
    };
    return reply;
  }
  interrupt() {
    return Promise.resolve("idle" as const);
  }
  restart() {
    this.#set("dead");
    return this.start();
  }
  shutdown() {
    if (this.state !== "dead") this.#set("dead", "shutdown");
    return Promise.resolve();
  }
}

/** Starts a server on `root` (lessons written already) with an {@link EchoKernel} default. */
export async function startCourseServer(
  root: string,
  options: Partial<ServerOptions> = {},
): Promise<RunningServer> {
  return await startServer({
    lessonsDir: join(root, "lessons"),
    dataDir: join(root, "data"),
    port: 0,
    createKernel: () => new EchoKernel(),
    ...options,
  });
}

/** Runs `body` with a fresh temporary folder, removed afterwards. */
export async function withTempDir<T>(body: (root: string) => Promise<T>): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "gradbook-security-" });
  try {
    return await body(root);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** A raw HTTP/1.1 response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one HTTP/1.1 request over a plain TCP connection to 127.0.0.1, exactly as written (no
 * URL normalisation, any Host), and reads the whole response (`Connection: close`).
 */
export async function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body = "",
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head = { host: `127.0.0.1:${port}`, connection: "close", ...headers };
    if (body !== "") head["content-length" as keyof typeof head] = String(body.length);
    const lines = [
      `${method} ${target} HTTP/1.1`,
      ...Object.entries(head).map(([k, v]) => `${k}: ${v}`),
    ];
    await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n" + body));
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(65536);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      chunks.push(buffer.slice(0, n));
    }
    const all = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    const text = new TextDecoder().decode(all);
    const split = text.indexOf("\r\n\r\n");
    const [statusLine, ...headerLines] = text.slice(0, split).split("\r\n");
    const parsed: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    return {
      status: Number(statusLine?.split(" ")[1]),
      headers: parsed,
      body: text.slice(split + 4),
    };
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

/** A lesson socket that keeps every message it receives. */
export class SocketClient {
  readonly messages: ServerMessage[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<boolean>;
  readonly closed: Promise<CloseEvent>;
  #waiters: (() => void)[] = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    // Deno's WebSocket takes extra headers (Origin, Cookie) as a second-argument option.
    this.socket = new WebSocket(url, { headers } as unknown as string[]);
    this.opened = new Promise((resolve) => {
      this.socket.addEventListener("open", () => resolve(true), { once: true });
      this.socket.addEventListener("error", () => resolve(false), { once: true });
    });
    this.closed = new Promise((resolve) => this.socket.addEventListener("close", resolve));
    this.socket.addEventListener("message", (event) => {
      this.messages.push(JSON.parse(String(event.data)));
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Sends a message (any JSON value, or raw text). */
  send(message: unknown): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Waits until a message satisfies `test` (searching those already received), or fails. */
  async waitFor<T extends ServerMessage>(
    test: (message: ServerMessage) => message is T,
    timeoutMs?: number,
    what?: string,
  ): Promise<T>;
  async waitFor(
    test: (message: ServerMessage) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<ServerMessage>;
  async waitFor(
    test: (message: ServerMessage) => boolean,
    timeoutMs = 10_000,
    what = "the expected message",
  ): Promise<ServerMessage> {
    const deadline = performance.now() + timeoutMs;
    for (let seen = 0;;) {
      for (; seen < this.messages.length; seen++) {
        if (test(this.messages[seen]!)) return this.messages[seen]!;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what}; got ${
            JSON.stringify(this.messages.slice(-5)).slice(0, 800)
          }`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  /** Closes the socket and waits for it to close. */
  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }
}
