/**
 * Containers: `Sequential` (a chain of modules) and `ModuleList` (a list whose modules are
 * registered). Children are named "0", "1", ... so parameters read `"0.weight"`.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";

/** A module that maps one tensor to one tensor (what `Sequential` can chain). */
// deno-lint-ignore no-explicit-any
export type TensorModule = Module<[Tensor], Tensor> | Module<any[], any>;

/**
 * Runs modules one after the other, each on the previous output.
 *
 * - Input: whatever the first module takes. Output: what the last returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn } from "gradbook";
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * assert.deepEqual(model.forward(randn([4, 2])).shape, [4, 1]);
 * assert.ok(model.at(0) instanceof nn.Linear);
 * ```
 */
export class Sequential extends Module {
  [index: number]: TensorModule;

  constructor(...modules: TensorModule[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): TensorModule {
    const list = this.children();
    const m = list.at(index);
    if (m === undefined) {
      throw new RangeError(
        `Sequential.at: index ${index} is out of range for ${list.length} modules`,
      );
    }
    return m as TensorModule;
  }

  /** Adds a module at the end. Returns this. */
  append(module: TensorModule): this {
    if (!(module instanceof Module)) {
      throw new TypeError(`Sequential: expected a Module, got ${typeof module}`);
    }
    this[this.length] = module;
    return this;
  }

  /** Iterates over the modules. */
  [Symbol.iterator](): Iterator<TensorModule> {
    return (this.children() as TensorModule[])[Symbol.iterator]();
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this.children()) x = (m as Module<[Tensor], Tensor>).forward(x);
    return x;
  }
}

/**
 * A list of modules, registered so their parameters belong to the owner. It has no `forward`;
 * iterate over it in your own. (A plain array property of modules works too.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nn, randn, type Tensor } from "gradbook";
 * class Deep extends nn.Module {
 *   layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 *   forward(x: Tensor): Tensor {
 *     for (const layer of this.layers) x = layer.forward(x).tanh();
 *     return x;
 *   }
 * }
 * assert.deepEqual(new Deep().forward(randn([2, 4])).shape, [2, 4]);
 * ```
 */
export class ModuleList<M extends TensorModule = TensorModule> extends Module<[], never> {
  [index: number]: M;

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    const m = this.children().at(index);
    if (m === undefined) {
      throw new RangeError(`ModuleList.at: index ${index} is out of range for ${this.length}`);
    }
    return m as M;
  }

  /** Adds a module at the end. Returns this. */
  append(module: M): this {
    if (!(module instanceof Module)) {
      throw new TypeError(`ModuleList: expected a Module, got ${typeof module}`);
    }
    this[this.length] = module;
    return this;
  }

  /** Iterates over the modules. */
  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ModuleList: a ModuleList has no forward(); iterate over its modules");
  }
}
