/**
 * The server's front door: a TCP listener in front of `Deno.serve`, which has neither a
 * header-read timeout nor a connection cap, and whose accept loop ends the process when the
 * process runs out of file descriptors ("Too many open files").
 *
 * Each accepted connection must send a complete request head (up to {@link FrontDoorOptions.maxHeadBytes})
 * within {@link FrontDoorOptions.headerTimeoutMs}; only then is it connected to the real server,
 * which listens on a Unix socket in a private (0700) folder, and the bytes are passed through
 * unchanged both ways (WebSockets included). Connections whose head does not carry the server's
 * token are "unauthenticated": at most {@link FrontDoorOptions.maxUnauthenticated} of them are
 * kept, and they are closed after
 * {@link FrontDoorOptions.idleTimeoutMs} without traffic. An accept that fails (no descriptors
 * left) frees the oldest unauthenticated connections and waits; it never stops the server.
 *
 * The caps follow the process's open-file limit ({@link connectionCaps}): an unauthenticated
 * connection holds one descriptor, a connected one three (the client's, and both ends of the
 * Unix socket to the server). The more unauthenticated connections are kept, the longer a new
 * one has to send its head before a flood of newer ones pushes it out, so a learner's browser
 * gets in while thousands of connections a second arrive. Head buffers start small and grow, so
 * thousands of idle connections cost little memory.
 *
 * When the unauthenticated ones are at their cap, a newcomer replaces the oldest connection that
 * has sent nothing yet, else the oldest unauthenticated one, but only one at least
 * {@link FrontDoorOptions.evictionAgeMs} old; while every one is younger, new connections wait
 * in the kernel's accept queue. A learner's browser sends its whole request head as soon as it
 * connects, so once accepted it gets that long to be read, however fast a flood reconnects.
 *
 * @module
 */

/** Limits of the {@link FrontDoor}. */
export interface FrontDoorOptions {
  /** Time for a new connection to send its whole request head (default 10 s). */
  headerTimeoutMs?: number;
  /** Largest request head accepted (default 32 KiB); a longer one gets 431. */
  maxHeadBytes?: number;
  /**
   * Unauthenticated connections kept at once, including those still sending (default: from the
   * open-file limit, see {@link connectionCaps}).
   */
  maxUnauthenticated?: number;
  /** Connections kept at once in all (default: from the open-file limit); more are closed. */
  maxConnections?: number;
  /**
   * How long a new connection is safe from being replaced by a newer one (default 200 ms): time
   * for its request head, already sent, to be read.
   */
  evictionAgeMs?: number;
  /** An unauthenticated connection idle this long is closed (default 30 s). */
  idleTimeoutMs?: number;
  /** Whether a request head proves the client knows the token (default: every head does). */
  isAuthenticated?: (head: string) => boolean;
}

interface Tracked {
  conn: Deno.Conn;
  upstream: Deno.Conn | null;
  authenticated: boolean;
  acceptedAt: number;
  lastActive: number;
  closed: boolean;
}

const HEAD_END = new TextEncoder().encode("\r\n\r\n");
/** Size a head buffer starts at; it doubles up to the largest head. */
const FIRST_HEAD_BYTES = 2048;
/** Descriptors kept for everything but connections: kernels' pipes, SQLite, lesson files. */
const RESERVED_FDS = 128;

/**
 * The default caps for a process allowed `fdLimit` open files: a quarter for unauthenticated
 * connections (128 to 4096), and the rest, less {@link RESERVED_FDS}, for connected ones at three
 * descriptors each.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../runtime/testing/assert.ts";
 * import { connectionCaps } from "./front_door.ts";
 * assertEquals(connectionCaps(1024), { maxUnauthenticated: 256, maxConnections: 469 });
 * assertEquals(connectionCaps(20_000).maxUnauthenticated, 4096);
 * ```
 */
export function connectionCaps(
  fdLimit: number,
): { maxUnauthenticated: number; maxConnections: number } {
  const maxUnauthenticated = Math.min(4096, Math.max(128, Math.floor(fdLimit / 4)));
  const connected = Math.max(16, Math.floor((fdLimit - RESERVED_FDS - maxUnauthenticated) / 3));
  return { maxUnauthenticated, maxConnections: maxUnauthenticated + connected };
}

/** This process's soft open-file limit (`/proc/self/limits`; 1024 where it cannot be read). */
export function openFileLimit(): number {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const soft = limits.match(/^Max open files\s+(\d+|unlimited)/m)?.[1];
    if (soft === "unlimited") return 1 << 20;
    if (soft !== undefined) return Number(soft);
  } catch {
    // not Linux, or no read permission
  }
  return 1024;
}

/** See the module documentation. */
export class FrontDoor {
  readonly #options: Required<FrontDoorOptions>;
  readonly #listener: Deno.TcpListener;
  readonly #upstreamPath: string;
  /** Unauthenticated connections, oldest first (a Set keeps insertion order). */
  readonly #unauthenticated = new Set<Tracked>();
  /** Unauthenticated connections that have sent no byte yet, oldest first. */
  readonly #silent = new Set<Tracked>();
  readonly #all = new Set<Tracked>();
  readonly #sweeper: ReturnType<typeof setInterval>;
  #closed = false;
  readonly #loop: Promise<void>;
  /** Connections refused or evicted so far (for tests and logs). */
  refused = 0;

  constructor(listener: Deno.TcpListener, upstreamPath: string, options: FrontDoorOptions = {}) {
    this.#listener = listener;
    this.#upstreamPath = upstreamPath;
    const caps = options.maxUnauthenticated !== undefined && options.maxConnections !== undefined
      ? null
      : connectionCaps(openFileLimit());
    this.#options = {
      headerTimeoutMs: options.headerTimeoutMs ?? 10_000,
      maxHeadBytes: options.maxHeadBytes ?? 32 * 1024,
      maxUnauthenticated: options.maxUnauthenticated ?? caps!.maxUnauthenticated,
      maxConnections: options.maxConnections ?? caps!.maxConnections,
      evictionAgeMs: options.evictionAgeMs ?? 200,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      isAuthenticated: options.isAuthenticated ?? (() => true),
    };
    this.#sweeper = setInterval(() => this.#sweep(), 1000);
    this.#loop = this.#acceptLoop();
  }

  /** The port the front door listens on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Connections open now (for tests). */
  get open(): number {
    return this.#all.size;
  }

  async #acceptLoop(): Promise<void> {
    let accepted = 0;
    while (!this.#closed) {
      // NOTE: an accept resolves at once while connections are queued, so a flood could keep this
      // loop from letting the reads of earlier connections (a learner's head) complete: yield a
      // turn of the event loop every 32 accepts (each turn costs a timer tick, about 1 ms).
      if (++accepted % 32 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      // Full of connections too young to replace: leave newcomers queued until one is old enough.
      const wait = this.#unauthenticated.size >= this.#options.maxUnauthenticated
        ? this.#untilReplaceable()
        : 0;
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#closed || error instanceof Deno.errors.BadResource) return;
        // Most likely out of file descriptors: free some, wait, and go on accepting.
        this.#evictOldest(Math.max(1, Math.ceil(this.#unauthenticated.size / 4)));
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (this.#all.size >= this.#options.maxConnections) {
        // Full: make room from the unauthenticated ones, else refuse the newcomer.
        if (this.#unauthenticated.size > 0) this.#replaceOne();
        else {
          this.refused++;
          closeQuietly(conn);
          continue;
        }
      }
      if (this.#unauthenticated.size >= this.#options.maxUnauthenticated) this.#replaceOne();
      const now = performance.now();
      const tracked: Tracked = {
        conn,
        upstream: null,
        authenticated: false,
        acceptedAt: now,
        lastActive: now,
        closed: false,
      };
      this.#all.add(tracked);
      this.#unauthenticated.add(tracked);
      this.#silent.add(tracked);
      this.#serve(tracked);
    }
  }

  /** Milliseconds until the oldest unauthenticated connection may be replaced (0: now). */
  #untilReplaceable(): number {
    const oldest = this.#unauthenticated.values().next().value;
    if (oldest === undefined) return 0;
    return Math.max(0, this.#options.evictionAgeMs - (performance.now() - oldest.acceptedAt));
  }

  /** Closes the oldest silent connection old enough to replace, else the oldest one. */
  #replaceOne(): void {
    const silent = this.#silent.values().next().value;
    const oldEnough = silent !== undefined &&
      performance.now() - silent.acceptedAt >= this.#options.evictionAgeMs;
    if (oldEnough) {
      this.refused++;
      this.#close(silent);
    } else this.#evictOldest(1);
  }

  #evictOldest(count: number): void {
    for (const tracked of this.#unauthenticated) {
      if (count-- <= 0) return;
      this.refused++;
      this.#close(tracked);
    }
  }

  #sweep(): void {
    const now = performance.now();
    for (const tracked of this.#unauthenticated) {
      const limit = tracked.upstream === null
        ? this.#options.headerTimeoutMs
        : this.#options.idleTimeoutMs;
      if (now - tracked.lastActive > limit) this.#close(tracked);
    }
  }

  #close(tracked: Tracked): void {
    if (tracked.closed) return;
    tracked.closed = true;
    this.#all.delete(tracked);
    this.#unauthenticated.delete(tracked);
    this.#silent.delete(tracked);
    closeQuietly(tracked.conn);
    if (tracked.upstream !== null) closeQuietly(tracked.upstream);
  }

  async #serve(tracked: Tracked): Promise<void> {
    const { conn } = tracked;
    let buffer = new Uint8Array(Math.min(FIRST_HEAD_BYTES, this.#options.maxHeadBytes));
    let filled = 0;
    let headEnd = -1;
    const timer = setTimeout(() => this.#close(tracked), this.#options.headerTimeoutMs);
    try {
      while (headEnd < 0) {
        if (filled === buffer.length && buffer.length < this.#options.maxHeadBytes) {
          const larger = new Uint8Array(Math.min(buffer.length * 2, this.#options.maxHeadBytes));
          larger.set(buffer);
          buffer = larger;
        }
        if (filled === buffer.length) {
          await writeAll(
            conn,
            "HTTP/1.1 431 Request Header Fields Too Large\r\n" +
              "content-length: 0\r\nconnection: close\r\n\r\n",
          );
          this.#close(tracked);
          return;
        }
        const n = await conn.read(buffer.subarray(filled));
        if (n === null) {
          this.#close(tracked);
          return;
        }
        filled += n;
        tracked.lastActive = performance.now();
        this.#silent.delete(tracked);
        headEnd = indexOf(buffer.subarray(0, filled), HEAD_END);
      }
      clearTimeout(timer);
      if (tracked.closed) return;
      const head = new TextDecoder().decode(buffer.subarray(0, headEnd));
      if (this.#options.isAuthenticated(head)) {
        tracked.authenticated = true;
        this.#unauthenticated.delete(tracked);
        this.#silent.delete(tracked);
      }
      let upstream: Deno.Conn;
      try {
        upstream = await Deno.connect({ transport: "unix", path: this.#upstreamPath });
      } catch {
        await writeAll(
          conn,
          "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n" +
            "connection: close\r\nretry-after: 1\r\n\r\n",
        ).catch(() => {});
        this.#close(tracked);
        return;
      }
      if (tracked.closed) {
        closeQuietly(upstream);
        return;
      }
      tracked.upstream = upstream;
      await upstream.write(buffer.subarray(0, filled));
      await Promise.race([
        this.#pipe(conn, upstream, tracked),
        this.#pipe(upstream, conn, tracked),
      ]);
    } catch {
      // a reset connection: closed below
    } finally {
      clearTimeout(timer);
      this.#close(tracked);
    }
  }

  async #pipe(from: Deno.Conn, to: Deno.Conn, tracked: Tracked): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await from.read(chunk);
      if (n === null) return;
      tracked.lastActive = performance.now();
      for (let offset = 0; offset < n;) offset += await to.write(chunk.subarray(offset, n));
    }
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    closeQuietly(this.#listener);
    for (const tracked of [...this.#all]) this.#close(tracked);
    await this.#loop;
  }
}

function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // already closed
  }
}

async function writeAll(conn: Deno.Conn, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
