import assert from "node:assert/strict";
import {
  type DependencyCell,
  dependentsOf,
  freshnessOf,
  neededCellsAbove,
  reproducibility,
  staleCells,
} from "./dependencies.ts";

/** A chain a -> b -> c: b reads a's `x`, c reads b's `y`; `runs` lists ids in run order. */
function chain(runs: string[], edited: string[] = []): DependencyCell[] {
  const cells: DependencyCell[] = [
    { id: "a", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
    { id: "b", names: { declares: ["y"], reads: ["x"] }, ranSeq: null, isEdited: false },
    { id: "c", names: { declares: [], reads: ["y"] }, ranSeq: null, isEdited: false },
  ];
  return withRuns(cells, runs, edited);
}

function withRuns(cells: DependencyCell[], runs: string[], edited: string[] = []) {
  return cells.map((cell) => {
    const seq = runs.lastIndexOf(cell.id);
    return { ...cell, ranSeq: seq < 0 ? null : seq + 1, isEdited: edited.includes(cell.id) };
  });
}

Deno.test("dependentsOf() follows a chain of three cells transitively, in document order", () => {
  assert.deepEqual(dependentsOf(chain([]), ["a"]), ["b", "c"]);
  assert.deepEqual(dependentsOf(chain([]), ["b"]), ["c"]);
  assert.deepEqual(dependentsOf(chain([]), ["c"]), []);
});

Deno.test("rerunning the first cell of a chain makes the two below it stale", () => {
  const cells = chain(["a", "b", "c", "a"]);
  assert.deepEqual(staleCells(cells), ["b", "c"]);
  assert.equal(reproducibility(cells).isReproducible, false);
  // Rerunning b alone leaves c stale; then c makes the notebook reproducible again.
  assert.deepEqual(staleCells(chain(["a", "b", "c", "a", "b"])), ["c"]);
  const fixed = chain(["a", "b", "c", "a", "b", "c"]);
  assert.deepEqual(staleCells(fixed), []);
  assert.deepEqual(reproducibility(fixed), { isReproducible: true, reasons: [] });
});

Deno.test("editing the first cell marks it and everything reading from it for Run stale", () => {
  const cells = chain(["a", "b", "c"], ["a"]);
  assert.deepEqual(staleCells(cells), ["a", "b", "c"]);
  assert.deepEqual(reproducibility(cells).reasons, [
    "1 cell edited since it last ran",
    "2 cells stale (a cell above changed)",
  ]);
});

Deno.test("the latest definition above a reader wins, so a redefinition shields it", () => {
  const cells = withRuns([
    { id: "a", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
    { id: "b", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
    { id: "c", names: { declares: [], reads: ["x"] }, ranSeq: null, isEdited: false },
    { id: "d", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
  ], ["a", "b", "c", "a"]);
  assert.deepEqual(dependentsOf(cells, ["a"]), []);
  assert.deepEqual(dependentsOf(cells, ["b"]), ["c"]);
  assert.deepEqual(staleCells(cells), []);
});

Deno.test("the indicator is off after a reader ran before the cell it reads from", () => {
  // c ran first (y undefined then), then a and b: c is stale, and Run stale fixes it.
  const cells = chain(["c", "a", "b"]);
  assert.deepEqual(staleCells(cells), ["c"]);
  assert.equal(reproducibility(cells).isReproducible, false);
  assert.equal(reproducibility(chain(["c", "a", "b", "c"])).isReproducible, true);
});

Deno.test("the indicator is off when a cell below redefined a name before its reader ran", () => {
  const cells = withRuns([
    { id: "a", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
    { id: "b", names: { declares: [], reads: ["x"] }, ranSeq: null, isEdited: false },
    { id: "d", names: { declares: ["x"], reads: [] }, ranSeq: null, isEdited: false },
  ], ["a", "d", "b"]);
  assert.deepEqual(freshnessOf(cells).get("b"), { isStale: false, isOutOfOrder: true });
  assert.deepEqual(staleCells(cells), [], "rerunning b alone would still see d's x");
  assert.deepEqual(reproducibility(cells), {
    isReproducible: false,
    reasons: ["1 cell ran out of order"],
  });
});

Deno.test("the indicator is off when a reader ran but its provider never did", () => {
  const cells = chain(["b"]);
  assert.equal(freshnessOf(cells).get("b")?.isOutOfOrder, true);
  assert.equal(reproducibility(cells).isReproducible, false);
  assert.equal(reproducibility(chain([])).isReproducible, true, "nothing ran: nothing is off");
});

Deno.test("neededCellsAbove() lists the providers a cell needs that have not run, transitively", () => {
  assert.deepEqual(neededCellsAbove(chain([]), "c"), ["a", "b"]);
  assert.deepEqual(neededCellsAbove(chain(["a"]), "c"), ["b"]);
  assert.deepEqual(neededCellsAbove(chain(["a", "b"]), "c"), []);
  assert.deepEqual(neededCellsAbove(chain([]), "a"), []);
  // b ran but a did not: b's value is held, so c needs nothing more.
  assert.deepEqual(neededCellsAbove(chain(["b"]), "c"), []);
});
