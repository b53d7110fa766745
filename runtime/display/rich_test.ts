import assert from "node:assert/strict";
import { html, md, table, tex } from "./rich.ts";
import { TABLE_MIME } from "../vocabulary.ts";
import { toMimeBundle } from "./mime.ts";

Deno.test("md and html interpolate values; tex keeps backslashes", () => {
  const loss = 0.5;
  assert.equal(toMimeBundle(md`**loss** ${loss}`)["text/markdown"], "**loss** 0.5");
  assert.equal(toMimeBundle(html`<b>${"hi"}</b>`)["text/plain"], "hi");
  assert.equal(toMimeBundle(tex`\frac{1}{2}`)["text/latex"], "$$\\frac{1}{2}$$");
  assert.equal(toMimeBundle(md("plain"))["text/markdown"], "plain");
});

Deno.test("table() accepts object rows and array rows and escapes HTML", () => {
  const bundle = toMimeBundle(table([{ epoch: 1, loss: 0.25 }, { epoch: 2, note: "<ok>" }]));
  assert.deepEqual(bundle[TABLE_MIME], {
    columns: ["epoch", "loss", "note"],
    rows: [[1, 0.25, undefined], [2, undefined, "<ok>"]],
  });
  assert.match(String(bundle["text/html"]), /<td>&lt;ok&gt;<\/td>/);
  assert.match(String(bundle["text/plain"]), /^epoch {2}loss {2}note\n1 {6}0.25\b/);
  const arrays = toMimeBundle(table([[1, 2], [3, 4]], { columns: ["a", "b"] }));
  assert.deepEqual(arrays[TABLE_MIME], { columns: ["a", "b"], rows: [[1, 2], [3, 4]] });
});

Deno.test("table() keeps NaN and ±∞ through JSON, where the notebook's table view reads them", () => {
  const t = table([{ loss: NaN }, { loss: Infinity }, { loss: -Infinity }, { loss: 0.5 }]);
  // JSON has no NaN or Infinity: they arrived as null and showed as empty cells.
  const sent = JSON.parse(JSON.stringify(t.bundle[TABLE_MIME])) as { rows: unknown[][] };
  assert.deepEqual(sent.rows, [["NaN"], ["∞"], ["-∞"], [0.5]]);
});
