/**
 * The data of interactive widgets (`input.slider`, ...) as it travels in a display's MIME
 * bundle, and the rules a value must follow. Shared by the kernel side (`widgets.ts`), the
 * server (which stores values) and the browser (which draws the widgets): no Deno APIs here.
 *
 * @module
 */

import type { WidgetValue } from "../vocabulary.ts";

/** Fields every widget has. */
interface WidgetBase {
  /** Unique within its cell; the widget's value is saved under (cell id, key). */
  key: string;
  label: string;
  /** The value the code gives (`value` may be a saved one instead); the page resets to it. */
  default?: WidgetValue;
}

/** One widget as displayed, with its current value. */
export type WidgetSpec =
  | WidgetBase & {
    kind: "slider";
    min: number;
    max: number;
    /** Step of a linear slider (none: continuous). A log slider moves in equal ratios. */
    step?: number;
    scale: "linear" | "log";
    value: number;
  }
  | WidgetBase & { kind: "number"; min?: number; max?: number; step?: number; value: number }
  | WidgetBase & { kind: "select"; options: (string | number)[]; value: string | number }
  | WidgetBase & { kind: "checkbox"; value: boolean }
  /** A button's value is how many times it was pressed. */
  | WidgetBase & { kind: "button"; value: number };

/** The payload under `WIDGET_MIME` (`runtime/vocabulary.ts`): the widgets of one display (a panel). */
export interface WidgetPanel {
  widgets: WidgetSpec[];
}

/**
 * Returns `value` made valid for `spec` (numbers clamped into range), or `undefined` when it
 * cannot be (wrong kind, not one of the options).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptWidgetValue } from "./widget_spec.ts";
 * const spec = { kind: "slider", key: "lr", label: "lr", min: 0, max: 1, scale: "linear",
 *   value: 0.5 } as const;
 * assert.equal(acceptWidgetValue(spec, 3), 1);
 * assert.equal(acceptWidgetValue(spec, "high"), undefined); // not a number: refused
 * ```
 */
export function acceptWidgetValue(spec: WidgetSpec, value: unknown): WidgetValue | undefined {
  switch (spec.kind) {
    case "slider":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
      return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, value));
    }
    case "select":
      return spec.options.find((option) => option === value);
    case "checkbox":
      return typeof value === "boolean" ? value : undefined;
    case "button":
      return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
  }
}

/** Whether `value` can be a widget value at all (before it is checked against a spec). */
export function isWidgetValue(value: unknown): value is WidgetValue {
  return typeof value === "boolean" || typeof value === "string" ||
    (typeof value === "number" && Number.isFinite(value));
}

/**
 * Reads a widget panel out of a MIME bundle entry, or `null` when it is not one.
 */
export function asWidgetPanel(data: unknown): WidgetPanel | null {
  if (typeof data !== "object" || data === null) return null;
  const widgets = (data as { widgets?: unknown }).widgets;
  if (!Array.isArray(widgets)) return null;
  const valid = widgets.every((w) =>
    typeof w === "object" && w !== null && typeof w.key === "string" &&
    typeof w.kind === "string" && typeof w.label === "string"
  );
  return valid ? { widgets: widgets as WidgetSpec[] } : null;
}

/** Maps a log slider's position in [0, 1] to its value, $v = min (max / min)^p$. */
export function logSliderValue(position: number, min: number, max: number): number {
  return min * Math.pow(max / min, Math.min(1, Math.max(0, position)));
}

/** The position in [0, 1] of `value` on a log slider (inverse of {@link logSliderValue}). */
export function logSliderPosition(value: number, min: number, max: number): number {
  const clamped = Math.min(max, Math.max(min, value));
  return Math.log(clamped / min) / Math.log(max / min);
}

/** Rounds to `digits` significant digits (log sliders show 0.0123, not 0.012345678). */
export function roundSignificant(value: number, digits = 3): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}
