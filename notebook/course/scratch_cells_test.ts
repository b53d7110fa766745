import { assertEquals, assertThrows } from "../../runtime/testing/assert.ts";
import {
  fitScratchToLesson,
  insertScratch,
  isScratchId,
  layoutPage,
  type LessonSlot,
  moveScratch,
  newScratchId,
  readScratchCells,
  SCRATCH_LIMITS,
  type ScratchPlacement,
} from "./scratch_cells.ts";

// prose, c1, prose, c2, c3
const BLOCKS: LessonSlot[] = [
  { kind: "markdown" },
  { kind: "code", id: "c1" },
  { kind: "markdown" },
  { kind: "code", id: "c2" },
  { kind: "exercise", id: "ex" },
];

const names = (blocks: LessonSlot[], scratch: ScratchPlacement[]) =>
  layoutPage(blocks, scratch).map((i) => i.kind === "prose" ? `md${i.index}` : i.id);

Deno.test("insertScratch() puts B right below a cell and A right above it, below its prose", () => {
  let s = insertScratch(BLOCKS, [], "scratch-b", "c1", "below");
  assertEquals(names(BLOCKS, s), ["md0", "c1", "scratch-b", "md2", "c2", "ex"]);
  s = insertScratch(BLOCKS, s, "scratch-a", "c2", "above");
  assertEquals(names(BLOCKS, s), ["md0", "c1", "scratch-b", "md2", "scratch-a", "c2", "ex"]);
  s = insertScratch(BLOCKS, s, "scratch-c", "scratch-b", "below");
  assertEquals(names(BLOCKS, s).slice(1, 4), ["c1", "scratch-b", "scratch-c"]);
  s = insertScratch(BLOCKS, s, "scratch-end", "ex", "below");
  assertEquals(names(BLOCKS, s).at(-1), "scratch-end");
  assertEquals(s.find((p) => p.id === "scratch-a"), {
    id: "scratch-a",
    anchor: "c2",
    place: "before",
  });
});

Deno.test("moveScratch() steps past cells and prose one at a time and stops at the ends", () => {
  let s = insertScratch(BLOCKS, [], "scratch-x", "c1", "below");
  s = moveScratch(BLOCKS, s, "scratch-x", 1);
  assertEquals(names(BLOCKS, s), ["md0", "c1", "md2", "scratch-x", "c2", "ex"]);
  s = moveScratch(BLOCKS, s, "scratch-x", 1);
  assertEquals(names(BLOCKS, s), ["md0", "c1", "md2", "c2", "scratch-x", "ex"]);
  s = moveScratch(BLOCKS, s, "scratch-x", 1);
  s = moveScratch(BLOCKS, s, "scratch-x", 1);
  assertEquals(names(BLOCKS, s).at(-1), "scratch-x");
  s = moveScratch(BLOCKS, s, "scratch-x", -1);
  assertEquals(names(BLOCKS, s), ["md0", "c1", "md2", "c2", "scratch-x", "ex"]);
  // NOTE: the top is right above the first lesson cell: prose before it has no cell to hold on to.
  for (let i = 0; i < 10; i++) s = moveScratch(BLOCKS, s, "scratch-x", -1);
  assertEquals(names(BLOCKS, s).slice(0, 3), ["md0", "scratch-x", "c1"]);
});

Deno.test("layoutPage() puts cells whose anchor the lesson lost at the end, in order", () => {
  const s: ScratchPlacement[] = [
    { id: "scratch-1", anchor: "gone", place: "before" },
    { id: "scratch-2", anchor: null, place: "after" },
  ];
  assertEquals(names(BLOCKS, s).slice(-2), ["scratch-1", "scratch-2"]);
});

Deno.test("readScratchCells() refuses what a hostile page could send", () => {
  const ok = { id: "scratch-a", source: "x", anchor: "c1", place: "after" };
  assertEquals(readScratchCells([ok]), [ok]);
  assertThrows(() => readScratchCells({}), TypeError, "must be an array");
  assertThrows(() => readScratchCells([{ ...ok, id: "c1" }]), TypeError, "not a scratch cell id");
  assertThrows(() => readScratchCells([ok, ok]), TypeError, "repeats the id");
  assertThrows(() => readScratchCells([{ ...ok, extra: 1 }]), TypeError, "unknown key");
  assertThrows(() => readScratchCells([{ ...ok, place: "inside" }]), TypeError, "place");
  assertThrows(() => readScratchCells([{ ...ok, anchor: "<b>" }]), TypeError, "anchor");
  assertThrows(() => readScratchCells([{ ...ok, id: "__proto__" }]), TypeError);
  const many = Array.from({ length: SCRATCH_LIMITS.cellsPerLesson + 1 }, (_, i) => ({
    ...ok,
    id: `scratch-${i}`,
  }));
  assertThrows(() => readScratchCells(many), RangeError, "more than the limit");
  const big = "x".repeat(SCRATCH_LIMITS.sourceChars + 1);
  assertThrows(() => readScratchCells([{ ...ok, source: big }]), RangeError, "characters long");
  const half = "x".repeat(SCRATCH_LIMITS.sourceChars);
  const total = Array.from({ length: 17 }, (_, i) => ({ ...ok, id: `scratch-${i}`, source: half }));
  assertThrows(() => readScratchCells(total), RangeError, "together");
});

Deno.test("fitScratchToLesson() refuses lesson ids and sends unknown anchors to the end", () => {
  const lesson = new Set(["c1", "scratch-taken"]);
  assertThrows(
    () =>
      fitScratchToLesson(
        [{ id: "scratch-taken", source: "", anchor: null, place: "after" }],
        lesson,
      ),
    TypeError,
    "lesson cell's id",
  );
  assertEquals(
    fitScratchToLesson([{ id: "scratch-a", source: "", anchor: "c9", place: "before" }], lesson),
    [{ id: "scratch-a", source: "", anchor: null, place: "after" }],
  );
});

Deno.test("newScratchId() makes valid, distinct ids", () => {
  const a = newScratchId();
  assertEquals(isScratchId(a), true);
  assertEquals(a === newScratchId(), false);
});
