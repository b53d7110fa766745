/**
 * `Module`, the base class of every layer and model, and `Parameter`, the tensor type a module
 * trains. Submodules, parameters and (registered) buffers are found from the module's own
 * properties, in the order they were assigned, like PyTorch's attribute registration.
 *
 * @module
 */
import { noGrad } from "../core/autograd.ts";
import { formatShape } from "../core/shape.ts";
import { type DType, Tensor } from "../tensor.ts";

/**
 * A tensor that a {@link Module} owns and trains: assigning one to a module property registers
 * it, so it shows up in `parameters()` and `stateDict()`. Shares storage with the tensor it wraps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, zeros } from "gradbook";
 * const p = new nn.Parameter(zeros([3]));
 * assert.equal(p.requiresGrad, true);
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.data, data.shape, requiresGrad);
  }
}

/** Any module, whatever its forward's signature (what `children()` and `modules()` return). */
// deno-lint-ignore no-explicit-any
export type AnyModule = Module<any[], any>;

/** One saved tensor in a state dict: plain JSON. */
export interface SavedTensor {
  shape: number[];
  dtype: DType;
  data: number[];
}

/** A module's parameters and buffers by dotted name (`"0.weight"`), JSON-serialisable. */
export type StateDict = Record<string, SavedTensor>;

/** What {@link Module.loadStateDict} did not match (always empty when `strict`). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Converts a tensor to its JSON form. */
export function saveTensor(t: Tensor): SavedTensor {
  return { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) };
}

/**
 * Base class of layers and models. Subclasses assign submodules and {@link Parameter}s to
 * properties and implement `forward`. Call a module with `model.forward(x)`; `model.call(x)` is
 * the same (PyTorch's `model(x)`; TypeScript classes cannot be called like functions).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn, type Tensor } from "gradbook";
 * class MLP extends nn.Module {
 *   hidden = new nn.Linear(2, 8);
 *   out = new nn.Linear(8, 1);
 *   forward(x: Tensor): Tensor {
 *     return this.out.forward(this.hidden.forward(x).relu());
 *   }
 * }
 * const model = new MLP();
 * assert.deepEqual(model.forward(randn([4, 2])).shape, [4, 1]);
 * assert.deepEqual(
 *   model.namedParameters().map(([name]) => name),
 *   ["hidden.weight", "hidden.bias", "out.weight", "out.bias"],
 * );
 * ```
 */
// deno-lint-ignore no-explicit-any
export abstract class Module<In extends any[] = [Tensor], Out = Tensor> {
  /** True in training mode (the default); `eval()` sets it to false. Dropout and BatchNorm read it. */
  training = true;
  /** Property name of each buffer → its key in state dicts. */
  #bufferNames = new Map<string, string>();

  /** Computes the module's output. Subclasses implement it. */
  abstract forward(...inputs: In): Out;

  /** Same as `forward` (PyTorch's `model(x)`). */
  call(...inputs: In): Out {
    return this.forward(...inputs);
  }

  /**
   * Registers a tensor that is saved in `stateDict()` but not trained (e.g. BatchNorm's running
   * mean), and assigns it to `this[name]`. `stateKey` is its name in `stateDict()` and
   * `namedBuffers()` when that differs from the property, e.g. PyTorch's `running_mean` for the
   * property `runningMean`, so that state dicts carry over from PyTorch.
   */
  registerBuffer(name: string, value: Tensor, stateKey: string = name): void {
    this.#bufferNames.set(name, stateKey);
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Assigns `value` as a {@link Parameter} to `this[name]` and returns the parameter. */
  registerParameter(name: string, value: Tensor): Parameter {
    const p = value instanceof Parameter ? value : new Parameter(value);
    (this as unknown as Record<string, unknown>)[name] = p;
    return p;
  }

  /** Own properties of this module as [name, value], arrays flattened to `name.i`. */
  #ownEntries(): [string, unknown][] {
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (Array.isArray(value)) value.forEach((v, i) => entries.push([`${key}.${i}`, v]));
      else entries.push([key, value]);
    }
    return entries;
  }

  /** Direct submodules with their property names. */
  namedChildren(): [string, AnyModule][] {
    return this.#ownEntries().filter((e): e is [string, AnyModule] => e[1] instanceof Module);
  }

  /** Direct submodules. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (name `""`) and every submodule below it, with dotted names, depth first. */
  namedModules(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (prefix: string, m: AnyModule): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m.namedChildren()) {
        visit(prefix ? `${prefix}.${name}` : name, child);
      }
    };
    visit("", this as unknown as AnyModule);
    return out;
  }

  /** This module and every submodule. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  #ownParameters(): [string, Parameter][] {
    return this.#ownEntries().filter((e): e is [string, Parameter] =>
      e[1] instanceof Parameter && !this.#bufferNames.has(e[0])
    );
  }

  #ownBuffers(): [string, Tensor][] {
    return [...this.#bufferNames].flatMap(([name, key]) => {
      const value = (this as unknown as Record<string, unknown>)[name];
      return value instanceof Tensor ? [[key, value] as [string, Tensor]] : [];
    });
  }

  /** Every parameter with its dotted name (`"0.weight"`); a shared parameter appears once. */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.#ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** Every parameter, e.g. to hand to an optimizer: `new optim.SGD(model.parameters(), ...)`. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every registered buffer with its dotted state-dict name (`"1.running_mean"`). */
  namedBuffers(): [string, Tensor][] {
    return this.namedModules().flatMap(([prefix, m]) =>
      m.#ownBuffers().map(([name, b]) =>
        [prefix ? `${prefix}.${name}` : name, b] as [string, Tensor]
      )
    );
  }

  /** Every registered buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Sets training mode on this module and every submodule. Returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`): Dropout passes inputs through, BatchNorm uses running stats. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls `fn` on every submodule and then on this module (e.g. custom initialisation). Returns this. */
  apply(fn: (module: AnyModule) => void): this {
    for (const m of this.modules().reverse()) fn(m);
    return this;
  }

  /** Every parameter and buffer by dotted name, as plain JSON (`JSON.stringify` works). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.#ownParameters(), ...m.#ownBuffers()]) {
        out[prefix ? `${prefix}.${name}` : name] = saveTensor(t);
      }
    }
    return out;
  }

  /**
   * Copies values from a state dict into this module's parameters and buffers, in place (so
   * optimizers keep working). With `strict` (the default) every key must match both ways.
   */
  loadStateDict(state: StateDict, options: { strict?: boolean } = {}): LoadResult {
    const strict = options.strict ?? true;
    const own = new Map<string, Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.#ownParameters(), ...m.#ownBuffers()]) {
        own.set(prefix ? `${prefix}.${name}` : name, t);
      }
    }
    const missingKeys = [...own.keys()].filter((k) => !(k in state));
    const unexpectedKeys = Object.keys(state).filter((k) => !own.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length > 0) parts.push(`missing keys: ${missingKeys.join(", ")}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected keys: ${unexpectedKeys.join(", ")}`);
      throw new Error(
        `loadStateDict: the state dict does not match the model (${parts.join("; ")}); ` +
          `pass { strict: false } to load the keys that match`,
      );
    }
    for (const [key, target] of own) {
      const saved = state[key];
      if (saved === undefined) continue;
      if (saved.shape.join() !== target.shape.join() || saved.data.length !== target.size) {
        throw new RangeError(
          `loadStateDict: shape mismatch for "${key}": the state dict has ${
            formatShape(saved.shape)
          } (${saved.data.length} values), the model has ${formatShape(target.shape)}`,
        );
      }
    }
    noGrad(() => {
      for (const [key, target] of own) {
        const saved = state[key];
        if (saved !== undefined) target.data.set(saved.data);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Extra text shown in this module's line of `toString()`, e.g. `inFeatures=2, outFeatures=3`. */
  extraRepr(): string {
    return "";
  }

  /** PyTorch-style summary of the module tree. */
  toString(): string {
    const name = this.constructor.name;
    const children = this.namedChildren();
    if (children.length === 0) return `${name}(${this.extraRepr()})`;
    const lines = children.map(([key, m]) =>
      `  (${key}): ${m.toString().replaceAll("\n", "\n  ")}`
    );
    const extra = this.extraRepr();
    return `${name}(${extra ? `\n  ${extra}` : ""}\n${lines.join("\n")}\n)`;
  }

  /** Shown by `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Shown by notebooks. */
  [Symbol.for("Jupyter.display")](): Record<string, unknown> {
    return { "text/plain": this.toString() };
  }
}
