import assert from "node:assert/strict";
import { display, DISPLAY_UPDATE_INTERVAL_MS } from "./display.ts";
import { flushDisplays, setDisplaySink } from "./sink.ts";
import type { MimeBundle } from "../vocabulary.ts";

function capture(): { sent: { data: MimeBundle; id: string; update: boolean }[]; done(): void } {
  const sent: { data: MimeBundle; id: string; update: boolean }[] = [];
  setDisplaySink((data, id, update) => sent.push({ data, id, update }));
  return { sent, done: () => setDisplaySink(null) };
}

Deno.test("display() sends the value at once and updates under the same id", () => {
  const { sent, done } = capture();
  try {
    const handle = display({ loss: 1 });
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.data["text/plain"], "{ loss: 1 }");
    assert.equal(sent[0]?.update, false);
    handle.update("later");
    flushDisplays();
    assert.equal(sent.at(-1)?.id, handle.displayId);
    assert.equal(sent.at(-1)?.update, true);
    assert.equal(sent.at(-1)?.data["text/plain"], "later");
  } finally {
    done();
  }
});

Deno.test("DisplayHandle.update() coalesces a tight loop and keeps the last value", () => {
  const { sent, done } = capture();
  try {
    const handle = display(0);
    const start = performance.now();
    for (let i = 1; i <= 10_000; i++) {
      handle.update(i);
      if (i % 2500 === 0) { while (performance.now() - start < i / 20) { /* busy */ } }
    }
    const duringLoop = sent.length - 1;
    const elapsed = performance.now() - start;
    assert.ok(duringLoop <= elapsed / DISPLAY_UPDATE_INTERVAL_MS + 1, `${duringLoop} updates`);
    assert.ok(duringLoop >= 1);
    flushDisplays();
    assert.equal(sent.at(-1)?.data["text/plain"], "10000");
    flushDisplays();
    assert.equal(sent.at(-1)?.data["text/plain"], "10000", "nothing pending is sent twice");
  } finally {
    done();
  }
});

Deno.test("display() honours Symbol.for('Jupyter.display') on any object", () => {
  const { sent, done } = capture();
  try {
    display({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<i>x</i>" }) });
    assert.equal(sent[0]?.data["text/html"], "<i>x</i>");
    assert.equal(typeof sent[0]?.data["text/plain"], "string");
  } finally {
    done();
  }
});
