/**
 * Cooperative interruption. The kernel shares an `Int32Array` over a SharedArrayBuffer with the
 * worker that runs cells; setting element 0 to a non-zero value asks the running cell to stop.
 * The runtime checks the flag in `backward()`, `optimizer.step()`, data loaders and `tick()`, and
 * throws an {@link InterruptError} there, so the cell's variables stay intact.
 *
 * @module
 */

/** Thrown inside a cell when the user presses Interrupt (or a time limit is reached). */
export class InterruptError extends Error {
  /**
   * Creates the error.
   * @param message What the cell's error output shows.
   */
  constructor(message = "Interrupted by the user") {
    super(message);
    this.name = "InterruptError";
  }
}

let interruptFlag: Int32Array | null = null;

/**
 * Installs the shared flag the runtime polls (called by the kernel; `null` uninstalls it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InterruptError, setInterruptFlag, tick } from "gradbook";
 * const flag = new Int32Array(new SharedArrayBuffer(4));
 * setInterruptFlag(flag);
 * Atomics.store(flag, 0, 1); // what the kernel does on Interrupt
 * assert.throws(() => tick(), InterruptError);
 * setInterruptFlag(null);
 * tick(); // uninstalled: returns at once
 * ```
 */
export function setInterruptFlag(flag: Int32Array | null): void {
  interruptFlag = flag;
}

/**
 * Throws {@link InterruptError} if an interrupt was requested; otherwise returns at once.
 * Call it in long loops of your own: `for (...) { tick(); ... }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tick } from "gradbook";
 * let steps = 0;
 * for (let i = 0; i < 1000; i++) {
 *   tick(); // no interrupt requested: returns at once
 *   steps++;
 * }
 * assert.equal(steps, 1000);
 * ```
 */
export function tick(): void {
  if (interruptFlag !== null && Atomics.load(interruptFlag, 0) !== 0) {
    throw new InterruptError();
  }
}
