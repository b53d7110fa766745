/**
 * `Optimizer`, the base class of `SGD`, `Adam` and friends: parameter groups with their own
 * hyperparameters, per-parameter state, `zeroGrad()`, `step()` and a JSON `stateDict()`.
 * Updates write into `param.data` directly, outside autodiff, one parameter at a time, in the
 * same arithmetic order as PyTorch 1.13's single-tensor implementations.
 *
 * @module
 */
import { tick } from "../core/interrupt.ts";
import { withGradEnabled } from "../core/autograd.ts";
import { formatShape } from "../core/shape.ts";
import { allocate, Tensor, type TensorData } from "../tensor.ts";

/** Hyperparameters every optimizer has. */
export interface BaseHyperparameters {
  /** Learning rate. */
  lr: number;
}

/** A parameter group: its tensors and its hyperparameters (unset ones use the defaults). */
export type ParamGroupSpec<H> = { params: Iterable<Tensor> } & Partial<H>;

/** A parameter group as stored: schedulers and you may change `group.lr` between steps. */
export type ParamGroup<H> = H & { params: Tensor[]; initialLr?: number };

/** What `step()` accepts as parameters: tensors, or groups of tensors with their own settings. */
export type Params<H> = Iterable<Tensor> | ParamGroupSpec<H>[];

/** Per-parameter state: typed arrays (buffers shaped like the parameter) and numbers. */
export type ParamState = Record<string, TensorData | number>;

/** The JSON form of an optimizer's state (`JSON.stringify` works). */
export interface OptimizerStateDict {
  /** Per-parameter state, keyed by the parameter's position across all groups. */
  state: Record<string, Record<string, number | number[]>>;
  /** Hyperparameters of each group, with `params` listing positions. */
  paramGroups: Record<string, unknown>[];
}

/**
 * Base class of optimizers. Subclasses implement `updateParam`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optim, tensor } from "gradbook";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1 });
 * w.mul(w).sum().backward();
 * opt.step();
 * // w - 0.1 * 2w
 * assert.deepEqual(w.toFlatArray().map((v) => +v.toFixed(6)), [0.8, 1.6]);
 * opt.zeroGrad();
 * assert.equal(w.grad, null);
 * ```
 */
export abstract class Optimizer<H extends BaseHyperparameters = BaseHyperparameters> {
  /** Default hyperparameters for groups that do not set them. */
  readonly defaults: H;
  /** The parameter groups; change `paramGroups[i].lr` to change a learning rate. */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts). */
  readonly state: Map<Tensor, ParamState> = new Map();
  /** Number of `step()` calls so far. */
  stepCount = 0;

  constructor(params: Params<H>, defaults: H) {
    this.defaults = defaults;
    this.validate(defaults);
    const list = [...(params as Iterable<Tensor | ParamGroupSpec<H>>)];
    if (list.length === 0) {
      throw new RangeError(`${this.constructor.name}: got an empty parameter list`);
    }
    if (list.every((p) => p instanceof Tensor)) {
      this.addParamGroup({ params: list } as unknown as ParamGroupSpec<H>);
    } else for (const group of list as ParamGroupSpec<H>[]) this.addParamGroup(group);
  }

  /** Checks hyperparameters; throws a RangeError naming the bad one. */
  protected abstract validate(hyper: H): void;

  /** Updates one parameter in place from its gradient. `state` starts as `{}`. */
  protected abstract updateParam(
    param: TensorData,
    grad: TensorData,
    group: ParamGroup<H>,
    state: ParamState,
  ): void;

  /** Adds a group of parameters with its own hyperparameters (e.g. a lower lr for a backbone). */
  addParamGroup(group: ParamGroupSpec<H>): void {
    if (group === null || typeof group !== "object" || !("params" in group)) {
      throw new TypeError(
        `${this.constructor.name}: a parameter group must be an object with a "params" list`,
      );
    }
    const params = [...group.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) {
        throw new TypeError(
          `${this.constructor.name}: parameters must be Tensors, got ${typeof p}`,
        );
      }
      if (!p.isLeaf) {
        throw new Error(
          `${this.constructor.name}: can't optimize a non-leaf tensor (made by ${p.gradFn?.op}); ` +
            `optimize the leaves, e.g. model.parameters()`,
        );
      }
      if (seen.has(p)) {
        throw new Error(`${this.constructor.name}: a parameter appears in more than one group`);
      }
      seen.add(p);
    }
    const full = { ...this.defaults, ...group, params } as ParamGroup<H>;
    this.validate(full);
    this.paramGroups.push(full);
  }

  /** Clears every parameter's gradient (sets `.grad` to null, PyTorch's default). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /**
   * Updates every parameter that has a gradient. With a `closure` (which should recompute the
   * loss and call `backward()`), calls it first and returns its loss.
   */
  step(closure?: () => Tensor | number): number | undefined {
    tick();
    let loss: number | undefined;
    if (closure !== undefined) {
      const value = withGradEnabled(true, closure);
      loss = typeof value === "number" ? value : value.item();
    }
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (p.grad.shape.join() !== p.shape.join() || p.grad.dtype !== p.dtype) {
          throw new RangeError(
            `${this.constructor.name}.step: gradient ${
              formatShape(p.grad.shape)
            } ${p.grad.dtype} ` +
              `does not match parameter ${formatShape(p.shape)} ${p.dtype}`,
          );
        }
        let state = this.state.get(p);
        if (state === undefined) {
          state = {};
          this.state.set(p, state);
        }
        this.updateParam(p.data, p.grad.data, group, state);
      }
    }
    this.stepCount++;
    return loss;
  }

  /** Learning rates of the groups. */
  get lrs(): number[] {
    return this.paramGroups.map((g) => g.lr);
  }

  /** State and hyperparameters as JSON; parameters are referred to by position. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...hyper } = group;
      return {
        ...hyper,
        params: params.map((p) => {
          index.set(p, index.size);
          return index.size - 1;
        }),
      };
    });
    const state: OptimizerStateDict["state"] = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      state[i] = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k, typeof v === "number" ? v : Array.from(v)]),
      );
    }
    return { state, paramGroups };
  }

  /** Restores state saved by `stateDict()` onto the same parameters, in the same order. */
  loadStateDict(saved: OptimizerStateDict): void {
    if (saved.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(
        `${this.constructor.name}.loadStateDict: the state dict has ${saved.paramGroups.length} ` +
          `parameter groups, the optimizer has ${this.paramGroups.length}`,
      );
    }
    const params: Tensor[] = [];
    saved.paramGroups.forEach((sg, i) => {
      const group = this.paramGroups[i]!;
      const ids = sg.params as number[];
      if (ids.length !== group.params.length) {
        throw new RangeError(
          `${this.constructor.name}.loadStateDict: group ${i} has ${ids.length} parameters in ` +
            `the state dict and ${group.params.length} in the optimizer`,
        );
      }
      params.push(...group.params);
    });
    this.state.clear();
    for (const [key, s] of Object.entries(saved.state)) {
      const p = params[Number(key)];
      if (p === undefined) {
        throw new RangeError(
          `${this.constructor.name}.loadStateDict: no parameter at position ${key}`,
        );
      }
      const restored: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === "number") restored[k] = v;
        else {
          if (v.length !== p.size) {
            throw new RangeError(
              `${this.constructor.name}.loadStateDict: state "${k}" of parameter ${key} has ` +
                `${v.length} values, the parameter has shape ${formatShape(p.shape)}`,
            );
          }
          const data = allocate(p.dtype, p.size);
          data.set(v);
          restored[k] = data;
        }
      }
      this.state.set(p, restored);
    }
    saved.paramGroups.forEach((sg, i) => {
      const { params: _ids, ...hyper } = sg;
      Object.assign(this.paramGroups[i]!, hyper);
    });
  }
}

/** A zeroed buffer shaped like `like` (state helper). */
export function buffer(state: ParamState, key: string, like: TensorData, fill = 0): TensorData {
  let b = state[key];
  if (b === undefined || typeof b === "number") {
    b = like instanceof Float64Array
      ? new Float64Array(like.length)
      : new Float32Array(like.length);
    if (fill !== 0) b.fill(fill);
    state[key] = b;
  }
  return b;
}

/** Throws a RangeError unless `value` is within [min, max) / [min, max]. */
export function checkRange(
  optimizer: string,
  name: string,
  value: number,
  min: number,
  max = Infinity,
  maxInclusive = false,
): void {
  const ok = value >= min && (maxInclusive ? value <= max : value < max);
  if (!ok || Number.isNaN(value)) {
    throw new RangeError(
      `${optimizer}: invalid ${name} ${value} (expected ${min} <= ${name} ${
        maxInclusive ? "<=" : "<"
      } ${max})`,
    );
  }
}
