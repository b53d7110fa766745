/**
 * The one kernel interface and reply type: what the server, the grader and the tests need of a
 * kernel. `KernelProcess` (a sandboxed `deno run` subprocess) implements it; tests use small
 * fakes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ExecuteReply, Kernel } from "./kernel.ts";
 * const reply: ExecuteReply = {
 *   type: "reply", id: "x1", status: "ok", executionCount: 1, elapsedMs: 0,
 * };
 * const kernel: Pick<Kernel, "execute"> = { execute: () => Promise.resolve(reply) };
 * assert.equal((await kernel.execute("c1", "1 + 1", () => {})).status, "ok");
 * ```
 *
 * @module
 */
import type { KernelEvent, KernelState } from "./protocol.ts";
import type { WidgetValue } from "../../runtime/vocabulary.ts";

/** The final event of an execution. */
export type ExecuteReply = Extract<KernelEvent, { type: "reply" }>;

/** The answer to {@link Kernel.inspect}. */
export type InspectReply = Extract<KernelEvent, { type: "inspect_reply" }>;

/**
 * How an interrupt ended: "cooperative" if the cell stopped by itself (variables kept),
 * "terminated" if the kernel had to restart (variables lost), "idle" if nothing was running.
 */
export type InterruptOutcome = "cooperative" | "terminated" | "idle";

/** A kernel status change, as passed to {@link Kernel.onStatus} listeners. */
export interface KernelStatusEvent {
  state: KernelState;
  reason?: string;
}

/** Options of {@link Kernel.execute}. */
export interface ExecuteOptions {
  /** Time limit of this cell in ms (default: the kernel's). */
  timeoutMs?: number;
  /** Saved values of the cell's widgets, by key. */
  widgets?: Record<string, WidgetValue>;
  /**
   * "judge" runs the cell in the kernel's grading worker, which the cells' worker cannot reach
   * (the grader's checks and hidden tests); default "cells".
   */
  realm?: "cells" | "judge";
  /** Judge only: the answer's top-level names, read from the cells' worker as copies. */
  bridge?: string[];
}

/** A kernel: runs cells one at a time and keeps their top-level names between them. */
export interface Kernel {
  /** Current lifecycle state. */
  readonly state: KernelState;
  /** Calls `listener` on every state change; returns a function that removes it. */
  onStatus(listener: (event: KernelStatusEvent) => void): () => void;
  /** Starts the kernel; resolves when it is idle (ready for cells). */
  start(): Promise<void>;
  /**
   * Runs `code` as cell `cellId`, passing every event to `onEvent`, and resolves with the final
   * reply. Never rejects: failures are replies with status `error`, `interrupted`, `timeout` or
   * `died` and a message.
   */
  execute(
    cellId: string,
    code: string,
    onEvent: (event: KernelEvent) => void,
    options?: ExecuteOptions,
  ): Promise<ExecuteReply>;
  /** Interrupts the running cell. */
  interrupt(): Promise<InterruptOutcome>;
  /** Stops the kernel and starts a fresh one (all variables are lost). */
  restart(): Promise<void>;
  /** Stops the kernel (a later `start()` or `execute()` starts it again). */
  shutdown(): Promise<void>;
  /**
   * Summarises the live value of the top-level name at `cursor` in `code` (the editor's hover),
   * `found: false` when there is none or no answer within `timeoutMs`.
   */
  inspect?(code: string, cursor: number, timeoutMs?: number): Promise<InspectReply>;
}
