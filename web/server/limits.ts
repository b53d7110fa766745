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
import type { KernelEvent, KernelState } from "../../notebook/kernel/protocol.ts";
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

/** Most output one cell may send to its page, in characters of text and data (16 Mi). */
export const OUTPUT_BUDGET_CHARS = 16 * 1024 * 1024;

/**
 * The size of a value as sent (characters of strings and keys, 8 per number), counting no
 * further than `cap`.
 */
export function outputSize(value: unknown, cap = Infinity): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= cap) {
    const item = stack.pop();
    if (typeof item === "string") total += item.length + 2;
    else if (Array.isArray(item)) stack.push(...item);
    else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        total += key.length + 4;
        stack.push(child);
      }
    } else total += 8;
  }
  return total;
}

/**
 * Passes a cell's events on until its new outputs (streams, displays, results) pass `budget`
 * characters, then drops them with one notice on stderr. Display updates replace an output
 * rather than add one, so they count one at a time: one larger than half the budget is dropped.
 * Errors and the reply always pass.
 *
 * @example
 * ```ts
 * import { budgetEvents } from "./limits.ts";
 * const seen: string[] = [];
 * const onEvent = budgetEvents((e) => seen.push(e.type === "stream" ? e.text : e.type), 10);
 * onEvent({ type: "stream", id: "x", name: "stdout", text: "a".repeat(20) });
 * console.log(seen[0]?.startsWith("[This cell's outputs passed")); // true
 * ```
 */
export function budgetEvents(
  onEvent: (event: KernelEvent) => void,
  budget = OUTPUT_BUDGET_CHARS,
): (event: KernelEvent) => void {
  let used = 0;
  const warned = new Set<string>();
  const warn = (id: string, what: string) => {
    if (warned.has(what)) return;
    warned.add(what);
    onEvent({ type: "stream", id, name: "stderr", text: `[${what}; the rest were not shown]\n` });
  };
  const limit = budget >= 1048576 ? `${Math.round(budget / 1048576)} MiB` : `${budget} characters`;
  return (event) => {
    if (event.type === "display" && event.update === true) {
      if (outputSize(event.data, budget) > budget / 2) {
        return warn(event.id, `A display update was larger than half of ${limit}`);
      }
      return onEvent(event);
    }
    if (event.type !== "stream" && event.type !== "display" && event.type !== "result") {
      return onEvent(event);
    }
    if (used > budget) return;
    used += outputSize(event.type === "stream" ? event.text : event.data, budget);
    if (used > budget) return warn(event.id, `This cell's outputs passed ${limit}`);
    onEvent(event);
  };
}

/** One kernel under the pool. */
class PooledKernel implements KernelLike {
  /** Whether the real kernel has been started and not stopped since. */
  isLive = false;
  /** Cells running or waiting in the real kernel. */
  inFlight = 0;
  /** When the last cell finished (or the kernel started), `performance.now()`. */
  lastActiveAt = performance.now();
  /** Set while the pool stops this kernel; a new cell waits for it before starting it again. */
  stopping: Promise<void> | null = null;

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
    await this.stopping;
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
    // NOTE: a kernel still shutting down would queue the cell and never start again.
    await this.stopping;
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
      return await this.inner.execute(cellId, code, budgetEvents(onEvent), options);
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
    await this.stopping;
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
      if (kernel.state === "starting" || kernel.state === "busy") continue;
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
    const stopping = kernel.inner.shutdown().catch(() => {}).finally(() => {
      if (kernel.stopping === stopping) kernel.stopping = null;
    });
    kernel.stopping = stopping;
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
