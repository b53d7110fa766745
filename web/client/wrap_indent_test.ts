import assert from "node:assert/strict";
import { indentColumns } from "./wrap_indent.ts";

Deno.test("indentColumns() counts leading spaces and expands tabs to the next tab stop", () => {
  assert.equal(indentColumns("    return x;", 2), 4);
  assert.equal(indentColumns("\t x", 4), 5);
  assert.equal(indentColumns(" \tx", 4), 4);
  assert.equal(indentColumns("x = 1", 2), 0);
  assert.equal(indentColumns("", 2), 0);
});
