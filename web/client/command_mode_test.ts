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
  assertEquals(commandForKey(press("i"), 1000, null), null);
  assertEquals(commandForKey(press("i"), 1000 + DOUBLE_PRESS_MS - 1, 1000), "interrupt");
  assertEquals(commandForKey(press("i"), 1000 + DOUBLE_PRESS_MS + 1, 1000), null);
});
