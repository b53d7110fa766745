/**
 * Target networks (Mnih et al., 2015): a slowly-moving copy of the online Q-network that
 * provides the TD target, updated by copying (hard) or by Polyak averaging (soft; Lillicrap et
 * al., 2016). These helpers only need `stateDict()` / `loadStateDict()`, or tensors' `data`.
 *
 * @module
 */

/** Anything whose weights can be read and written as a state dict (an `nn.Module`). */
export interface HasStateDict<State = unknown> {
  /** The weights. */
  stateDict(): State;
  /** Replaces the weights (copying the values, as PyTorch's `load_state_dict` does). */
  loadStateDict(state: State): void;
}

/** Anything holding its numbers in a mutable `data` array (a `Tensor`). */
export interface HasData {
  /** The values, updated in place. */
  readonly data: { length: number; [index: number]: number };
}

/**
 * Copies the online weights into the target: `target.loadStateDict(online.stateDict())`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * let weights = { w: [1, 2] };
 * const online = { stateDict: () => ({ w: [3, 4] }), loadStateDict: () => {} };
 * const target = { stateDict: () => weights, loadStateDict: (s: { w: number[] }) => { weights = s; } };
 * rl.hardUpdate(target, online);
 * assert.deepEqual(weights.w, [3, 4]);
 * ```
 */
export function hardUpdate<State>(target: HasStateDict<State>, online: HasStateDict<State>): void {
  target.loadStateDict(online.stateDict());
}

/**
 * Polyak averaging of whole models, $\theta' \leftarrow \tau\theta + (1 - \tau)\theta'$: reads
 * both state dicts, blends every number of the online one into the target's (numbers, arrays,
 * typed arrays, tensors' `data`, nested objects), and loads the result into the target.
 * Values that are equal are left untouched, so integer fields such as shapes stay exact.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * let weights = { w: [0, 10] };
 * const online = { stateDict: () => ({ w: [1, 20] }), loadStateDict: () => {} };
 * const target = { stateDict: () => weights, loadStateDict: (s: { w: number[] }) => { weights = s; } };
 * rl.softUpdate(target, online, 0.1);
 * assert.deepEqual(weights.w, [0.1, 11]);
 * ```
 */
export function softUpdate<State>(
  target: HasStateDict<State>,
  online: HasStateDict<State>,
  tau: number,
): void {
  checkTau("softUpdate", tau);
  const state = target.stateDict();
  target.loadStateDict(blend(state, online.stateDict(), tau, "state") as State);
}

/**
 * Polyak averaging of parameter lists in place: for each pair,
 * `target.data[i] = tau * online.data[i] + (1 - tau) * target.data[i]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl, tensor } from "gradbook";
 * const target = [tensor([0, 0])];
 * const online = [tensor([1, 2])];
 * rl.polyakUpdate(target, online, 0.5);
 * assert.deepEqual(target[0]!.toArray(), [0.5, 1]);
 * ```
 */
export function polyakUpdate(
  targetParams: readonly HasData[],
  onlineParams: readonly HasData[],
  tau: number,
): void {
  checkTau("polyakUpdate", tau);
  if (targetParams.length !== onlineParams.length) {
    throw new RangeError(
      `polyakUpdate: ${targetParams.length} target parameters but ${onlineParams.length} online ones`,
    );
  }
  targetParams.forEach((target, p) => {
    const a = target.data;
    const b = onlineParams[p]!.data;
    if (a.length !== b.length) {
      throw new RangeError(
        `polyakUpdate: parameter ${p} has ${a.length} values in the target but ${b.length} online`,
      );
    }
    for (let i = 0; i < a.length; i++) a[i] = tau * b[i]! + (1 - tau) * a[i]!;
  });
}

/** Options for `new TargetNetwork()`. */
export interface TargetNetworkOptions {
  /** Hard-copy every this many `update()` calls (DQN's C); default 1. Ignored when `tau` is set. */
  updateEvery?: number;
  /** Soft-update with this τ on every `update()` call instead of hard copies. */
  tau?: number;
}

/**
 * Keeps a target model in step with an online one: copies the weights at construction, then on
 * every `updateEvery`-th call of `update()` (or blends with `tau` on every call).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * let online = { w: [1] };
 * let target = { w: [0] };
 * const onlineNet = { stateDict: () => online, loadStateDict: (s: { w: number[] }) => { online = s; } };
 * const targetNet = { stateDict: () => target, loadStateDict: (s: { w: number[] }) => { target = s; } };
 * const sync = new rl.TargetNetwork(targetNet, onlineNet, { updateEvery: 100 });
 * assert.deepEqual(target.w, [1]); // copied at construction
 * online = { w: [2] }; // training moves the online weights
 * // after each optimizer step:
 * for (let step = 1; step < 100; step++) sync.update();
 * assert.deepEqual(target.w, [1]);
 * sync.update(); // copies on calls 100, 200, ...
 * assert.deepEqual(target.w, [2]);
 * ```
 */
export class TargetNetwork<State> {
  /** The target model. */
  readonly target: HasStateDict<State>;
  /** The online model. */
  readonly online: HasStateDict<State>;
  /** Calls to `update()` so far. */
  steps = 0;
  readonly #updateEvery: number;
  readonly #tau: number | undefined;

  constructor(
    target: HasStateDict<State>,
    online: HasStateDict<State>,
    options: TargetNetworkOptions = {},
  ) {
    this.target = target;
    this.online = online;
    this.#updateEvery = options.updateEvery ?? 1;
    if (!Number.isInteger(this.#updateEvery) || this.#updateEvery < 1) {
      throw new RangeError(
        `TargetNetwork: updateEvery must be a positive integer, got ${options.updateEvery}`,
      );
    }
    if (options.tau !== undefined) checkTau("TargetNetwork", options.tau);
    this.#tau = options.tau;
    hardUpdate(target, online);
  }

  /** Counts one training step; returns true when the target changed. */
  update(): boolean {
    this.steps++;
    if (this.#tau !== undefined) {
      softUpdate(this.target, this.online, this.#tau);
      return true;
    }
    if (this.steps % this.#updateEvery !== 0) return false;
    hardUpdate(this.target, this.online);
    return true;
  }
}

function checkTau(name: string, tau: number): void {
  if (!(tau >= 0 && tau <= 1)) throw new RangeError(`${name}: tau must be in [0, 1], got ${tau}`);
}

/** Blends `online` into `target` in place where possible; returns the blended value. */
function blend(target: unknown, online: unknown, tau: number, path: string): unknown {
  if (typeof target === "number" && typeof online === "number") {
    return target === online ? target : tau * online + (1 - tau) * target;
  }
  if (isNumberArray(target) && isNumberArray(online)) {
    if (target.length !== online.length) {
      throw new RangeError(
        `softUpdate: ${path} has ${target.length} values in the target but ${online.length} online`,
      );
    }
    for (let i = 0; i < target.length; i++) {
      const t = target[i]!;
      const o = online[i]!;
      if (t !== o) target[i] = tau * o + (1 - tau) * t;
    }
    return target;
  }
  if (Array.isArray(target) && Array.isArray(online)) {
    if (target.length !== online.length) {
      throw new RangeError(
        `softUpdate: ${path} has ${target.length} entries in the target but ${online.length} online`,
      );
    }
    for (let i = 0; i < target.length; i++) {
      target[i] = blend(target[i], online[i], tau, `${path}[${i}]`);
    }
    return target;
  }
  if (target instanceof Map && online instanceof Map) {
    for (const [key, value] of target) {
      if (!online.has(key)) throw new RangeError(`softUpdate: ${path} key "${key}" is not online`);
      target.set(key, blend(value, online.get(key), tau, `${path}.${String(key)}`));
    }
    return target;
  }
  if (typeof target === "object" && target !== null && typeof online === "object" && online) {
    const o = online as Record<string, unknown>;
    const t = target as Record<string, unknown>;
    // A tensor: blend its data in place (its other fields are not weights).
    if (ArrayBuffer.isView(t.data) && ArrayBuffer.isView(o.data)) {
      blend(t.data, o.data, tau, `${path}.data`);
      return target;
    }
    for (const key of Object.keys(t)) {
      if (!(key in o)) throw new RangeError(`softUpdate: ${path}.${key} is missing online`);
      t[key] = blend(t[key], o[key], tau, `${path}.${key}`);
    }
    return target;
  }
  if (target === online) return target;
  throw new TypeError(
    `softUpdate: cannot blend ${path}: target is ${describe(target)}, online is ${
      describe(online)
    }`,
  );
}

function isNumberArray(value: unknown): value is { length: number; [i: number]: number } {
  if (value instanceof Float32Array || value instanceof Float64Array) return true;
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number");
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? "null" : typeof value;
}
