/**
 * The one owner of kernel lifetime: the registry keeps every lesson's {@link KernelSession},
 * admits kernels (at most `maxKernels` live; to make room it stops the kernel idle the longest,
 * never a busy one), and applies the single idle policy, `idleTimeoutMs`: a kernel that runs no
 * cell for that long is stopped, and a session with no page open for that long is closed. A
 * stopped kernel starts again when its page runs a cell; every page learns of the stop through
 * the session (a notice, and a new kernel epoch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KernelRegistry } from "./kernel_registry.ts";
 * const registry = new KernelRegistry({ maxKernels: 2, idleTimeoutMs: 0 }, () => {
 *   throw new Error("no session is made in this example");
 * });
 * assert.equal(registry.limits.idleTimeoutMs, 0);
 * assert.deepEqual(registry.slugs(), []);
 * await registry.close();
 * ```
 *
 * @module
 */
import { DEFAULT_LIMITS, type KernelLimits } from "./limits.ts";
import type { KernelAdmission, KernelSession } from "./kernel_session.ts";

const LOST = "its variables were lost; running a cell starts it again";

/** Makes the session of lesson `slug`, admitting its kernel through `admission`. */
export type SessionFactory = (slug: string, admission: KernelAdmission) => KernelSession;

/** A duration as a notice says it: `60 min`, `30 s`, `300 ms`. */
export function formatIdle(ms: number): string {
  return ms >= 60_000
    ? `${Math.round(ms / 60_000)} min`
    : ms >= 1000
    ? `${Math.round(ms / 1000)} s`
    : `${ms} ms`;
}

/** Every lesson's kernel session, their admission, culling and idle policy. */
export class KernelRegistry implements KernelAdmission {
  readonly limits: Required<KernelLimits>;
  readonly #sessions = new Map<string, KernelSession>();
  readonly #makeSession: SessionFactory;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(limits: KernelLimits, makeSession: SessionFactory) {
    this.limits = {
      ...DEFAULT_LIMITS,
      ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
    };
    this.#makeSession = makeSession;
    const timeout = this.limits.idleTimeoutMs;
    if (timeout > 0) {
      const every = Math.max(50, Math.min(60_000, timeout / 4));
      this.#sweepTimer = setInterval(() => this.sweep(), every);
      Deno.unrefTimer(this.#sweepTimer);
    }
  }

  /** The session of lesson `slug`, made on first use. */
  session(slug: string): KernelSession {
    let session = this.#sessions.get(slug);
    if (session === undefined) {
      session = this.#makeSession(slug, this);
      this.#sessions.set(slug, session);
    }
    return session;
  }

  /** The session of lesson `slug` if it has one. */
  get(slug: string): KernelSession | undefined {
    return this.#sessions.get(slug);
  }

  /** Lessons with a session. */
  slugs(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Lessons whose kernel is live (admitted and not stopped since). */
  liveSlugs(): string[] {
    return [...this.#sessions].filter(([, s]) => s.isLive).map(([slug]) => slug);
  }

  /** Attaches a page's socket to its lesson's session, detaching it when it closes. */
  open(slug: string, socket: WebSocket): KernelSession {
    const session = this.session(slug);
    session.attach(socket);
    socket.addEventListener("close", () => session.detach(socket));
    return session;
  }

  /**
   * Lets `session`'s kernel run: null when it may, or why it may not (every other live kernel
   * is busy). Stops the longest-idle kernel when the registry is full.
   */
  admit(session: KernelSession): string | null {
    if (session.isLive) return null;
    const live = [...this.#sessions.values()].filter((s) => s.isLive && s !== session);
    if (live.length >= this.limits.maxKernels) {
      const idle = live.filter((s) => !s.isBusy).sort((a, b) => a.lastActiveAt - b.lastActiveAt)[0];
      if (idle === undefined) {
        return `The server already runs ${this.limits.maxKernels} kernels (its limit) and ` +
          "every one is busy; wait for a notebook to finish or stop one, then run again";
      }
      idle.stopKernel(
        `This notebook's kernel was stopped to make room for another notebook (at most ${this.limits.maxKernels} kernels run at once); ${LOST}`,
      );
    }
    return null;
  }

  /**
   * Applies the idle policy at time `now`: stops kernels with no cell for `idleTimeoutMs` and
   * closes sessions with no page for as long. Returns the lessons whose kernel it stopped.
   */
  sweep(now = performance.now()): string[] {
    const timeout = this.limits.idleTimeoutMs;
    if (timeout <= 0) return [];
    const stopped: string[] = [];
    for (const [slug, session] of this.#sessions) {
      if (session.isBusy) continue;
      if (session.isLive && now - session.lastActiveAt >= timeout) {
        session.stopKernel(
          `This notebook's kernel was stopped after ${formatIdle(timeout)} idle; ${LOST}`,
        );
        stopped.push(slug);
      }
      if (session.socketCount === 0 && now - session.lastSeenAt >= timeout) {
        this.#sessions.delete(slug);
        void session.close();
      }
    }
    return stopped;
  }

  /** Stops the sweep and closes every session (their kernels stop). */
  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}
