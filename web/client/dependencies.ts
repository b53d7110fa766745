/**
 * Dependencies between a notebook's cells, from what each declares and reads (see
 * `notebook/cell/cell_model.ts`), with top-to-bottom semantics: the cell that reads a name depends
 * on the LATEST cell ABOVE it that declares the name, so a lesson may redefine a name later.
 *
 * From that graph and the order in which cells last ran, this pure module says which cells
 * are stale (their outputs predate a change above them), which ran out of order (they saw a
 * value a top-to-bottom run would not give them), and whether the notebook is reproducible
 * from the top (what Restart & run all would show). No DOM here: it is unit-tested under Deno.
 *
 * @module
 */

/** What one cell declares and reads (runtime names only). */
export interface NameUse {
  declares: readonly string[];
  reads: readonly string[];
}

/** One cell as the dependency graph sees it, in document order. */
export interface DependencyCell {
  id: string;
  /** Names of the version that ran (or of the current source, for a cell that never ran). */
  names: NameUse | null;
  /** When the cell's last run finished, as a sequence number (later runs are larger); null if
   * it never ran. */
  ranSeq: number | null;
  /** The source differs from the one that ran. */
  isEdited: boolean;
}

/** Why a cell's output may not be what a top-to-bottom run gives. */
export interface CellFreshness {
  /** A cell above that it reads from changed (edited, rerun, or itself stale): rerun it. */
  isStale: boolean;
  /** It read a value a top-to-bottom run would not give it (its provider never ran, or a cell
   * below redefined the name before it ran); rerunning it alone may not fix that. */
  isOutOfOrder: boolean;
}

/** Whether the notebook's outputs are what Restart & run all would give. */
export interface Reproducibility {
  isReproducible: boolean;
  /** Sentences that say why not (empty when reproducible). */
  reasons: string[];
}

/**
 * For each cell, the cell each name it reads comes from: the latest cell above that declares
 * it. Names no cell above declares are left out.
 *
 * @example
 * ```ts
 * import { providersOf } from "./dependencies.ts";
 * const p = providersOf([
 *   { id: "a", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
 *   { id: "b", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
 *   { id: "c", names: { declares: [], reads: ["x"] }, ranSeq: null, isEdited: false },
 * ]);
 * console.log(p.get("c")?.get("x")); // "b"
 * ```
 */
export function providersOf(cells: readonly DependencyCell[]): Map<string, Map<string, string>> {
  const latest = new Map<string, string>();
  const result = new Map<string, Map<string, string>>();
  for (const cell of cells) {
    const providers = new Map<string, string>();
    for (const name of cell.names?.reads ?? []) {
      const provider = latest.get(name);
      if (provider !== undefined) providers.set(name, provider);
    }
    result.set(cell.id, providers);
    for (const name of cell.names?.declares ?? []) latest.set(name, cell.id);
  }
  return result;
}

/**
 * The cells that depend on any of `ids`, directly or through other cells, in document order
 * (`ids` themselves are not included).
 */
export function dependentsOf(cells: readonly DependencyCell[], ids: Iterable<string>): string[] {
  const providers = providersOf(cells);
  const reached = new Set(ids);
  const result: string[] = [];
  for (const cell of cells) {
    if (reached.has(cell.id)) continue;
    const uses = [...(providers.get(cell.id)?.values() ?? [])];
    if (uses.some((provider) => reached.has(provider))) {
      reached.add(cell.id);
      result.push(cell.id);
    }
  }
  return result;
}

/** Staleness and order of every cell that ran (cells that never ran are fresh). */
export function freshnessOf(cells: readonly DependencyCell[]): Map<string, CellFreshness> {
  const providers = providersOf(cells);
  const byId = new Map(cells.map((cell) => [cell.id, cell]));
  const result = new Map<string, CellFreshness>();
  for (const [index, cell] of cells.entries()) {
    const freshness: CellFreshness = { isStale: false, isOutOfOrder: false };
    result.set(cell.id, freshness);
    if (cell.ranSeq === null) continue;
    const ranAt = cell.ranSeq;
    for (const name of cell.names?.reads ?? []) {
      const providerId = providers.get(cell.id)?.get(name);
      const provider = providerId === undefined ? undefined : byId.get(providerId);
      // The cell that last set `name` before this cell ran: the value it actually saw.
      const seen = lastDeclarerBefore(cells, name, ranAt);
      if (provider === undefined) {
        // A top-to-bottom run has no value for it; seeing one from below is out of order.
        if (seen !== undefined && cells.indexOf(seen) > index) freshness.isOutOfOrder = true;
        continue;
      }
      if (provider.ranSeq === null) {
        freshness.isOutOfOrder = true;
      } else if (
        provider.ranSeq > ranAt || provider.isEdited || result.get(provider.id)?.isStale
      ) {
        freshness.isStale = true;
      } else if (seen !== provider) {
        freshness.isOutOfOrder = true;
      }
    }
  }
  return result;
}

function lastDeclarerBefore(
  cells: readonly DependencyCell[],
  name: string,
  seq: number,
): DependencyCell | undefined {
  let best: DependencyCell | undefined;
  for (const cell of cells) {
    if (cell.ranSeq === null || cell.ranSeq >= seq) continue;
    if (!cell.names?.declares.includes(name)) continue;
    if (best === undefined || cell.ranSeq > (best.ranSeq ?? -1)) best = cell;
  }
  return best;
}

/**
 * What "Run stale" runs, in document order: cells that ran and were edited since, and cells
 * that are stale.
 */
export function staleCells(cells: readonly DependencyCell[]): string[] {
  const freshness = freshnessOf(cells);
  return cells
    .filter((cell) =>
      cell.ranSeq !== null && (cell.isEdited || freshness.get(cell.id)?.isStale === true)
    )
    .map((cell) => cell.id);
}

/**
 * Whether the outputs are what Restart & run all would give: no cell edited since it ran, no
 * stale cell, no cell that ran out of order. Cells that never ran are not counted.
 */
export function reproducibility(cells: readonly DependencyCell[]): Reproducibility {
  const freshness = freshnessOf(cells);
  const edited = cells.filter((cell) => cell.ranSeq !== null && cell.isEdited).length;
  let stale = 0;
  let outOfOrder = 0;
  for (const value of freshness.values()) {
    if (value.isStale) stale++;
    else if (value.isOutOfOrder) outOfOrder++;
  }
  const reasons: string[] = [];
  const count = (n: number, what: string) => `${n} cell${n === 1 ? "" : "s"} ${what}`;
  if (edited > 0) reasons.push(count(edited, "edited since it last ran"));
  if (stale > 0) reasons.push(count(stale, "stale (a cell above changed)"));
  if (outOfOrder > 0) reasons.push(count(outOfOrder, "ran out of order"));
  return { isReproducible: reasons.length === 0, reasons };
}

/**
 * The cells above `id` it needs that have not run in this kernel: the providers of the names it
 * reads, and theirs in turn, stopping at a provider that ran (its values are held). In document
 * order, ready to run before `id`.
 *
 * @example
 * ```ts
 * import { neededCellsAbove } from "./dependencies.ts";
 * const needed = neededCellsAbove([
 *   { id: "a", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
 *   { id: "b", names: { declares: [], reads: ["x"] }, ranSeq: null, isEdited: false },
 * ], "b");
 * console.log(needed); // ["a"]
 * ```
 */
export function neededCellsAbove(cells: readonly DependencyCell[], id: string): string[] {
  const providers = providersOf(cells);
  const ran = new Map(cells.map((cell) => [cell.id, cell.ranSeq !== null]));
  const needed = new Set<string>();
  const visit = [id];
  while (visit.length > 0) {
    const current = visit.pop()!;
    for (const provider of providers.get(current)?.values() ?? []) {
      if (ran.get(provider) === true || needed.has(provider)) continue;
      needed.add(provider);
      visit.push(provider);
    }
  }
  return cells.map((cell) => cell.id).filter((cellId) => needed.has(cellId));
}
