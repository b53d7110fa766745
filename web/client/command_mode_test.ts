import { assertEquals } from "../../runtime/testing/assert.ts";
import { commandForKey, DOUBLE_PRESS_MS, type KeyPress } from "./command_mode.ts";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

Deno.test("command mode maps Jupyter's keys to cell commands", () => {
  const table: [KeyPress, string | null][] = [
    [press("Enter"), "edit"],
    [press("Enter", { shiftKey: true }), "run-and-next"],
    [press("Enter", { ctrlKey: true }), "run"],
    [press("Enter", { metaKey: true }), "run"],
    [press("j"), "next"],
    [press("ArrowDown"), "next"],
    [press("k"), "previous"],
    [press("ArrowUp"), "previous"],
    [press("o"), "toggle-outputs"],
    [press("x"), null],
    [press("j", { ctrlKey: true }), null],
    [press("J", { shiftKey: true }), null],
    [press("Enter", { altKey: true }), null],
  ];
  for (const [key, expected] of table) {
    assertEquals(commandForKey(key, 1000, null), expected, JSON.stringify(key));
  }
});

Deno.test("I interrupts only when pressed twice in quick succession", () => {
  const firstI = { key: "i", at: 1000 };
  assertEquals(commandForKey(press("i"), 1000, null), null);
  assertEquals(commandForKey(press("i"), 1000 + DOUBLE_PRESS_MS - 1, firstI), "interrupt");
  assertEquals(commandForKey(press("i"), 1000 + DOUBLE_PRESS_MS + 1, firstI), null);
});

Deno.test("command mode adds, deletes (D, D), restores (Z) and moves cells", () => {
  assertEquals(commandForKey(press("a"), 0, null), "insert-above");
  assertEquals(commandForKey(press("b"), 0, null), "insert-below");
  assertEquals(commandForKey(press("z"), 0, null), "undo-delete");
  assertEquals(commandForKey(press("d"), 1000, null), null);
  assertEquals(commandForKey(press("d"), 1200, { key: "d", at: 1000 }), "delete");
  assertEquals(
    commandForKey(press("d"), 1200, { key: "i", at: 1000 }),
    null,
    "I then D is not D, D",
  );
  assertEquals(
    commandForKey(press("i"), 1200, { key: "d", at: 1000 }),
    null,
    "D then I is not I, I",
  );
  const up = press("ArrowUp", { ctrlKey: true, shiftKey: true });
  assertEquals(commandForKey(up, 0, null), "move-up");
  const down = press("ArrowDown", { metaKey: true, shiftKey: true });
  assertEquals(commandForKey(down, 0, null), "move-down");
  assertEquals(commandForKey(press("a", { ctrlKey: true }), 0, null), null);
});
