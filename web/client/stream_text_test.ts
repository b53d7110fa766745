import assert from "node:assert/strict";
import { splitResultLines } from "./stream_text.ts";

Deno.test("splitResultLines() groups consecutive RESULT lines between ordinary output, in order", () => {
  const text = 'epoch 1\nRESULT a {"x":1}\nRESULT b [2]\nepoch 2\nRESULT c 3';
  const segments = splitResultLines(text);
  assert.deepEqual(segments.map((s) => [s.kind, s.names]), [
    ["text", []],
    ["results", ["a", "b"]],
    ["text", []],
    ["results", ["c"]],
  ]);
  assert.equal(segments.map((s) => s.text).join(""), text, "nothing is lost or reordered");
});

Deno.test("splitResultLines() leaves text without RESULT lines (or with RESULT mid-line) as one segment", () => {
  assert.deepEqual(splitResultLines("loss 0.5\n"), [{
    kind: "text",
    text: "loss 0.5\n",
    names: [],
  }]);
  const mid = "the RESULT line below\n  RESULT indented\n";
  assert.deepEqual(splitResultLines(mid).map((s) => s.kind), ["text"]);
});
