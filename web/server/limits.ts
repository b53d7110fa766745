/**
 * Limits on the notebook kernels the server runs: at most `maxKernels` live at once (when one
 * more is needed, the kernel idle the longest is stopped, with a notice to its page), kernels
 * idle longer than `idleTimeoutMs` are stopped, and each lesson queues at most `maxQueued`
 * cells. A stopped kernel starts again when its page runs a cell.
 *
 * {@link KernelPool.wrap} puts a kernel under the pool; the server's sessions use the wrapped
 * kernel as they would the real one.
 *
 * @module
 */
import type { KernelEvent, KernelState } from "../../kernel/protocol.ts";
import type { KernelLike, ReplyEvent } from "./kernel_session.ts";

/** Limits of a {@link KernelPool}. */
export interface KernelLimits {
  /** Most kernels alive at once (default 10). */
  maxKernels?: number;
  /** A kernel with no cell for this long is stopped (ms, default 60 minutes; 0: never). */
  idleTimeoutMs?: number;
  /** Most cells one lesson may have waiting (default 200). */
  maxQueued?: number;
}

/** The defaults of {@link KernelLimits}. */
export const DEFAULT_LIMITS: Required<KernelLimits> = {
  maxKernels: 10,
  idleTimeoutMs: 60 * 60_000,
  maxQueued: 200,
};

/** Told when the pool stops a kernel: the lesson's label and a sentence for its page. */
export type CullListener = (label: string, text: string) => void;

const LOST = "its variables were lost; running a cell starts it again";

/** The reply of a cell the pool could not give a kernel to. */
function refusedReply(cellId: string, message: string): ReplyEvent {
  return { type: "reply", id: cellId, status: "died", executionCount: 0, elapsedMs: 0, message };
}

/** One kernel under the pool. */
class PooledKernel implements KernelLike {
  /** Whether the real kernel has been started and not stopped since. */
  isLive = false;
  /** Cells running or waiting in the real kernel. */
  inFlight = 0;
  /** When the last cell finished (or the kernel started), `performance.now()`. */
  lastActiveAt = performance.now();

  constructor(
    readonly pool: KernelPool,
    readonly label: string,
    readonly inner: KernelLike,
  ) {}

  get state(): KernelState {
    return this.inner.state;
  }

  onStatus(callback: (status: unknown) => void): () => void {
    return this.inner.onStatus(callback);
  }

  async start(): Promise<void> {
    const refusal = this.pool.admit(this);
    if (refusal !== null) throw new Error(refusal);
    await this.inner.start();
  }

  async execute(
    cellId: string,
    code: string,
    onEvent: (event: KernelEvent) => void,
    options?: Parameters<KernelLike["execute"]>[3],
  ): Promise<ReplyEvent> {
    const refusal = this.pool.admit(this);
    if (refusal !== null) {
      const reply = refusedReply(
        cellId,
        `Not run: ${refusal.charAt(0).toLowerCase()}${refusal.slice(1)}`,
      );
      onEvent(reply);
      return reply;
    }
    this.inFlight++;
    try {
      return await this.inner.execute(cellId, code, onEvent, options);
    } finally {
      this.inFlight--;
      this.lastActiveAt = performance.now();
    }
  }

  interrupt(): Promise<"cooperative" | "terminated" | "idle"> {
    return this.inner.interrupt();
  }

  inspect(code: string, cursor: number, timeoutMs?: number) {
    const notFound = { type: "inspect_reply", id: "", found: false, data: {} } as const;
    return this.inner.inspect?.(code, cursor, timeoutMs) ?? Promise.resolve(notFound);
  }

  async restart(): Promise<void> {
    const refusal = this.pool.admit(this);
    if (refusal !== null) throw new Error(refusal);
    await this.inner.restart();
  }

  /** Stops the kernel for good: the session is closing, so the pool forgets it. */
  async shutdown(): Promise<void> {
    this.pool.release(this);
    await this.inner.shutdown();
  }
}

/**
 * Keeps the number of live kernels under a limit and stops idle ones.
 *
 * @example
 * ```ts
 * import { KernelPool } from "./limits.ts";
 * const pool = new KernelPool({ maxKernels: 2, idleTimeoutMs: 0 });
 * console.log(pool.liveCount); // 0
 * pool.close();
 * ```
 */
export class KernelPool {
  readonly limits: Required<KernelLimits>;
  readonly #kernels = new Set<PooledKernel>();
  readonly #listeners = new Set<CullListener>();
  #sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(limits: KernelLimits = {}, onCull?: CullListener) {
    this.limits = { ...DEFAULT_LIMITS, ...stripUndefined(limits) };
    if (onCull !== undefined) this.#listeners.add(onCull);
    if (this.limits.idleTimeoutMs > 0) {
      const every = Math.max(50, Math.min(60_000, this.limits.idleTimeoutMs / 4));
      this.#sweepTimer = setInterval(() => this.sweepIdle(), every);
      Deno.unrefTimer(this.#sweepTimer);
    }
  }

  /** Calls `listener` whenever the pool stops a kernel. */
  onCull(listener: CullListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Puts `kernel` under the pool; `label` names it in notices (the lesson's slug). */
  wrap(label: string, kernel: KernelLike): KernelLike {
    const pooled = new PooledKernel(this, label, kernel);
    this.#kernels.add(pooled);
    return pooled;
  }

  /** Kernels started and not stopped. */
  get liveCount(): number {
    let count = 0;
    for (const kernel of this.#kernels) if (kernel.isLive) count++;
    return count;
  }

  /** Labels of the live kernels. */
  liveLabels(): string[] {
    return [...this.#kernels].filter((k) => k.isLive).map((k) => k.label);
  }

  /**
   * Makes room for `kernel` to run: returns `null` when it may, or why it may not (every other
   * live kernel is busy). Stops the longest-idle kernel when the pool is full.
   */
  admit(kernel: PooledKernel): string | null {
    if (kernel.isLive) return null;
    if (this.liveCount >= this.limits.maxKernels) {
      const idle = [...this.#kernels]
        .filter((k) => k.isLive && k !== kernel && k.inFlight === 0)
        .sort((a, b) => a.lastActiveAt - b.lastActiveAt)[0];
      if (idle === undefined) {
        return `The server already runs ${this.limits.maxKernels} kernels (its limit) and ` +
          "every one is busy; wait for a notebook to finish or stop one, then run again";
      }
      this.#cull(
        idle,
        `This notebook's kernel was stopped to make room for another notebook (at most ${this.limits.maxKernels} kernels run at once); ${LOST}`,
      );
    }
    kernel.isLive = true;
    kernel.lastActiveAt = performance.now();
    return null;
  }

  /** Forgets a kernel that was shut down by its session. */
  release(kernel: PooledKernel): void {
    kernel.isLive = false;
    this.#kernels.delete(kernel);
  }

  /** Stops every live kernel idle for longer than the idle timeout; returns their labels. */
  sweepIdle(now = performance.now()): string[] {
    const timeout = this.limits.idleTimeoutMs;
    if (timeout <= 0) return [];
    const culled: string[] = [];
    for (const kernel of this.#kernels) {
      if (!kernel.isLive || kernel.inFlight > 0 || now - kernel.lastActiveAt < timeout) continue;
      const idle = timeout >= 60_000
        ? `${Math.round(timeout / 60_000)} min`
        : timeout >= 1000
        ? `${Math.round(timeout / 1000)} s`
        : `${timeout} ms`;
      this.#cull(kernel, `This notebook's kernel was stopped after ${idle} idle; ${LOST}`);
      culled.push(kernel.label);
    }
    return culled;
  }

  #cull(kernel: PooledKernel, text: string): void {
    kernel.isLive = false;
    void kernel.inner.shutdown().catch(() => {});
    for (const listener of this.#listeners) listener(kernel.label, text);
  }

  /** Stops the idle sweep (the kernels themselves are shut down by their sessions). */
  close(): void {
    clearInterval(this.#sweepTimer);
    this.#kernels.clear();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
