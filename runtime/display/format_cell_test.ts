import assert from "node:assert/strict";
import { formatCell, formatNumberCell } from "./format_cell.ts";
import { table } from "./rich.ts";
import { TABLE_MIME } from "../vocabulary.ts";

Deno.test("formatNumberCell() prints lesson 5's mixed values by one rule", () => {
  assert.deepEqual(
    [4.7, 476.6, 500, 0.5, 1 / 3, -2.25, 0, 1e-5, 2.5e7, 123456.7].map((v) => formatNumberCell(v)),
    ["4.7", "476.6", "500", "0.5", "0.3333", "-2.25", "0", "1e-5", "25000000", "123457"],
  );
});

Deno.test("formatCell() leaves strings alone and prints missing values as empty cells", () => {
  assert.equal(formatCell("not reached"), "not reached");
  assert.equal(formatCell(null), "");
  assert.equal(formatCell({ a: 1 }, 4, () => "{ a: 1 }"), "{ a: 1 }");
});

Deno.test("table() formats its text and HTML forms with formatCell()", () => {
  const t = table([{ measure: "returns", value: 4.7 }, { measure: "steps", value: 476.6 }]);
  const html = String(t.bundle["text/html"]);
  assert.match(html, /<td>4\.7<\/td>/);
  assert.match(html, /<td>476\.6<\/td>/);
  assert.doesNotMatch(html + String(t.bundle["text/plain"]), /4\.7000|476\.6000/);
  assert.deepEqual((t.bundle[TABLE_MIME] as { rows: unknown[][] }).rows[0], ["returns", 4.7]);
});
