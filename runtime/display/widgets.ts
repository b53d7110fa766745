/**
 * Interactive widgets for cells: `const lr = await input.slider({ label: "learning rate",
 * min: 1e-4, max: 1, value: 0.01, scale: "log" })` shows a slider and resolves to its value.
 *
 * In gradbook's notebook, moving the slider saves the new value and reruns this cell (which
 * resolves to the new value) and every cell that depends on it. Elsewhere (tests, `deno
 * jupyter`) the widget shows as text and resolves to its default value at once.
 *
 * Awaiting a widget displays it; `input.controls([...])` shows several in one panel and
 * resolves to their values in order.
 *
 * @module
 */
import { emitDisplay } from "./sink.ts";
import { acceptWidgetValue, type WidgetPanel, type WidgetSpec } from "./widget_spec.ts";
import { WIDGET_MIME, type WidgetValue } from "../vocabulary.ts";

/** Where the kernel's widget host is found on `globalThis` (installed by the cell worker). */
export const WIDGET_HOST_KEY: unique symbol = Symbol.for("gradbook.widgetHost") as never;

/** What the kernel provides: unique keys within the running cell, and saved values. */
export interface WidgetHost {
  /** Returns `base`, or `base#2`, `base#3`... if the cell already used it in this run. */
  claimKey(base: string): string;
  /** The value saved for `key` in the running cell, if any. */
  savedValue(key: string): unknown;
}

/** A widget not yet shown: awaiting it (or passing it to `input.controls`) shows it. */
export class WidgetRequest<T extends WidgetValue> implements PromiseLike<T> {
  #shown: Promise<T> | null = null;

  /** @param spec The widget, with its default value and a key (not yet made unique). */
  constructor(readonly spec: WidgetSpec) {}

  /** Shows the widget (once) and resolves to its current value. */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    this.#shown ??= showPanel([this]).then((values) => values[0] as T);
    return this.#shown.then(onFulfilled, onRejected);
  }
}

/** Options of {@link input.slider}. */
export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  /** Default value (default: `min`). */
  value?: number;
  /** Step of a linear slider (default: continuous). */
  step?: number;
  /** "log" moves in equal ratios (learning rates); needs `min > 0`. Default "linear". */
  scale?: "linear" | "log";
  /** Saves the value under this name instead of the label. */
  key?: string;
}

/** Options of {@link input.number}. */
export interface NumberOptions {
  label: string;
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  key?: string;
}

/** Options of {@link input.select}. */
export interface SelectOptions<T extends string | number> {
  label: string;
  options: readonly T[];
  /** Default choice (default: the first option). */
  value?: T;
  key?: string;
}

/** Options of {@link input.checkbox}. */
export interface CheckboxOptions {
  label: string;
  value?: boolean;
  key?: string;
}

/** Options of {@link input.button}. */
export interface ButtonOptions {
  label: string;
  key?: string;
}

type Values<T extends readonly WidgetRequest<WidgetValue>[]> = {
  -readonly [K in keyof T]: T[K] extends WidgetRequest<infer V> ? V : never;
};

let nextPanel = 0;

function checkLabel(kind: string, label: unknown): string {
  if (typeof label !== "string" || label === "") {
    throw new TypeError(`input.${kind}: the label must be a non-empty string (got ${label})`);
  }
  return label;
}

function keyOf(kind: string, options: { label: string; key?: string }): string {
  return options.key ?? `${kind}:${options.label}`;
}

/**
 * Widgets that rerun the cells depending on them when they change.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { input } from "./widgets.ts";
 * const lr = await input.slider({ label: "learning rate", min: 1e-4, max: 1, value: 0.01,
 *   scale: "log" });
 * const [steps, momentum] = await input.controls([
 *   input.number({ label: "steps", value: 100, min: 1 }),
 *   input.checkbox({ label: "momentum", value: true }),
 * ]);
 * // outside a kernel (no widget host), each control gives its initial value
 * assert.deepEqual([lr, steps, momentum], [0.01, 100, true]);
 * ```
 */
export const input = {
  /** A slider on `[min, max]`, linear or logarithmic; resolves to a number. */
  slider(options: SliderOptions): WidgetRequest<number> {
    const label = checkLabel("slider", options.label);
    const { min, max } = options;
    const scale = options.scale ?? "linear";
    if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
      throw new RangeError(
        `input.slider: "${label}" needs finite min < max (got min ${min}, max ${max})`,
      );
    }
    if (scale === "log" && !(min > 0)) {
      throw new RangeError(
        `input.slider: "${label}" has a log scale, so min must be > 0 ` +
          `(got min ${min})`,
      );
    }
    const spec: WidgetSpec = {
      kind: "slider",
      key: keyOf("slider", options),
      label,
      min,
      max,
      scale,
      value: min,
      ...(options.step === undefined ? {} : { step: options.step }),
    };
    spec.value = (acceptWidgetValue(spec, options.value ?? min) as number | undefined) ?? min;
    return new WidgetRequest<number>(spec);
  },

  /** A number field; resolves to a number (clamped to `min`/`max` when given). */
  number(options: NumberOptions): WidgetRequest<number> {
    const label = checkLabel("number", options.label);
    const spec: WidgetSpec = { kind: "number", key: keyOf("number", options), label, value: 0 };
    if (options.min !== undefined) spec.min = options.min;
    if (options.max !== undefined) spec.max = options.max;
    if (options.step !== undefined) spec.step = options.step;
    const fallback = options.min ?? 0;
    spec.value = (acceptWidgetValue(spec, options.value ?? fallback) as number | undefined) ??
      fallback;
    return new WidgetRequest<number>(spec);
  },

  /** A choice among `options`; resolves to the chosen option. */
  select<T extends string | number>(options: SelectOptions<T>): WidgetRequest<T> {
    const label = checkLabel("select", options.label);
    if (!Array.isArray(options.options) || options.options.length === 0) {
      throw new RangeError(`input.select: "${label}" needs at least one option`);
    }
    const value = options.value ?? options.options[0]!;
    if (!options.options.includes(value)) {
      throw new RangeError(
        `input.select: "${label}" has no option ${JSON.stringify(value)} ` +
          `(options: ${options.options.map((o) => JSON.stringify(o)).join(", ")})`,
      );
    }
    return new WidgetRequest<T>({
      kind: "select",
      key: keyOf("select", options),
      label,
      options: [...options.options],
      value,
    });
  },

  /** A checkbox; resolves to a boolean. */
  checkbox(options: CheckboxOptions): WidgetRequest<boolean> {
    const label = checkLabel("checkbox", options.label);
    return new WidgetRequest<boolean>({
      kind: "checkbox",
      key: keyOf("checkbox", options),
      label,
      value: options.value ?? false,
    });
  },

  /** A button; resolves to how many times it was pressed (each press reruns dependents). */
  button(options: ButtonOptions): WidgetRequest<number> {
    const label = checkLabel("button", options.label);
    return new WidgetRequest<number>({
      kind: "button",
      key: keyOf("button", options),
      label,
      value: 0,
    });
  },

  /** Shows several widgets in one panel; resolves to their values, in order. */
  controls<const T extends readonly WidgetRequest<WidgetValue>[]>(
    widgets: T,
  ): Promise<Values<T>> {
    if (!Array.isArray(widgets) || !widgets.every((w) => w instanceof WidgetRequest)) {
      throw new TypeError(
        "input.controls: pass an array of widgets, e.g. [input.slider({...}), input.checkbox({...})]",
      );
    }
    return showPanel(widgets) as Promise<Values<T>>;
  },
};

function widgetHost(): WidgetHost | undefined {
  return (globalThis as { [WIDGET_HOST_KEY]?: WidgetHost })[WIDGET_HOST_KEY];
}

/** Displays the widgets as one panel, with saved values where the kernel has them. */
function showPanel(requests: readonly WidgetRequest<WidgetValue>[]): Promise<WidgetValue[]> {
  const host = widgetHost();
  const widgets = requests.map((request): WidgetSpec => {
    const key = host?.claimKey(request.spec.key) ?? request.spec.key;
    const saved = host?.savedValue(key);
    const value = saved === undefined ? undefined : acceptWidgetValue(request.spec, saved);
    const spec = request.spec;
    return { ...spec, key, value: value ?? spec.value, default: spec.value } as WidgetSpec;
  });
  const panel: WidgetPanel = { widgets };
  const text = widgets.map((w) => `${w.label}: ${JSON.stringify(w.value)}`).join("\n");
  const displayId = `w${Date.now().toString(36)}-${(nextPanel++).toString(36)}`;
  emitDisplay({ [WIDGET_MIME]: panel, "text/plain": text }, displayId, false);
  return Promise.resolve(widgets.map((w) => w.value));
}
