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
} from "../../runtime/display/widget_spec.ts";
import { type WidgetValue } from "../../runtime/vocabulary.ts";

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

/** Whether the widget shows something other than the code's default (a reset would change it). */
export function differsFromDefault(spec: WidgetSpec, value: WidgetValue): boolean {
  return spec.kind !== "button" && spec.default !== undefined && value !== spec.default;
}

/** The small "↺" after a widget: back to the code's default; hidden (space kept) when it is. */
function ResetButton(
  { spec, value, onChange }: {
    spec: WidgetSpec;
    value: WidgetValue;
    onChange: (value: WidgetValue) => void;
  },
) {
  const shown = differsFromDefault(spec, value);
  return (
    <button
      type="button"
      class="widget-reset"
      disabled={!shown}
      style={shown ? undefined : { visibility: "hidden" }}
      title={`Reset ${spec.label} to the code's value (${formatValue(spec.default ?? "")})`}
      aria-label={`Reset ${spec.label} to the code's value`}
      onClick={() => spec.default !== undefined && onChange(spec.default)}
    >
      ↺
    </button>
  );
}

// Each widget is a row of four cells (label, control, value, reset) laid out by the panel's
// grid (style.css), so labels, tracks and values line up across rows and columns. The <label>
// uses `display: contents` so its text and control are grid cells yet clicking the text focuses
// the control; the output and the reset button stay outside it (one labelable element each).
function WidgetView(
  { spec, value, onChange }: {
    spec: WidgetSpec;
    value: WidgetValue;
    onChange: (value: WidgetValue) => void;
  },
) {
  const label = <span class="widget-label">{spec.label}</span>;
  const reset = <ResetButton spec={spec} value={value} onChange={onChange} />;
  switch (spec.kind) {
    case "slider": {
      const number = typeof value === "number" ? value : spec.value;
      const isLog = spec.scale === "log";
      const position = isLog
        ? Math.round(logSliderPosition(number, spec.min, spec.max) * LOG_STEPS)
        : number;
      return (
        <div class="widget widget-slider" data-key={spec.key}>
          <label class="widget-field">
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
                  isLog
                    ? roundSignificant(logSliderValue(raw / LOG_STEPS, spec.min, spec.max))
                    : raw,
                );
              }}
            />
          </label>
          <output class="widget-value">{formatValue(number)}</output>
          {reset}
        </div>
      );
    }
    case "number":
      return (
        <div class="widget widget-number" data-key={spec.key}>
          <label class="widget-field">
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
          <span class="widget-value" />
          {reset}
        </div>
      );
    case "select":
      return (
        <div class="widget widget-select" data-key={spec.key}>
          <label class="widget-field">
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
          <span class="widget-value" />
          {reset}
        </div>
      );
    case "checkbox":
      return (
        <div class="widget widget-checkbox" data-key={spec.key}>
          <label class="widget-field">
            <input
              type="checkbox"
              checked={value === true}
              onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
            />
            {label}
          </label>
          <span class="widget-value" />
          {reset}
        </div>
      );
    case "button":
      return (
        <div class="widget widget-button" data-key={spec.key}>
          <button
            type="button"
            class="tb-button"
            onClick={() => onChange((typeof value === "number" ? value : 0) + 1)}
          >
            {spec.label}
          </button>
        </div>
      );
  }
}

/** Longest label the label column grows to, in `ch`; longer labels wrap. */
const MAX_LABEL_CH = 16;

/** One widget panel output. */
export function WidgetPanelView({ panel }: { panel: WidgetPanel }) {
  const binding = useContext(WidgetContext);
  const cellId = useContext(CellIdContext);
  const valueOf = (spec: WidgetSpec) =>
    cellId === null ? spec.value : binding?.values[cellId]?.[spec.key] ?? spec.value;
  const setValue = (spec: WidgetSpec, value: WidgetValue) => {
    if (cellId !== null) binding?.setWidget(cellId, spec.key, value);
  };
  const changed = panel.widgets.filter((spec) => differsFromDefault(spec, valueOf(spec)));
  const labelCh = Math.min(
    MAX_LABEL_CH,
    // Checkboxes and buttons carry their label across the row; they do not widen the column.
    Math.max(
      4,
      ...panel.widgets.filter((w) => w.kind !== "button" && w.kind !== "checkbox")
        .map((w) => w.label.length),
    ),
  );
  return (
    <div class="out-widgets" style={{ "--widget-label-width": `${labelCh + 1}ch` }}>
      {panel.widgets.map((spec) => (
        <WidgetView
          key={spec.key}
          spec={spec}
          value={valueOf(spec)}
          onChange={(value) => setValue(spec, value)}
        />
      ))}
      {changed.length > 1 && (
        <div class="widget-reset-all">
          <button
            type="button"
            class="icon-button"
            title="Set every widget of this panel back to the code's value"
            onClick={() => {
              for (const spec of changed) setValue(spec, spec.default!);
            }}
          >
            ↺ Reset all ({changed.length} changed)
          </button>
        </div>
      )}
    </div>
  );
}
