/**
 * Draws widget panels (`input.slider`, `number`, `select`, `checkbox`, `button` and
 * `controls`) in a cell's output area. A change goes to the controller, which saves it and
 * reruns the cells that depend on the widget's cell; the shown value is the page's latest one.
 *
 * @module
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import {
  logSliderPosition,
  logSliderValue,
  roundSignificant,
  type WidgetPanel,
  type WidgetSpec,
  type WidgetValue,
} from "../../display/widget_spec.ts";

/** The page's widget values and what to call when a widget changes. */
export interface WidgetBinding {
  values: Record<string, Record<string, WidgetValue>>;
  setWidget(cellId: string, key: string, value: WidgetValue): void;
}

/** Provided by the notebook. */
export const WidgetContext = createContext<WidgetBinding | null>(null);
/** Provided by each cell around its outputs. */
export const CellIdContext = createContext<string | null>(null);

/** Steps of a log slider's track. */
const LOG_STEPS = 1000;

function formatValue(value: WidgetValue): string {
  if (typeof value !== "number") return String(value);
  const rounded = roundSignificant(value, 3);
  const abs = Math.abs(rounded);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? rounded.toExponential(2) : String(rounded);
}

function WidgetView(
  { spec, value, onChange }: {
    spec: WidgetSpec;
    value: WidgetValue;
    onChange: (value: WidgetValue) => void;
  },
) {
  const label = <span class="widget-label">{spec.label}</span>;
  switch (spec.kind) {
    case "slider": {
      const number = typeof value === "number" ? value : spec.value;
      const isLog = spec.scale === "log";
      const position = isLog
        ? Math.round(logSliderPosition(number, spec.min, spec.max) * LOG_STEPS)
        : number;
      return (
        <label class="widget widget-slider" data-key={spec.key}>
          {label}
          <input
            type="range"
            min={isLog ? 0 : spec.min}
            max={isLog ? LOG_STEPS : spec.max}
            step={isLog ? 1 : spec.step ?? "any"}
            value={position}
            aria-label={spec.label}
            onInput={(event) => {
              const raw = Number((event.target as HTMLInputElement).value);
              onChange(
                isLog ? roundSignificant(logSliderValue(raw / LOG_STEPS, spec.min, spec.max)) : raw,
              );
            }}
          />
          <output class="widget-value">{formatValue(number)}</output>
        </label>
      );
    }
    case "number":
      return (
        <label class="widget widget-number" data-key={spec.key}>
          {label}
          <input
            type="number"
            value={String(value)}
            min={spec.min}
            max={spec.max}
            step={spec.step ?? "any"}
            onChange={(event) => {
              const next = Number((event.target as HTMLInputElement).value);
              if (Number.isFinite(next)) onChange(next);
            }}
          />
        </label>
      );
    case "select":
      return (
        <label class="widget widget-select" data-key={spec.key}>
          {label}
          <select
            value={String(spec.options.indexOf(value as string | number))}
            onChange={(event) => {
              const index = Number((event.target as HTMLSelectElement).value);
              const option = spec.options[index];
              if (option !== undefined) onChange(option);
            }}
          >
            {spec.options.map((option, i) => <option key={i} value={String(i)}>{option}</option>)}
          </select>
        </label>
      );
    case "checkbox":
      return (
        <label class="widget widget-checkbox" data-key={spec.key}>
          <input
            type="checkbox"
            checked={value === true}
            onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
          />
          {label}
        </label>
      );
    case "button":
      return (
        <span class="widget widget-button" data-key={spec.key}>
          <button
            type="button"
            class="tb-button"
            onClick={() => onChange((typeof value === "number" ? value : 0) + 1)}
          >
            {spec.label}
          </button>
        </span>
      );
  }
}

/** One widget panel output. */
export function WidgetPanelView({ panel }: { panel: WidgetPanel }) {
  const binding = useContext(WidgetContext);
  const cellId = useContext(CellIdContext);
  return (
    <div class="out-widgets">
      {panel.widgets.map((spec) => (
        <WidgetView
          key={spec.key}
          spec={spec}
          value={cellId === null ? spec.value : binding?.values[cellId]?.[spec.key] ?? spec.value}
          onChange={(value) => {
            if (cellId !== null) binding?.setWidget(cellId, spec.key, value);
          }}
        />
      ))}
    </div>
  );
}
