/**
 * "No shortcuts" for grading: an exercise that asks the learner to write X declares
 * `withhold=X` (and `autodiff=required` when the gradient must come from `backward()`). Before the
 * lesson's setup runs in the answer's realm, the grader installs a guard (a cell that calls
 * {@link withhold} with a random nonce); every function the lesson names is wrapped wherever the
 * `gradbook` module exposes it (`nn.F.affineGrid` and `nn.functional.affineGrid` are the same
 * function as `affineGrid`, so one name catches all three). After the setup the grader arms the
 * guard; from then on, calls to a withheld function and to `Tensor.prototype.backward` are
 * recorded, whether the answer makes them at top level or while the checks call its functions
 * through the bridge. A last cell reads the record with {@link report}. The nonce never appears
 * in the answer's realm as a value the answer could read, so the answer cannot arm, reset or read
 * the guard itself.
 *
 * @module
 */
import * as gradbook from "gradbook";
import { Tensor } from "gradbook";

const apply = Reflect.apply;
const construct = Reflect.construct;
const getPrototypeOf = Object.getPrototypeOf;
const ownKeys = Reflect.ownKeys;
const ObjectPrototype = Object.prototype;
const NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

const state = {
  nonce: "",
  installed: false,
  armed: false,
  called: [] as string[],
  backward: 0,
};
/** The `gradbook` module cells import once the guard is installed (null before). */
let guarded: Record<string, unknown> | null = null;

/** The module a cell gets for `"gradbook"`: the guarded copy while grading, else the real one. */
export function gradbookModule(): unknown {
  return guarded ?? gradbook;
}

function record(name: string): void {
  if (state.armed && !state.called.includes(name)) state.called[state.called.length] = name;
}

function wrap(fn: (...args: unknown[]) => unknown, name: string): unknown {
  return new Proxy(fn, {
    apply(target, self, args) {
      record(name);
      return apply(target, self, args);
    },
    construct(target, args, newTarget) {
      record(name);
      return construct(target, args, newTarget === proxyOf.get(target) ? target : newTarget);
    },
  });
}
const proxyOf = new WeakMap<object, unknown>();

function isPlain(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = getPrototypeOf(value);
  return proto === null || proto === ObjectPrototype;
}

/** Copies a namespace (or plain object) with every target function replaced by its wrapper. */
function rebuild(
  source: Record<string, unknown>,
  targets: Map<unknown, string>,
  copies: Map<object, Record<string, unknown>>,
  depth: number,
): Record<string, unknown> {
  const done = copies.get(source);
  if (done !== undefined) return done;
  const copy: Record<string, unknown> = {};
  copies.set(source, copy);
  for (const key of ownKeys(source)) {
    if (typeof key !== "string") continue;
    const value = source[key];
    const name = targets.get(value);
    if (name !== undefined) {
      let proxy = proxyOf.get(value as object);
      if (proxy === undefined) {
        proxy = wrap(value as (...args: unknown[]) => unknown, name);
        proxyOf.set(value as object, proxy);
      }
      copy[key] = proxy;
    } else if (depth < 3 && isPlain(value)) {
      copy[key] = rebuild(value, targets, copies, depth + 1);
    } else {
      copy[key] = value;
    }
  }
  return Object.freeze(copy);
}

function resolve(path: string): { owner: Record<string, unknown>; key: string; value: unknown } {
  const parts = path.split(".");
  let owner: Record<string, unknown> = gradbook as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const next = owner?.[part];
    if ((typeof next !== "object" && typeof next !== "function") || next === null) {
      throw new TypeError(`withhold: gradbook has no "${path}" ("${part}" is not an object)`);
    }
    owner = next as Record<string, unknown>;
  }
  const key = parts[parts.length - 1]!;
  return { owner, key, value: owner[key] };
}

/**
 * Installs the guard (once per worker): wraps the named `gradbook` functions (`"affineGrid"`,
 * `"neuro.scaledDotProductAttention"`, or a method such as `"Tensor.prototype.softmax"`) and
 * counts `backward()` calls. Nothing is recorded until {@link arm}.
 *
 * @throws {TypeError} when the guard is already installed or a name is not a gradbook function.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arm, gradbookModule, report, withhold } from "./withhold.ts";
 * withhold("n1", ["affineGrid"]);
 * const gb = gradbookModule() as typeof import("gradbook");
 * const theta = gb.tensor([[[1, 0, 0], [0, 1, 0]]]);
 * gb.affineGrid(theta, [1, 1, 2, 2]); // before arm: not recorded
 * arm("n1");
 * gb.nn.F.affineGrid(theta, [1, 1, 2, 2]);
 * assert.deepEqual(report("n1"), { called: ["affineGrid"], backward: 0 });
 * ```
 */
export function withhold(nonce: string, names: readonly string[]): void {
  if (state.installed) throw new TypeError("withhold: the grading guard is already installed");
  if (typeof nonce !== "string" || nonce.length < 1) throw new TypeError("withhold: no nonce");
  const targets = new Map<unknown, string>();
  for (const name of names) {
    if (!NAME.test(name)) throw new TypeError(`withhold: "${name}" is not a dotted name`);
    const { owner, key, value } = resolve(name);
    if (typeof value !== "function") {
      throw new TypeError(`withhold: gradbook has no function "${name}"`);
    }
    if (name.includes(".prototype.")) {
      // A method: replaced in place on its prototype (instances share it).
      owner[key] = wrap(value as (...args: unknown[]) => unknown, name);
    } else {
      targets.set(value, name);
    }
  }
  const backward = Tensor.prototype.backward;
  Tensor.prototype.backward = function (this: Tensor, ...args: unknown[]) {
    if (state.armed) state.backward++;
    return apply(backward, this, args);
  } as Tensor["backward"];
  state.installed = true;
  state.nonce = nonce;
  guarded = rebuild(gradbook as unknown as Record<string, unknown>, targets, new Map(), 0);
}

/** Starts recording (after the lesson's setup, before the answer). */
export function arm(nonce: string): void {
  if (!state.installed || nonce !== state.nonce) throw new TypeError("arm: wrong nonce");
  state.armed = true;
}

/** What the answer did since {@link arm}: the withheld functions it called, and backward() calls. */
export function report(nonce: string): { called: string[]; backward: number } {
  if (!state.installed || nonce !== state.nonce) throw new TypeError("report: wrong nonce");
  return { called: [...state.called], backward: state.backward };
}
