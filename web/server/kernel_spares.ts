/**
 * Kernels started ahead of need: the server keeps `count` kernels starting or ready, and a lesson
 * page that opens takes one, so its first cell does not wait for a kernel process to start
 * (TypeScript and the runtime load in hundreds of ms). A spare is a fresh process that has run
 * nothing, so any lesson may take it. Taking one starts its replacement `refillDelayMs` later,
 * once the page's first cells have had the cores; a spare that fails to start is dropped and not
 * retried until the next take. {@link KernelSpares.close} stops the spares not taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KernelSpares } from "./kernel_spares.ts";
 * import { IdleKernel } from "./test_support.ts";
 * const spares = new KernelSpares(() => new IdleKernel(), 1, 0);
 * const kernel = spares.take(); // the spare made at once
 * assert.ok(kernel instanceof IdleKernel);
 * await spares.close();
 * ```
 *
 * @module
 */
import type { Kernel } from "../../notebook/kernel/kernel.ts";

/** Keeps kernels started ahead of need; see the module documentation. */
export class KernelSpares {
  readonly #make: () => Kernel;
  readonly #count: number;
  readonly #refillDelayMs: number;
  readonly #spares: Kernel[] = [];
  #refillTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * `make` makes a kernel (not started); `count` spares are kept (0: none, `take` makes one);
   * a take refills after `refillDelayMs`.
   */
  constructor(make: () => Kernel, count: number, refillDelayMs = 2000) {
    this.#make = make;
    this.#count = Math.max(0, Math.floor(count));
    this.#refillDelayMs = refillDelayMs;
    this.#fill();
  }

  /** Kernels waiting to be taken (starting or ready). */
  get waiting(): number {
    return this.#spares.length;
  }

  /**
   * Resolves once every spare is ready (or has failed and been dropped); a refill still waiting
   * for its delay starts now.
   */
  async ready(): Promise<void> {
    if (this.#refillTimer !== undefined) {
      clearTimeout(this.#refillTimer);
      this.#refillTimer = undefined;
      this.#fill();
    }
    await Promise.all(this.#spares.map((kernel) => kernel.start().catch(() => {})));
  }

  /** A spare kernel (starting or ready), or a new one not started when none is waiting. */
  take(): Kernel {
    const kernel = this.#spares.shift() ?? this.#make();
    if (this.#count > 0 && this.#refillTimer === undefined && !this.#closed) {
      this.#refillTimer = setTimeout(() => {
        this.#refillTimer = undefined;
        this.#fill();
      }, this.#refillDelayMs);
      Deno.unrefTimer(this.#refillTimer);
    }
    return kernel;
  }

  /** Stops the spares not taken; later takes make kernels that are not started. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#refillTimer);
    this.#refillTimer = undefined;
    const spares = this.#spares.splice(0);
    await Promise.all(spares.map((kernel) => kernel.shutdown().catch(() => {})));
  }

  #fill(): void {
    while (!this.#closed && this.#spares.length < this.#count) {
      const kernel = this.#make();
      this.#spares.push(kernel);
      kernel.start().catch(() => {
        const at = this.#spares.indexOf(kernel);
        if (at >= 0) this.#spares.splice(at, 1);
      });
    }
  }
}
