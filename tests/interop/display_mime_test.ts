import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { md, plot, table, tex } from "../../runtime/display/mod.ts";
import { toMimeBundle } from "../../runtime/display/mime.ts";

Deno.test("display objects give Jupyter the MIME types its frontends render (SVG, HTML, LaTeX, Markdown)", () => {
  const chart = toMimeBundle(plot.line([1, 0.5, 0.25], { title: "Loss" }));
  assert(String(chart["image/svg+xml"]).startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assertEquals(chart["text/plain"], "<line chart: Loss>");
  const rows = toMimeBundle(table([{ epoch: 1, loss: 0.5 }]));
  assertEquals(
    rows["text/html"],
    "<table><thead><tr><th>epoch</th><th>loss</th></tr></thead><tbody><tr><td>1</td><td>0.5</td></tr></tbody></table>",
  );
  assertEquals(toMimeBundle(tex`\frac{1}{2}`)["text/latex"], "$$\\frac{1}{2}$$");
  assertEquals(toMimeBundle(md`**a**`)["text/markdown"], "**a**");
  for (const bundle of [chart, rows]) assert(typeof bundle["text/plain"] === "string");
});
