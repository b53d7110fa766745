import assert from "node:assert/strict";
import { enrichBundle, renderMarkdown } from "./render_output.ts";

Deno.test("renderMarkdown() renders inline and display math with KaTeX beside Markdown", () => {
  const html = renderMarkdown("**Loss** is $L = y^2$ and\n\n$$\\sum_i x_i$$\n\nprice: 5\\$");
  assert.match(html, /<strong>Loss<\/strong>/);
  assert.equal((html.match(/class="katex"/g) ?? []).length, 2);
  assert.match(html, /katex-display/);
  assert.doesNotMatch(html, /GBMATH/);
});

Deno.test("enrichBundle() adds HTML for Markdown and LaTeX and keeps existing HTML", () => {
  assert.match(String(enrichBundle({ "text/markdown": "# Hi" })["text/html"]), /<h1>Hi<\/h1>/);
  assert.match(String(enrichBundle({ "text/latex": "$$a^2$$" })["text/html"]), /katex-display/);
  assert.equal(
    enrichBundle({ "text/latex": "a", "text/html": "<b>x</b>" })["text/html"],
    "<b>x</b>",
  );
  const plain = { "text/plain": "1" };
  assert.equal(enrichBundle(plain), plain);
});

Deno.test("enrichBundle() shows a broken formula as KaTeX's error text instead of throwing", () => {
  const html = String(enrichBundle({ "text/latex": "\\frac{1" })["text/html"]);
  assert.match(html, /katex-error|ParseError/);
});
