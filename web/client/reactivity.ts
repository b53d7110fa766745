/**
 * The notebook state's side of reactivity (pure, unit-tested): the dependency view of the
 * cells, the run order restored from saved runs, and keeping a cell's widgets on screen while
 * the cell reruns (so a slider being dragged is not torn down and rebuilt).
 *
 * @module
 */
import { asWidgetPanel } from "../../runtime/display/widget_spec.ts";
import { WIDGET_MIME } from "../../runtime/vocabulary.ts";
import type { CellOutput, SavedRun } from "../messages.ts";
import type { DependencyCell } from "./dependencies.ts";
import type { CellState } from "./state.ts";

/** The widget keys of a widget panel output ("a,b"), or null for any other output. */
export function widgetSignature(output: CellOutput): string | null {
  if (output.type !== "display") return null;
  const panel = asWidgetPanel(output.data[WIDGET_MIME]);
  return panel === null ? null : panel.widgets.map((w) => w.key).join(",");
}

/** At the start of a run: keeps only the widget outputs, remembered as carried over. */
export function carryWidgets(outputs: CellOutput[]): { outputs: CellOutput[]; carried: string[] } {
  const kept = outputs.filter((output) => widgetSignature(output) !== null);
  return { outputs: kept, carried: kept.map((output) => widgetSignature(output)!) };
}

/**
 * Adds an output during a run: a widget panel the run shows again replaces its carried-over
 * copy in place; anything else is appended by `append`.
 */
export function placeOutput(
  outputs: CellOutput[],
  carried: string[],
  output: CellOutput,
  append: (outputs: CellOutput[], output: CellOutput) => CellOutput[],
): { outputs: CellOutput[]; carried: string[] } {
  const signature = widgetSignature(output);
  const index = signature === null ? -1 : carried.indexOf(signature);
  if (index < 0) return { outputs: append(outputs, output), carried };
  const at = outputs.findIndex((o) => widgetSignature(o) === signature);
  const next = [...outputs];
  next[at] = output;
  return { outputs: next, carried: carried.filter((_, i) => i !== index) };
}

/** At the end of a run: removes carried-over widgets the run did not show again. */
export function dropCarried(outputs: CellOutput[], carried: string[]): CellOutput[] {
  if (carried.length === 0) return outputs;
  const left = [...carried];
  return outputs.filter((output) => {
    const signature = widgetSignature(output);
    const index = signature === null ? -1 : left.indexOf(signature);
    if (index < 0) return true;
    left.splice(index, 1);
    return false;
  });
}

/** Run order (1, 2, ...) of saved runs by the time they finished; aborted runs never ran. */
export function savedRunOrder(runs: Record<string, SavedRun>): Map<string, number> {
  const ran = Object.entries(runs)
    .filter(([, run]) => run.status !== "aborted")
    .sort(([, a], [, b]) => a.finishedAt - b.finishedAt);
  return new Map(ran.map(([cellId], index) => [cellId, index + 1]));
}

/** The runnable cells, in document order, as the dependency graph sees them. */
export function dependencyCells(
  runOrder: readonly string[],
  cells: Record<string, CellState>,
): DependencyCell[] {
  return runOrder.flatMap((id) => {
    const cell = cells[id];
    if (cell === undefined) return [];
    return [{
      id,
      names: cell.names,
      ranSeq: cell.ranSeq,
      isEdited: cell.ranSeq !== null && cell.ranSource !== null && cell.source !== cell.ranSource,
    }];
  });
}
